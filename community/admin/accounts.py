"""Accounts, members and the email outbox."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.template.defaultfilters import pluralize
from django.utils.text import Truncator

from community.models import Email, Member, User
from community.services import members as member_services


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "timezone")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "job_title", "company", "city", "status", "listed_in_directory"]
    list_filter = ["status", "role_kind", "listed_in_directory"]
    search_fields = ["full_name", "user__email", "company", "city"]
    readonly_fields = ["user", "application", "status", "joined_at", "updated_at"]
    actions = ["revoke", "restore"]

    def _apply(self, request, queryset, service, done: str) -> None:
        changed = 0
        for member in queryset:
            try:
                service(member, by=request.user)
                changed += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
        if changed:
            self.message_user(request, f"{changed} membership{pluralize(changed)} {done}.")

    @admin.action(description="Revoke membership (removes them from Slack channels)")
    def revoke(self, request, queryset):
        self._apply(request, queryset, member_services.revoke_membership, "revoked")

    @admin.action(description="Restore membership")
    def restore(self, request, queryset):
        self._apply(request, queryset, member_services.restore_membership, "restored")

    def has_add_permission(self, request) -> bool:
        return False  # members come from approved applications

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke the membership instead, so the record stays


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent, what is waiting and what failed, with the error.

    Security emails (password reset, confirmation, sign-in codes, two-factor) hold links that
    would let whoever reads them take the account: their bodies are never shown here.
    """

    list_display = ["subject", "to", "status", "attempts", "error", "created_at", "sent_at"]
    list_filter = ["status", "sensitive"]
    search_fields = ["to", "subject"]
    fields = [
        *("to", "user", "subject", "status", "attempts", "last_error"),
        *("created_at", "claimed_at", "sent_at", "key", "sensitive", "body"),
    ]
    readonly_fields = ["body"]

    @admin.display(description="last error")
    def error(self, email: Email) -> str:
        return Truncator(email.last_error).chars(80)

    @admin.display(description="body")
    def body(self, email: Email) -> str:
        if email.sensitive:
            return "Not shown: a security email is for its recipient's eyes only."
        return email.body_text or "Not kept: bodies are erased once they are no longer needed."

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
