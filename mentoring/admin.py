"""The mentoring admin: organizers keep the topic list and the career framework, assign mentors,
and can look up coaches and bookings (never members' assessments)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from mentoring.models import (
    Booking,
    BookingPause,
    CoachProfile,
    Competency,
    Direction,
    DirectionWeight,
    FrameworkVersion,
    GroupMembership,
    MentorAssignment,
    MentoringGroup,
    Skill,
    Topic,
)
from mentoring.services import framework as framework_service
from mentoring.services.mentorship_days import close_announced_days


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CoachProfile)
class CoachProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "languages", "accepting_bookings"]
    list_filter = ["accepting_bookings", "topics"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # As on the coach's own settings page: their announced days close, and members are told.
        if change and "accepting_bookings" in form.changed_data and not obj.accepting_bookings:
            close_announced_days(obj)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "starts_at", "ends_at"]
    list_filter = ["status"]
    search_fields = ["member__email", "coach__user__email"]
    list_select_related = ["member", "coach__user"]
    date_hierarchy = "starts_at"
    # What members bring to a session is between them and their coach.
    exclude = ["agenda", "intake_answer"]
    readonly_fields = [
        field.name
        for field in Booking._meta.fields
        if field.name not in {"agenda", "intake_answer"}
    ]

    def has_add_permission(self, request) -> bool:
        return False  # bookings are made on the site, where the rules are checked


# The career framework. Organizers edit a draft version; a published or retired one is shown read
# only, because assessments were made with it. "Copy as a new draft" starts the next change.


def _editable(obj) -> bool:
    version = obj if isinstance(obj, FrameworkVersion) else getattr(obj, "version", None)
    return version is None or version.is_editable


class FrozenOncePublished:
    """Read only when the object's version (or the inline's parent's) is no longer a draft."""

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and _editable(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and _editable(obj)


class FrozenInline(FrozenOncePublished):
    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and _editable(obj)


class DraftVersionChoice:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = FrameworkVersion.objects.filter(
                status=FrameworkVersion.Status.DRAFT
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CompetencyInline(FrozenInline, admin.TabularInline):
    model = Competency
    fields = ["position", "name", "slug", "description"]
    show_change_link = True
    extra = 0


class DirectionInline(FrozenInline, admin.TabularInline):
    model = Direction
    fields = ["position", "name", "slug", "description"]
    show_change_link = True
    extra = 0


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(FrozenOncePublished, admin.ModelAdmin):
    list_display = ["number", "status", "published_at", "notes"]
    list_filter = ["status"]
    readonly_fields = ["number", "status", "published_at", "copied_from"]
    fields = ["number", "status", "published_at", "copied_from", "notes"]
    inlines = [CompetencyInline, DirectionInline]
    actions = ["copy_as_draft", "publish"]

    def has_add_permission(self, request) -> bool:
        return False  # a new version starts as a copy of one, with "Copy as a new draft"

    @admin.action(description="Copy as a new draft", permissions=["view"])
    def copy_as_draft(self, request, queryset):
        for version in queryset:
            draft = framework_service.copy_version(version)
            self.message_user(request, f"{draft} is ready to edit.", messages.SUCCESS)

    @admin.action(
        description="Publish (members assess against it from now on)", permissions=["publish"]
    )
    def publish(self, request, queryset):
        for version in queryset:
            try:
                framework_service.publish_version(version)
            except ValidationError as error:
                self.message_user(request, f"{version}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request, f"Version {version.number} is published.", messages.SUCCESS
                )

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("mentoring.change_frameworkversion")


class SkillInline(FrozenInline, admin.TabularInline):
    model = Skill
    fields = ["level", "position", "text"]
    extra = 0


@admin.register(Competency)
class CompetencyAdmin(FrozenOncePublished, DraftVersionChoice, admin.ModelAdmin):
    list_display = ["name", "version", "position"]
    list_filter = ["version"]
    filter_horizontal = ["topics"]
    inlines = [SkillInline]


class WeightsAddUpTo100(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        total = sum(data.get("weight") or 0 for data in kept)
        if total != 100:
            raise ValidationError(f"The weights add up to {total}; they must add up to 100.")


class DirectionWeightInline(FrozenInline, admin.TabularInline):
    model = DirectionWeight
    formset = WeightsAddUpTo100
    fields = ["competency", "weight"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "competency":
            kwargs["queryset"] = Competency.objects.filter(
                version__status=FrameworkVersion.Status.DRAFT
            ).select_related("version")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Direction)
class DirectionAdmin(FrozenOncePublished, DraftVersionChoice, admin.ModelAdmin):
    list_display = ["name", "version", "position"]
    list_filter = ["version"]
    inlines = [DirectionWeightInline]


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "assigned_by"]
    raw_id_fields = ["member", "coach"]
    search_fields = ["member__email", "coach__user__email"]
    list_select_related = ["member", "coach__user", "assigned_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # an assignment is made or removed, not edited

    def save_model(self, request, obj, form, change):
        obj.assigned_by = request.user
        super().save_model(request, obj, form, change)


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    # What members write to the coach stays between them.
    fields = ["user", "status", "requested_at", "decided_at", "consented_at", "left_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MentoringGroup)
class MentoringGroupAdmin(admin.ModelAdmin):
    """Organizers look groups up; coaches run them on the site, where capacity is checked."""

    list_display = ["topic", "coach", "capacity", "first_session_at", "ended_at"]
    list_filter = ["format", "ended_at"]
    search_fields = ["topic", "coach__user__email"]
    list_select_related = ["coach__user"]
    inlines = [GroupMembershipInline]
    readonly_fields = ["ics_sequence", "slack_channel", "timezone", "first_session_at", "ended_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(BookingPause)
class BookingPauseAdmin(admin.ModelAdmin):
    """Members stopped from booking; organizers pause and unpause them on the reliability page."""

    list_display = ["member", "paused_by", "reason", "created_at"]
    list_select_related = ["member", "paused_by"]
    search_fields = ["member__email"]
    readonly_fields = ["member", "paused_by", "reason", "created_at"]
