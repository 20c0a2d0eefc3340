"""What Slack should look like: these functions record desired state and ask for a sync on commit.

Nothing here calls Slack. `community.services.slack_sync` does, from Celery, and a periodic
reconcile catches anything whose sync never ran (the broker was down, a worker died).

Learning circles and mentoring groups declare their wish with `group_channel` (`circle_channel`),
`declare_membership` (only once the member has accepted and consented), `withdraw_membership` and
`request_archive`.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from community.models import Member, SlackAccount, SlackChannel, SlackChannelMembership, User
from community.models.slack import validate_channel_name
from community.queue import enqueue_on_commit

State = SlackAccount.State


def _enqueue(row: SlackAccount | SlackChannel, trigger: str) -> None:
    if not settings.SLACK_ENABLED:
        return
    from community import tasks

    if isinstance(row, SlackAccount):
        enqueue_on_commit(tasks.sync_slack_account, row.pk, trigger=trigger)
    else:
        enqueue_on_commit(tasks.sync_slack_channel, row.pk, trigger=trigger)


def mark_changed(row: SlackAccount | SlackChannel, *, trigger: str = "change") -> None:
    """Desired state changed (or a person asked to retry): the row needs a sync, on commit, and
    its last error no longer stands."""
    type(row).objects.filter(pk=row.pk).update(
        version=F("version") + 1, last_error="", last_error_at=None
    )
    row.refresh_from_db(fields=["version", "last_error", "last_error_at"])
    _enqueue(row, trigger)


def reconcile_soon(*, trigger: str = "admin") -> None:
    """Ask for a full reconcile once the transaction commits."""
    if settings.SLACK_ENABLED:
        from community import tasks

        enqueue_on_commit(tasks.reconcile_slack, trigger=trigger)


def welcome_invite_url() -> str:
    """The shared invite link for the welcome email; with an admin token we invite directly."""
    return "" if settings.SLACK_ADMIN_TOKEN else settings.SLACK_INVITE_URL


@transaction.atomic
def record_new_member(member: Member) -> SlackAccount:
    """A member was approved (or approved again): they belong in Slack."""
    account, _ = SlackAccount.objects.select_for_update().get_or_create(user=member.user)
    if account.state == State.NOT_INVITED and welcome_invite_url():
        account.state, account.invited_at = State.INVITED, timezone.now()
    account.offboarded_at = None
    account.save(update_fields=["state", "invited_at", "offboarded_at"])
    mark_changed(account)
    return account


@transaction.atomic
def record_offboarding(user: User) -> SlackAccount | None:
    """The user is about to be deleted, or their membership was revoked: they leave every channel
    we manage. The account row outlives the user, so the sync still knows their Slack ID."""
    account = SlackAccount.objects.select_for_update().filter(user=user).first()
    if account is None:
        return None
    account.offboarded_at = None
    account.save(update_fields=["offboarded_at"])
    mark_changed(account)
    return account


def slack_email(slack_user: dict) -> str:
    return ((slack_user.get("profile") or {}).get("email") or "").strip().lower()


def verified_emails(user_ids) -> dict[str, int]:
    """{email: user id} for the addresses these users have verified with us."""
    found = EmailAddress.objects.filter(verified=True, user_id__in=list(user_ids))
    return {email.lower(): user_id for email, user_id in found.values_list("email", "user_id")}


def ambiguity(slack_user_ids) -> str:
    ids = " and ".join(sorted(slack_user_ids))
    return (
        f"Slack users {ids} both have this member's email address; ask the member which one is "
        "theirs, deactivate the other in Slack, then sync again."
    )


def apply_link(account: SlackAccount, slack_user: dict) -> bool:
    """Link the account to this Slack user; False when nothing changed.

    Linked needs the email confirmed on both sides: verified with us (checked by the caller) and,
    as far as Slack tells us, confirmed with Slack. Until then the account is only "joined".
    """
    if slack_user.get("deleted") or slack_user.get("is_bot"):
        return False
    confirmed = slack_user.get("is_email_confirmed", True) is not False
    state = State.LINKED if confirmed else State.JOINED
    if (account.state, account.slack_user_id) == (state, slack_user["id"]):
        return False
    holders = SlackAccount.objects.filter(slack_user_id=slack_user["id"]).exclude(pk=account.pk)
    if holders.wanted().exists():
        raise ValidationError(f"Slack user {slack_user['id']} is linked to another member.")
    holders.update(slack_user_id="", state=State.NOT_INVITED)  # left by a deleted account
    account.state, account.slack_user_id = state, slack_user["id"]
    account.linked_at = timezone.now() if confirmed else None
    account.save(update_fields=["state", "slack_user_id", "linked_at"])
    return True


def record_deactivation(slack_user_id: str) -> SlackAccount | None:
    """Slack says the user was deactivated: the account is no longer linked to a live user."""
    account = SlackAccount.objects.filter(slack_user_id=slack_user_id).first()
    if account is not None and account.state != State.DEACTIVATED:
        account.state = State.DEACTIVATED
        account.save(update_fields=["state"])
    return account


@transaction.atomic
def link_slack_user(slack_user: dict) -> SlackAccount | None:
    """A Slack user joined the workspace or changed: link them to the member with that email."""
    if slack_user.get("deleted") and slack_user.get("id"):
        return record_deactivation(slack_user["id"])
    email = slack_email(slack_user)
    if not email or not slack_user.get("id"):
        return None
    verified = EmailAddress.objects.filter(verified=True, email__iexact=email).values("user_id")
    member = Member.objects.filter(user_id__in=verified).select_related("user").first()
    if member is None or not member.is_active:
        return None
    account, _ = SlackAccount.objects.select_for_update().get_or_create(user=member.user)
    linked_elsewhere = account.state in (State.LINKED, State.JOINED) and account.slack_user_id
    if linked_elsewhere and account.slack_user_id != slack_user["id"]:
        SlackAccount.objects.filter(pk=account.pk).update(
            last_error=ambiguity({account.slack_user_id, slack_user["id"]}),
            last_error_at=timezone.now(),
        )
        return account
    try:
        changed = apply_link(account, slack_user)
    except ValidationError:
        return None
    if changed:
        mark_changed(account, trigger="event")
    return account


def group_channel(name: str) -> SlackChannel:
    """A private channel holding exactly the members declared for it: a learning circle's or a
    mentoring group's (created in Slack by the next sync)."""
    validate_channel_name(name)
    channel, created = SlackChannel.objects.get_or_create(
        name=name, defaults={"kind": SlackChannel.Kind.CIRCLE, "is_private": True}
    )
    if channel.kind != SlackChannel.Kind.CIRCLE:
        raise ValidationError(f"#{name} already exists and is not a private group channel.")
    if created:
        mark_changed(channel)
    return channel


