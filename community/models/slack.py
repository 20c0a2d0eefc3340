"""Slack, as the site wants it to be: who is linked to which Slack user and who belongs in which channel.

The rows hold desired state; `community.services.slack_sync` brings Slack in step with them.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from .members import Member


class SlackWorkspace(models.Model):
    """The one workspace: errors that stop every sync, and the lease that keeps syncs from overlapping."""

    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_full_sync_at = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=64, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A full reconcile interrupted by a 429 resumes where it stopped (see slack_sync).
    round_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    users_cursor = models.CharField(max_length=500, blank=True, editable=False)
    users_listed = models.BooleanField(default=False, editable=False)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="one_slack_workspace")]

    def __str__(self) -> str:
        return "Slack workspace"

    @classmethod
    def get(cls) -> "SlackWorkspace":
        workspace, _ = cls.objects.get_or_create(pk=1)
        return workspace


class SyncedQuerySet(models.QuerySet):
    def needing_sync(self):
        """Rows changed since Slack was last brought in step with them."""
        return self.filter(synced_version__lt=F("version"))


class SlackAccountQuerySet(SyncedQuerySet):
    def wanted(self):
        """Accounts of active members: they belong in Slack."""
        return self.filter(user__member__status=Member.Status.ACTIVE)

    def unwanted(self):
        """Deleted users and revoked members: to be removed from every channel we manage."""
        return self.exclude(pk__in=self.wanted().values("pk"))


class SlackAccount(models.Model):
    """A member's Slack identity; kept after the user is deleted so they can still be removed."""

    class State(models.TextChoices):
        NOT_INVITED = "not_invited", "Not invited"
        INVITED = "invited", "Invited"
        JOINED = "joined", "Joined, email not yet confirmed on Slack"
        LINKED = "linked", "Linked"
        DEACTIVATED = "deactivated", "Deactivated in Slack"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="slack_account",
    )
    state = models.CharField(max_length=20, choices=State, default=State.NOT_INVITED)
    slack_user_id = models.CharField("Slack user ID", max_length=32, blank=True, db_index=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    linked_at = models.DateTimeField(null=True, blank=True)
    offboarded_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When they were removed from every channel we manage after leaving the community.",
    )
    # Desired state changed (version) vs. last brought in step with Slack (synced_version).
    version = models.PositiveIntegerField(default=1, editable=False)
    synced_version = models.PositiveIntegerField(default=0, editable=False)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SlackAccountQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slack_user_id"],
                condition=~Q(slack_user_id=""),
                name="one_account_per_slack_user",
            ),
            models.CheckConstraint(
                condition=~Q(state="linked") | ~Q(slack_user_id=""),
                name="linked_slack_accounts_have_an_id",
            ),
        ]

    def __str__(self) -> str:
        if self.user_id:
            return f"Slack account of {self.user}"
        return f"Slack account {self.slack_user_id or self.pk} (deleted user)"

    @property
    def is_wanted(self) -> bool:
        member = getattr(self.user, "member", None) if self.user_id else None
        return member is not None and member.is_active

    @property
    def is_linked(self) -> bool:
        return self.state == self.State.LINKED


SLACK_CHANNEL_NAME_LENGTH = 80


def validate_channel_name(name: str) -> None:
    """Slack's rule for channel names: https://docs.slack.dev/reference/methods/conversations.create"""
    if len(name) > SLACK_CHANNEL_NAME_LENGTH:
        raise ValidationError(
            f"Slack channel names have at most {SLACK_CHANNEL_NAME_LENGTH} characters; "
            f"this one has {len(name)}."
        )
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        raise ValidationError(
            "Slack channel names use only lowercase letters, digits, hyphens and underscores, "
            "and start with a letter or digit."
        )


