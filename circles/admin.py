"""The circles admin: readable lists for organizers; self-identification never shown here."""

from django.contrib import admin

from circles.models import (
    Alias,
    Attendance,
    Backfill,
    Circle,
    CircleMember,
    CompositionPart,
    CompositionRun,
    ImportBatch,
    Meeting,
    MeetingCandidate,
    MeetingVote,
    ReviewEvent,
    Round,
    SignUp,
)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "signup_opens_at", "signup_closes_at", "first_meeting"]
    list_filter = ["status", "formats_offered"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_by", "created_at", "updated_at"]


@admin.register(SignUp)
class SignUpAdmin(admin.ModelAdmin):
    list_display = ["__str__", "round", "status", "source", "format", "place_name", "timezone"]
    list_filter = ["round", "status", "source", "format"]
    search_fields = ["name", "email", "external_id", "company"]
    list_select_related = ["round"]
    raw_id_fields = ["user", "duplicate_of", "carried_over_from", "import_batch"]
    # Self-identification (and the raw answers, which may hold it) stays out of the admin:
    # organizers see it only as aggregates.
    exclude = [*SignUp.PRIVATE_FIELDS, "raw"]
    readonly_fields = ["inferences", "problems", "created_at", "updated_at", "withdrawn_at"]


# Where an invitation stands is the person's own answer (with their consent) or the product's
# record of it: changed by hand, the channel seat, the names shown and the backfill would not
# follow. Only the deadline may be moved, to give someone a few more days.
INVITATION_RECORD = [
    "invited_at",
    "reminded_at",
    "responded_at",
    "consented_at",
    "left_at",
    "replaces",
    "renewal",
]


class CircleMemberInline(admin.TabularInline):
    model = CircleMember
    extra = 0
    raw_id_fields = ["signup"]
    fields = ["signup", "status", "locked", "invited_at", "respond_by", "consented_at", "added_at"]
    readonly_fields = ["status", "invited_at", "consented_at", "added_at"]


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "round", "status", "format", "place_name", "first_meeting_at"]
    list_filter = ["round", "status", "format"]
    list_select_related = ["round"]
    raw_id_fields = ["proposed_by", "facilitator", "slack_channel", "merged_into"]
    inlines = [CircleMemberInline]
    # The series and its calendar: moved and cancelled on the circle's page, which tells every
    # member; a SEQUENCE edited by hand would make calendars ignore the next change.
    readonly_fields = [
        "timezone",
        "first_meeting_at",
        "voting_closes_at",
        "ics_sequence",
        "series_cancelled_at",
        "slack_channel",
        "invited_at",
        "activated_at",
        "renewal_asked_at",
        "ended_at",
        "merged_into",
        "created_at",
        "updated_at",
    ]


@admin.register(CircleMember)
class CircleMemberAdmin(admin.ModelAdmin):
    """A person's place in a circle and where their invitation stands."""

    list_display = ["__str__", "status", "invited_at", "respond_by", "responded_at", "consented_at"]
    list_filter = ["status", "circle__round"]
    list_select_related = ["circle", "signup"]
    search_fields = ["signup__name", "signup__email"]
    raw_id_fields = ["circle", "signup"]
    readonly_fields = ["circle", "signup", "status", *INVITATION_RECORD, "added_at", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False  # people join circles through composition, the review page or a backfill


class AttendanceInline(admin.TabularInline):
    """Each member's RSVP and whether they came: theirs and the facilitator's to give."""

    model = Attendance
    fields = ["member", "rsvp", "attended", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Meetings move and are cancelled on the circle's page, which tells every member; here only
    the shared note can be corrected."""

    list_display = ["__str__", "starts_at", "status", "attendance_taken_at", "reminder_sent_at"]
    list_filter = ["status", "circle__round"]
    list_select_related = ["circle"]
    date_hierarchy = "starts_at"
    fields = [
        "circle",
        "number",
        "original_starts_at",
        "starts_at",
        "status",
        "note",
        "note_updated_by",
        "note_updated_at",
        "attendance_taken_at",
        "reminder_sent_at",
    ]
    readonly_fields = [field for field in fields if field != "note"]
    inlines = [AttendanceInline]

    def has_add_permission(self, request) -> bool:
        return False  # a series is made when the circle's time is picked


class MeetingVoteInline(admin.TabularInline):
    model = MeetingVote
    fields = ["member", "can_attend", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MeetingCandidate)
class MeetingCandidateAdmin(admin.ModelAdmin):
    """The times offered for a circle's first meeting, and the members' votes: drawn from the
    circle's window and given by members, so shown as they are."""

    list_display = ["__str__", "circle", "starts_at", "created_at"]
    list_filter = ["circle__round"]
    list_select_related = ["circle"]
    fields = ["circle", "starts_at", "created_at"]
    readonly_fields = fields
    inlines = [MeetingVoteInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "round",
        "status",
        "row_count",
        "created_count",
        "updated_count",
        "created_at",
    ]
    list_filter = ["status", "file_format"]
    list_select_related = ["round"]
    exclude = ["rows", "preview"]  # personal data, shown on the import's own preview page
    readonly_fields = [
        "sha256",
        "uploaded_by",
        "applied_by",
        "rows_done",
        "attempt",
        "heartbeat_at",
        "error",
        "created_at",
        "applied_at",
    ]


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["kind", "raw", "value", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["raw", "value"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class CompositionPartInline(admin.TabularInline):
    """The parts of a large round's run, each solved by its own task."""

    model = CompositionPart
    fields = ["number", "kind", "status", "progress", "seconds", "started_at", "finished_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CompositionRun)
class CompositionRunAdmin(admin.ModelAdmin):
    list_display = ["round", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["round"]
    exclude = ["plan"]  # sign-up ids for the merge task; the parts below say how it went
    readonly_fields = ["created_at", "started_at", "finished_at", "merge_started_at", "result"]
    readonly_fields += ["error"]
    inlines = [CompositionPartInline]


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    list_display = ["at", "round", "action", "actor"]
    list_filter = ["action"]
    list_select_related = ["round", "actor"]
    readonly_fields = ["round", "actor", "action", "details", "at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Backfill)
class BackfillAdmin(admin.ModelAdmin):
    """Proposals are decided on the circle's organizer page; the admin only shows them."""

    list_display = ["__str__", "status", "candidate", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "circle__round"]
    list_select_related = ["circle", "candidate", "decided_by"]
    raw_id_fields = ["circle", "vacancy", "candidate"]
    readonly_fields = ["decided_by", "created_at", "decided_at"]
