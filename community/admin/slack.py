"""The Slack part of the back office: each member's Slack state, each channel's drift, the sync log.

Desired state is changed by the site's own workflows (approval, circles, account deletion), so these
pages are read-only apart from "Sync now", which clears a row's error and syncs it again.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.text import Truncator

from community.models import (
    SlackAccount,
    SlackChannel,
    SlackChannelMembership,
    SlackSyncRun,
    SlackWorkspace,
)
from community.services import slack_state


def slack_status() -> dict:
    return {
        "enabled": settings.SLACK_ENABLED,
        "grid": bool(settings.SLACK_ADMIN_TOKEN),
        "workspace": SlackWorkspace.objects.filter(pk=1).first(),
        "accounts_due": SlackAccount.objects.needing_sync().count(),
        "channels_due": SlackChannel.objects.needing_sync().count(),
    }


class AttentionFilter(admin.SimpleListFilter):
    title = "sync"
    parameter_name = "sync"

    def lookups(self, request, model_admin):
        return [("error", "Has an error"), ("due", "Waiting for a sync"), ("ok", "In step")]

    def queryset(self, request, queryset):
        due = Q(synced_version__lt=F("version"))
        if self.value() == "error":
            return queryset.exclude(last_error="")
        if self.value() == "due":
            return queryset.filter(due, last_error="")
        if self.value() == "ok":
            return queryset.filter(last_error="").exclude(due)
        return queryset


class SlackAdmin(admin.ModelAdmin):
    """Read-only pages with the Slack status on top and a "Sync now" action."""

    change_list_template = "admin/community/slack_change_list.html"
    actions = ["sync_now"]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"slack": slack_status(), **(extra_context or {})})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + list(self.readonly_fields)

    @admin.action(description="Sync now (and retry after an error)", permissions=["change"])
    def sync_now(self, request, queryset):
        if not settings.SLACK_ENABLED:
            self.message_user(request, "Slack is not configured.", messages.WARNING)
            return
        rows = list(queryset)
        for row in rows:
            slack_state.mark_changed(row, trigger="admin")
        self.message_user(request, f"{len(rows)} queued for a Slack sync.", messages.SUCCESS)

    @admin.display(description="last error")
    def error(self, obj):
        return Truncator(obj.last_error).chars(80)


@admin.register(SlackAccount)
class SlackAccountAdmin(SlackAdmin):
    list_display = [
        "__str__",
        "state",
        "slack_user_id",
        "in_community",
        "offboarded_at",
        "error",
        "last_synced_at",
    ]
    list_filter = [AttentionFilter, "state"]
    list_select_related = ["user__member"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "slack_user_id"]

    @admin.display(description="in the community", boolean=True)
    def in_community(self, obj):
        return obj.is_wanted


class MembershipInline(admin.TabularInline):
    model = SlackChannelMembership
    fields = ["account", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SlackChannel)
class SlackChannelAdmin(SlackAdmin):
    list_display = [
        "__str__",
        "kind",
        "is_private",
        "slack_id",
        "ownership",
        "expected_members",
        "actual_members",
        "drift",
        "archive",
        "error",
        "checked_at",
    ]
    list_filter = [AttentionFilter, "kind", "archive"]
    search_fields = ["name", "slack_id"]
    readonly_fields = ["drift", "ownership"]
    inlines = [MembershipInline]
    actions = ["sync_now", "hand_over"]

    def has_hand_over_permission(self, request) -> bool:
        return request.user.has_perm("community.hand_over_slackchannel")

    @admin.action(
        description="Hand the Slack channel of this name over to the site",
        permissions=["hand_over"],
    )
    def hand_over(self, request, queryset):
        rows = list(queryset)
        for row in rows:
            slack_state.hand_over_channel(row, by=request.user)
        self.message_user(
            request,
            f"{len(rows)} handed over: the site now manages who is in them, removals included.",
            messages.SUCCESS,
        )

    @admin.display(description="managed by the site")
    def ownership(self, obj):
        if obj.is_owned and obj.kind == SlackChannel.Kind.DEFAULT:
            return "yes (SLACK_DEFAULT_CHANNELS)"
        if obj.is_owned:
            return "yes (handed over)" if obj.handed_over_at else "yes (created by the site)"
        return "no: members are only added" if obj.slack_id else "-"

    @admin.display(description="drift")
    def drift(self, obj):
        if obj.checked_at is None:
            return "not checked yet"
        if not obj.missing_members and not obj.unexpected_members:
            return "in step"
        return f"{obj.missing_members} missing, {obj.unexpected_members} to remove"


@admin.register(SlackSyncRun)
class SlackSyncRunAdmin(SlackAdmin):
    actions = None
    list_display = [
        "started_at",
        "scope",
        "target",
        "trigger",
        "status",
        "total_calls",
        "write_calls",
        "summary",
    ]
    list_filter = ["status", "scope", "trigger"]
    fields = [
        "scope",
        "target",
        "trigger",
        "status",
        "started_at",
        "finished_at",
        "calls",
        "changes_list",
        "error",
    ]
    readonly_fields = ["changes_list"]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="calls")
    def total_calls(self, obj):
        return obj.total_calls

    @admin.display(description="writes")
    def write_calls(self, obj):
        return obj.write_calls

    @admin.display(description="what changed")
    def summary(self, obj):
        if obj.error:
            return Truncator(obj.error).chars(80)
        if not obj.changes:
            return "nothing to change"
        more = f" (+{len(obj.changes) - 1} more)" if len(obj.changes) > 1 else ""
        return Truncator(obj.changes[0]).chars(80) + more

    @admin.display(description="changes")
    def changes_list(self, obj):
        return format_html_join("\n", "<li>{}</li>", ((line,) for line in obj.changes)) or "-"

    def get_urls(self):
        view = self.admin_site.admin_view(self.reconcile_view)
        return [path("reconcile/", view, name="community_slack_reconcile"), *super().get_urls()]

    def reconcile_view(self, request):
        """The "Sync everything now" button: a full reconcile, as the periodic one does."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("community.change_slackaccount"):
            raise PermissionDenied
        if settings.SLACK_ENABLED:
            slack_state.reconcile_soon(trigger="admin")
            self.message_user(request, "A full Slack sync is queued.", messages.SUCCESS)
        else:
            self.message_user(request, "Slack is not configured.", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:community_slacksyncrun_changelist"))