class SlackChannel(models.Model):
    """A channel whose membership the site manages.

    Default channels hold every linked member. Circle channels are private and hold exactly the
    members declared for them: anyone else we manage is removed. Other channels hold at least the
    members declared for them. Deleted and revoked members are removed from all of them.
    """

    class Kind(models.TextChoices):
        DEFAULT = "default", "Every member"
        CIRCLE = "circle", "Learning circle"
        OTHER = "other", "Other"

    name = models.CharField(
        max_length=SLACK_CHANNEL_NAME_LENGTH, unique=True, validators=[validate_channel_name]
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.OTHER)
    is_private = models.BooleanField("private", default=False)
    slack_id = models.CharField("Slack channel ID", max_length=32, blank=True)
    # The site manages the membership of a channel only when it created it or an organizer handed
    # it over: a channel people made under the same name is never taken over.
    owned_slack_id = models.CharField(
        "Slack ID of the channel the site owns", max_length=32, blank=True, editable=False
    )
    handed_over_at = models.DateTimeField(null=True, blank=True, editable=False)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    archive = models.BooleanField(
        "archive in Slack", default=False, help_text="Set when the circle ends."
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    synced_version = models.PositiveIntegerField(default=0, editable=False)
    # What the last sync saw, for the admin's drift column.
    expected_members = models.PositiveIntegerField(null=True, blank=True)
    actual_members = models.PositiveIntegerField(null=True, blank=True)
    missing_members = models.PositiveIntegerField(null=True, blank=True)
    unexpected_members = models.PositiveIntegerField(null=True, blank=True)
    checked_at = models.DateTimeField("members checked at", null=True, blank=True)
    # A members read interrupted by a 429: {"cursor": next page, "members": [seen so far]}.
    reading = models.JSONField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SyncedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slack_id"], condition=~Q(slack_id=""), name="one_row_per_slack_channel"
            ),
            models.CheckConstraint(
                condition=~Q(kind="circle") | Q(is_private=True),
                name="circle_channels_are_private",
            ),
        ]
        permissions = [("hand_over_slackchannel", "Can hand a Slack channel over to the site")]

    def __str__(self) -> str:
        return f"#{self.name}"

    @property
    def is_live(self) -> bool:
        """Exists in Slack and is meant to stay open."""
        return bool(self.slack_id) and not self.archive

    @property
    def is_owned(self) -> bool:
        """The site may remove people from it: it created the channel, or an organizer handed it
        over (SLACK_DEFAULT_CHANNELS hands over the channels it names)."""
        if not self.slack_id:
            return False
        return self.kind == self.Kind.DEFAULT or self.slack_id == self.owned_slack_id


class SlackChannelMembership(models.Model):
    """This member should be in this channel (for channels that are not "every member")."""

    channel = models.ForeignKey(SlackChannel, on_delete=models.CASCADE, related_name="memberships")
    account = models.ForeignKey(
        SlackAccount, on_delete=models.CASCADE, related_name="channel_memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "account"], name="one_membership_per_channel_and_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} in {self.channel}"


class SlackSyncRun(models.Model):
    """What one sync did: the calls it made and the changes it made in Slack."""

    class Scope(models.TextChoices):
        FULL = "full", "Everything"
        ACCOUNT = "account", "One member"
        CHANNEL = "channel", "One channel"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        DEFERRED = "deferred", "Deferred, will retry"
        FAILED = "failed", "Failed"

    WRITE_METHODS = frozenset(
        {
            "conversations.create",
            "conversations.join",
            "conversations.invite",
            "conversations.kick",
            "conversations.archive",
            "admin.users.invite",
            "admin.users.remove",
        }
    )

    scope = models.CharField(max_length=10, choices=Scope)
    target = models.CharField(max_length=200, blank=True)
    trigger = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    calls = models.JSONField(default=dict, blank=True, help_text="Slack API calls by method.")
    changes = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.get_status_display().lower()})"

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def write_calls(self) -> int:
        return sum(n for method, n in self.calls.items() if method in self.WRITE_METHODS)
