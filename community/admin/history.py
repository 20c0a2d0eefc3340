"""A status history shown on a record's admin page: each change recorded once, never edited."""

from django.contrib import admin
from django.utils.formats import date_format
from django.utils.timezone import localtime


class StatusHistoryInline(admin.TabularInline):
    """Rows with `from_status`, `to_status`, `reason`, `created_at` and the name of who acted."""

    by_name_field: str  # the column that keeps the actor's name after their account is gone
    extra = 0
    can_delete = False
    fields = readonly_fields = ["when", "who", "was", "became", "reason"]
    verbose_name_plural = "history"

    @admin.display(description="when")
    def when(self, change) -> str:
        return date_format(localtime(change.created_at), "DATETIME_FORMAT")

    @admin.display(description="by")
    def who(self, change) -> str:
        return getattr(change, self.by_name_field) or "—"

    @admin.display(description="from")
    def was(self, change) -> str:
        return change.get_from_status_display()

    @admin.display(description="to")
    def became(self, change) -> str:
        return change.get_to_status_display()

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