def circle_channel(name: str) -> SlackChannel:
    """The private channel of a learning circle."""
    return group_channel(name)


@transaction.atomic
def declare_membership(channel: SlackChannel, user: User) -> SlackChannelMembership:
    """This member should be in this channel. For circles: only after they accepted and consented."""
    member = Member.objects.filter(user=user).first()
    if member is None or not member.is_active:
        raise ValidationError("Only active members can be added to Slack channels.")
    account, _ = SlackAccount.objects.get_or_create(user=user)
    membership, created = SlackChannelMembership.objects.get_or_create(
        channel=channel, account=account
    )
    if created:
        mark_changed(channel)
    return membership


@transaction.atomic
def withdraw_membership(channel: SlackChannel, user: User) -> None:
    """This member should no longer be in this channel (they left the circle)."""
    deleted, _ = SlackChannelMembership.objects.filter(channel=channel, account__user=user).delete()
    if deleted:
        mark_changed(channel)


@transaction.atomic
def hand_over_channel(channel: SlackChannel, *, by: User) -> None:
    """An organizer lets the site manage the Slack channel of this name, removals included.

    The next sync adopts the channel it finds under the name, even one that people made."""
    updates = {"handed_over_at": timezone.now(), "handed_over_by": by}
    if channel.slack_id:
        updates["owned_slack_id"] = channel.slack_id
    SlackChannel.objects.filter(pk=channel.pk).update(**updates)
    for field, value in updates.items():
        setattr(channel, field, value)
    mark_changed(channel, trigger="admin")


@transaction.atomic
def request_archive(channel: SlackChannel) -> None:
    """Archive the channel in Slack (the circle ended)."""
    if not channel.archive:
        SlackChannel.objects.filter(pk=channel.pk).update(archive=True)
        channel.archive = True
        mark_changed(channel)


def ensure_default_channels() -> None:
    """SLACK_DEFAULT_CHANNELS decides which channels hold every member."""
    names = settings.SLACK_DEFAULT_CHANNELS
    for name in names:
        channel, created = SlackChannel.objects.get_or_create(
            name=name, defaults={"kind": SlackChannel.Kind.DEFAULT}
        )
        if not created and channel.kind != SlackChannel.Kind.DEFAULT:
            SlackChannel.objects.filter(pk=channel.pk).update(kind=SlackChannel.Kind.DEFAULT)
    former = SlackChannel.objects.filter(kind=SlackChannel.Kind.DEFAULT).exclude(name__in=names)
    former.update(kind=SlackChannel.Kind.OTHER)


def ensure_member_accounts() -> int:
    """Every active member has an account row (members from before Slack was set up, say)."""
    missing = Member.objects.active().filter(user__slack_account__isnull=True)
    accounts = [
        SlackAccount(user_id=user_id) for user_id in missing.values_list("user_id", flat=True)
    ]
    SlackAccount.objects.bulk_create(accounts, batch_size=1000)
    return len(accounts)
