"""The steps of a Slack sync: resolving channels, adding and removing people, offboarding.

Linking members to their Slack users is in `community.services.slack_linking`.

Each step takes the running `Sync` (see `community.services.slack_sync`), makes its calls through
`sync.client`, saves what Slack confirmed at once, and records permanent errors on the row they
concern (`sync.fail`) so the rest of the sync carries on.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from community.models import SlackAccount, SlackChannel, SlackChannelMembership
from community.slack import INVITE_BATCH, USER_ERRORS, PermanentSlackError, TransientSlackError

if TYPE_CHECKING:
    from community.services.slack_sync import Sync

Kind = SlackChannel.Kind
State = SlackAccount.State
NAMES_IN_NOTES = 10


def names(accounts) -> str:
    listed = sorted(str(a.user or a.slack_user_id) for a in accounts)
    shown = ", ".join(listed[:NAMES_IN_NOTES])
    return shown + (
        f" and {len(listed) - NAMES_IN_NOTES} more" if len(listed) > NAMES_IN_NOTES else ""
    )


def expired(exc: PermanentSlackError) -> TransientSlackError:
    """A cursor Slack no longer accepts: start that read again, soon."""
    return TransientSlackError(str(exc), method=exc.method, code=exc.code)


# Channels


def _set_slack_id(channel: SlackChannel, slack_id: str, *, owned: bool) -> None:
    channel.slack_id = slack_id
    channel.owned_slack_id = slack_id if owned else ""
    SlackChannel.objects.filter(pk=channel.pk).update(
        slack_id=slack_id, owned_slack_id=channel.owned_slack_id
    )


def _adopt(sync: Sync, channel: SlackChannel, found: dict) -> None:
    """A channel of this name exists: track it, and own it only if the site made it or an
    organizer handed it over. A circle never takes over a channel people made."""
    ours = found.get("creator") == sync.client.bot_user_id
    if channel.kind == Kind.CIRCLE and not (ours or channel.handed_over_at):
        sync.fail(
            channel,
            f"The name #{channel.name} is taken by a channel people made; the site will not take "
            "it over. Give the circle another channel name, or hand that channel over.",
        )
        return
    if channel.kind == Kind.CIRCLE and not found.get("is_private"):
        sync.fail(channel, f"#{channel.name} is public; a circle's channel must be private.")
        return
    _set_slack_id(channel, found["id"], owned=ours or bool(channel.handed_over_at))
    if found.get("is_general"):
        sync.fail(
            channel,
            "Slack puts everyone in the workspace's general channel; it cannot be managed.",
        )
    elif not found.get("is_member") and not found.get("is_private"):
        _join(sync, channel)


def _find_channels(sync: Sync, channels: list[SlackChannel]) -> None:
    """Look channels up by name in conversations.list; join public ones the app is not in."""
    wanted = {c.name: c for c in channels if not c.slack_id}
    for found in sync.client.channels():
        channel = wanted.pop(found["name"], None)
        if channel is not None:
            _adopt(sync, channel, found)
        if not wanted:
            return


def _join(sync: Sync, channel: SlackChannel) -> None:
    try:
        sync.client.join_channel(channel.slack_id)
    except PermanentSlackError as exc:
        sync.record_error(channel, exc)
        return
    sync.note(f"joined {channel}")


def resolve_channels(sync: Sync, channels: list[SlackChannel]) -> None:
    """Give every channel its Slack ID: find it (people made it, or handed it over) or create it."""
    pending = [c for c in channels if not c.slack_id and not c.archive and not c.last_error]
    findable = [c for c in pending if c.kind != Kind.CIRCLE or c.handed_over_at]
    try:
        if findable:
            _find_channels(sync, findable)
    except PermanentSlackError as exc:  # e.g. missing_scope: each channel says so
        for channel in findable:
            sync.record_error(channel, exc)
    taken = []
    for channel in [c for c in pending if not c.slack_id and not c.last_error]:
        try:
            created = sync.client.create_channel(channel.name, private=channel.is_private)
        except PermanentSlackError as exc:
            sync.record_error(channel, exc)
            continue
        if created is None:
            taken.append(channel)  # perhaps created by a run that stopped before saving its ID
        else:
            _set_slack_id(channel, created["id"], owned=True)
            sync.note(f"created {channel}")
    if taken:
        _find_channels(sync, taken)
    for channel in taken:
        if not channel.slack_id and not channel.last_error:
            sync.fail(
                channel,
                "The name is taken by a channel the app cannot see: give this one another name, "
                "or add the app to that channel and hand it over to the site.",
            )


def archive_channels(sync: Sync, channels: list[SlackChannel]) -> None:
    for channel in channels:
        if channel.last_error:
            continue
        if channel.slack_id:
            try:
                if sync.client.archive(channel.slack_id):
                    sync.note(f"archived {channel}")
            except PermanentSlackError as exc:
                sync.record_error(channel, exc)
                continue
        channel.archived_at = timezone.now()
        SlackChannel.objects.filter(pk=channel.pk).update(archived_at=channel.archived_at)


class Plan:
    """Who belongs in which channel, as the database says."""

    def __init__(self, accounts: list[SlackAccount], channels: list[SlackChannel]):
        self.by_slack_id = {a.slack_user_id: a for a in accounts if a.slack_user_id}
        placeable = [a for a in accounts if a.is_wanted and a.is_linked and not a.last_error]
        self.placeable = {a.pk: a.slack_user_id for a in placeable}
        self.gone = {a.slack_user_id for a in accounts if a.slack_user_id and not a.is_wanted}
        self.declared = defaultdict(set)
        memberships = SlackChannelMembership.objects.filter(channel__in=channels)
        for channel_id, account_id in memberships.values_list("channel_id", "account_id"):
            self.declared[channel_id].add(account_id)

    def wanted_in(self, channel: SlackChannel) -> set[str]:
        if channel.kind == Kind.DEFAULT:
            return set(self.placeable.values())
        return {uid for pk, uid in self.placeable.items() if pk in self.declared[channel.pk]}

    def removable_from(self, channel: SlackChannel) -> set[str]:
        """Members who left us go from channels we own; circles also lose members we did not
        declare. Nobody is removed from a channel the site does not own."""
        if not channel.is_owned:
            return set()
        if channel.kind == Kind.CIRCLE:
            return self.gone | (set(self.placeable.values()) - self.wanted_in(channel))
        return self.gone


def _invite(sync: Sync, channel: SlackChannel, user_ids: list[str]):
    try:
        return sync.client.invite_batch(channel.slack_id, user_ids)
    except PermanentSlackError as exc:
        if exc.code != "not_in_channel" or channel.is_private:
            raise
    sync.client.join_channel(channel.slack_id)  # the app must be in a channel to invite to it
    sync.note(f"joined {channel}")
    return sync.client.invite_batch(channel.slack_id, user_ids)


def _remove(sync: Sync, channel: SlackChannel, account: SlackAccount) -> bool:
    try:
        sync.client.kick(channel.slack_id, account.slack_user_id)
    except PermanentSlackError as exc:
        if exc.code == "user_not_found":
            return True  # no longer in Slack at all
        sync.record_error(account if exc.code in USER_ERRORS else channel, exc)
        return False
    return True


def _save_reading(channel: SlackChannel, cursor: str, members: set[str]) -> None:
    channel.reading = {"cursor": cursor, "members": sorted(members)}
    SlackChannel.objects.filter(pk=channel.pk).update(reading=channel.reading)


def _read_members(sync: Sync, channel: SlackChannel) -> set[str]:
    """The channel's members, read page by page; a read stopped by a 429 goes on where it was."""
    reading = channel.reading or {"cursor": "", "members": []}
    members, cursor = set(reading["members"]), reading["cursor"]
    if channel.reading is not None and not cursor:
        return members  # read to the end by an earlier run of this round
    while True:
        try:
            page, cursor = sync.client.page(
                "conversations.members", "members", cursor, channel=channel.slack_id
            )
        except PermanentSlackError as exc:
            if exc.code != "invalid_cursor":
                raise
            channel.reading = None  # it expired: the next run reads from the start
            SlackChannel.objects.filter(pk=channel.pk).update(reading=None)
            raise expired(exc) from exc
        members.update(page)
        _save_reading(channel, cursor, members)
        if not cursor:
            return members


