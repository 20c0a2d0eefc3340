"""The mentoring admin: organizers keep the topic list and can look up coaches and bookings."""

from django.contrib import admin

from mentoring.models import Booking, CoachProfile, GroupMembership, MentoringGroup, Topic


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
