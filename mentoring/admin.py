"""The mentoring admin: organizers keep the topic list and can look up coaches and bookings."""

from django.contrib import admin

from mentoring.models import Booking, BookingPause, CoachProfile, Topic


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


@admin.register(BookingPause)
class BookingPauseAdmin(admin.ModelAdmin):
    """Members stopped from booking; organizers pause and unpause them on the reliability page."""

    list_display = ["member", "paused_by", "reason", "created_at"]
    list_select_related = ["member", "paused_by"]
    search_fields = ["member__email"]
    readonly_fields = ["member", "paused_by", "reason", "created_at"]