def _add_missing(sync: Sync, channel: SlackChannel, plan: Plan, actual: set[str], missing):
    """Invite in batches, saving after each what Slack confirmed; returns who was added."""
    added_all: set[str] = set()
    missing = sorted(missing)
    for start in range(0, len(missing), INVITE_BATCH):
        batch = missing[start : start + INVITE_BATCH]
        added, refused = _invite(sync, channel, batch)
        for user_id, code in refused.items():
            sync.fail(plan.by_slack_id[user_id], f"conversations.invite: {code}")
        actual.update(set(batch) - set(refused))
        added_all |= added
        _save_reading(channel, "", actual)
    return added_all


def converge(sync: Sync, channel: SlackChannel, plan: Plan) -> bool:
    """Read the channel's members, add who is missing, remove who must go."""
    wanted, removable = plan.wanted_in(channel), plan.removable_from(channel)
    try:
        actual = _read_members(sync, channel)
        added = _add_missing(sync, channel, plan, actual, wanted - actual)
    except PermanentSlackError as exc:
        sync.record_error(channel, exc)
        return False
    leaving = [plan.by_slack_id[uid] for uid in sorted(actual & removable)]
    removed = {
        a.slack_user_id for a in leaving if not channel.last_error and _remove(sync, channel, a)
    }
    present = actual - removed - {sync.client.bot_user_id}
    channel.checked_at, channel.reading = timezone.now(), None
    SlackChannel.objects.filter(pk=channel.pk).update(
        expected_members=len(wanted),
        actual_members=len(present),
        missing_members=len(wanted - present),
        unexpected_members=len(present & removable),
        checked_at=channel.checked_at,
        reading=None,
    )
    if added:
        sync.note(f"added to {channel}: {names(plan.by_slack_id[uid] for uid in added)}")
    if removed:
        sync.note(f"removed from {channel}: {names(plan.by_slack_id[uid] for uid in removed)}")
    return not channel.last_error


