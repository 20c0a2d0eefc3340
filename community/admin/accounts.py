"""Accounts, members and the email outbox."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.utils.text import Truncator

from community.admin.history import StatusHistoryInline
from community.models import Email, Member, MembershipChange, User
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


class MembershipChangeInline(StatusHistoryInline):
    """The membership's history: each revocation and restoration."""

    model = MembershipChange
    by_name_field = "changed_by_name"
    verbose_name = "membership change"

    def has_view_permission(self, request, obj=None) -> bool:
        # Part of the member's record: whoever may see the member sees how their status changed.
        return request.user.has_perm("community.view_member")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MembershipChangeForm(forms.Form):
    """The page between choosing revoke or restore and applying it: asks for the reason."""

    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        error_messages={"required": "Please give a reason for this change."},
        help_text="Recorded in each membership's history, with your name and the date.",
    )


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "job_title", "company", "city", "status", "listed_in_directory"]
    list_filter = ["status", "role_kind", "listed_in_directory"]
    search_fields = ["full_name", "user__email", "company", "city"]
    readonly_fields = ["user", "application", "status", "joined_at", "updated_at"]
    actions = ["revoke", "restore"]
    inlines = [MembershipChangeInline]

    @admin.action(
        description="Revoke membership (removes them from Slack channels)…", permissions=["change"]
    )
    def revoke(self, request, queryset):
        return self._change(request, queryset, member_services.revoke_membership, "Revoke")

    @admin.action(description="Restore membership…", permissions=["change"])
    def restore(self, request, queryset):
        return self._change(request, queryset, member_services.restore_membership, "Restore")

    def _change(self, request, queryset, service, verb: str):
        """Ask for the reason first (as Django's delete confirmation does), then apply."""
        form = MembershipChangeForm(request.POST if "confirm" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"{verb} membership: {len(queryset)} member{pluralize(queryset)}",
                "members": queryset,
                "action": request.POST["action"],
                "form": form,
                "verb": verb,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/community/member/change_status.html", context)
        changed = 0
        for member in queryset:
            try:
                service(member, by=request.user, reason=form.cleaned_data["reason"])
                changed += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
        if changed:
            done = f"{verb.lower()}d"
            self.message_user(request, f"{changed} membership{pluralize(changed)} {done}.")
        return None

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