# Offboarding


def complete_offboarding(sync: Sync, account: SlackAccount) -> None:
    if account.slack_user_id and sync.client.can_administer:
        try:
            sync.client.admin_remove(account.slack_user_id)
        except PermanentSlackError as exc:
            if exc.code != "user_not_found":
                sync.record_error(account, exc)
                return
    account.offboarded_at = timezone.now()
    account.save(update_fields=["offboarded_at"])
    if account.user_id is None:  # a deleted user: forget which channels they were in
        account.channel_memberships.all().delete()
    sync.note(f"{account}: offboarded")


def offboard(sync: Sync, account: SlackAccount) -> None:
    """Remove a member who left from every channel they may be in, then from the workspace."""
    if account.slack_user_id:
        channels = SlackChannel.objects.filter(archive=False, last_error="").exclude(slack_id="")
        channels = channels.filter(~Q(kind=Kind.CIRCLE) | Q(memberships__account=account))
        for channel in [c for c in channels.distinct() if c.is_owned]:
            if not _remove(sync, channel, account):
                return
    complete_offboarding(sync, account)


def place(sync: Sync, account: SlackAccount) -> None:
    """Add a newly linked member to their channels: one call per channel, no reads."""
    channels = SlackChannel.objects.filter(archive=False, last_error="")
    channels = list(
        channels.filter(Q(kind=Kind.DEFAULT) | Q(memberships__account=account)).distinct()
    )
    resolve_channels(sync, channels)
    for channel in channels:
        if not channel.slack_id or channel.last_error:
            continue
        try:
            added, refused = _invite(sync, channel, [account.slack_user_id])
        except PermanentSlackError as exc:
            sync.record_error(channel, exc)
            continue
        if refused:
            sync.fail(account, f"conversations.invite: {refused[account.slack_user_id]}")
            return
        if added:
            sync.note(f"added to {channel}: {account.user}")
