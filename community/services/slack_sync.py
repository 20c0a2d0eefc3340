"""Bringing Slack in step with the desired state in the database; run from `community.tasks`.

One sync at a time holds the workspace lease (a conditional update, renewed while calls are made),
so two syncs never fight over a channel. Each step is saved as soon as Slack confirms it and
"already done" answers count as success, so a sync that stops half-way (a 429, a killed worker)
loses nothing: the next one finishes the work.

A full reconcile is a round that may take several runs: a 429 defers only the steps that need the
rate-limited method, the rest go on, and the next run resumes the round where it stopped (the
users.list cursor, the members read so far of each channel, channels already checked).

Three scopes:
- one account, right after it changed: link it, then a few writes and no reads;
- one channel: read its members, then add and remove the difference;
- everything, the periodic reconcile: read users.list and each channel's members, write only the
  difference. With nothing changed it makes no write call at all.
"""

import uuid
from collections import defaultdict
from datetime import timedelta
from time import monotonic

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from community.models import (
    SlackAccount,
    SlackChannel,
    SlackSyncRun,
    SlackWorkspace,
)
from community.services import slack_linking as linking
from community.services import slack_state
from community.services import slack_steps as steps
from community.slack import PermanentSlackError, SlackClient, TransientSlackError

Kind = SlackChannel.Kind
State = SlackAccount.State
Scope = SlackSyncRun.Scope
RUN_LOG_DAYS = 90
ROUND_LIFETIME = timedelta(hours=1)


class SyncBusy(Exception):
    """Another sync holds the lease; try again in `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"Another Slack sync is running; retry in {retry_after}s.")
        self.retry_after = retry_after


class LeaseLost(TransientSlackError):
    """Our lease ran out and another sync took over; it will finish the work."""


def _lease_seconds() -> timedelta:
    return timedelta(seconds=settings.SLACK_SYNC_LEASE_SECONDS)


def _claim_lease() -> str | None:
    SlackWorkspace.get()
    token, now = uuid.uuid4().hex, timezone.now()
    free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    claimed = SlackWorkspace.objects.filter(free, pk=1).update(
        lease_token=token, lease_expires_at=now + _lease_seconds()
    )
    return token if claimed else None


def _release_lease(token: str) -> None:
    SlackWorkspace.objects.filter(pk=1, lease_token=token).update(
        lease_token="", lease_expires_at=None
    )


def _seconds_until_lease_ends() -> int:
    expires = SlackWorkspace.objects.values_list("lease_expires_at", flat=True).first()
    remaining = (expires - timezone.now()).total_seconds() if expires else 0
    return int(min(max(remaining, 1), 30))


class Sync:
    """One run: the client, its log row, and how it records what changed and what failed."""

    def __init__(self, record: SlackSyncRun, token: str):
        self.record = record
        self.token = token
        self.renewed = self.saved = monotonic()
        self.client = SlackClient.from_settings(on_call=self._keep_lease)
        self.deferred: list[TransientSlackError] = []
        self.workspace_error = ""

    def _keep_lease(self, method: str) -> None:
        if monotonic() - self.renewed < settings.SLACK_SYNC_LEASE_SECONDS / 3:
            return
        renewed = SlackWorkspace.objects.filter(pk=1, lease_token=self.token).update(
            lease_expires_at=timezone.now() + _lease_seconds()
        )
        if not renewed:
            raise LeaseLost("Another Slack sync took over.", retry_after=30)
        self.renewed = monotonic()

    def save(self) -> None:
        self.record.calls = dict(self.client.calls)
        self.record.save(update_fields=["calls", "changes", "target"])

    def note(self, text: str) -> None:
        self.record.changes.append(text)
        if monotonic() - self.saved > 2:  # the log survives a killed worker, give or take a moment
            self.save()
            self.saved = monotonic()

    def fail(self, row: SlackAccount | SlackChannel, error) -> None:
        """Record a permanent error on the row; syncs leave it alone until it changes or is retried."""
        row.last_error, row.last_error_at = str(error), timezone.now()
        type(row).objects.filter(pk=row.pk).update(
            last_error=row.last_error, last_error_at=row.last_error_at
        )
        self.note(f"{row}: {error}")

    def record_error(self, row, exc: PermanentSlackError) -> None:
        if exc.is_workspace_wide:
            raise exc
        self.fail(row, exc)

    def step(self, step, *args) -> None:
        """Run one step; a 429 or an outage defers it and the others go on (Slack limits each
        method on its own). `raise_if_deferred` then has the task try again later."""
        try:
            step(self, *args)
        except LeaseLost:
            raise
        except TransientSlackError as exc:
            self.deferred.append(exc)

    def raise_if_deferred(self) -> None:
        if not self.deferred:
            return
        waits = [e.retry_after for e in self.deferred if e.retry_after]
        first = self.deferred[0]
        raise TransientSlackError(
            f"{len(self.deferred)} step(s) deferred, first: {first}",
            retry_after=min(waits) if waits else None,
            method=first.method,
            code=first.code,
        )

    def workspace_problem(self, exc: PermanentSlackError) -> None:
        """An error about no one row (users.list lacking a scope): shown on the workspace."""
        self.workspace_error = str(exc)
        self.note(str(exc))


def _mark_synced(rows) -> None:
    """Rows are in step at the version we loaded; a row changed meanwhile stays due."""
    by_version = defaultdict(list)
    for row in rows:
        by_version[(type(row), row.version)].append(row.pk)
    now = timezone.now()
    for (model, version), pks in by_version.items():
        for start in range(0, len(pks), 500):
            model.objects.filter(pk__in=pks[start : start + 500], version=version).update(
                synced_version=version, last_synced_at=now
            )


# The three scopes


def _sync_account(sync: Sync, account_id: int) -> None:
    account = SlackAccount.objects.select_related("user__member").filter(pk=account_id).first()
    if account is None or account.synced_version >= account.version:
        return
    sync.record.target = str(account)
    if not account.is_wanted:
        if account.offboarded_at is None and not account.last_error:
            steps.offboard(sync, account)
    elif not account.last_error:
        if not account.is_linked:
            linking.link_one(sync, account)
            linking.invite_to_workspace(sync, [account])
        if account.is_linked and not account.last_error:
            steps.place(sync, account)
    _mark_synced([account])


def _sync_channel(sync: Sync, channel_id: int) -> None:
    channel = SlackChannel.objects.filter(pk=channel_id).first()
    if channel is None or channel.synced_version >= channel.version:
        return
    sync.record.target = str(channel)
    if channel.archive:
        steps.archive_channels(sync, [channel])
    else:
        steps.resolve_channels(sync, [channel])
        if channel.slack_id and not channel.last_error:
            accounts = SlackAccount.objects.select_related("user__member").exclude(slack_user_id="")
            steps.converge(sync, channel, steps.Plan(list(accounts), [channel]))
    _mark_synced([channel])


CHANNEL_ORDER = {Kind.DEFAULT: 0, Kind.OTHER: 1, Kind.CIRCLE: 2}


def _round(workspace: SlackWorkspace) -> SlackWorkspace:
    """The reconcile round this run belongs to: the one a 429 interrupted, or a new one (also
    when the last is old: Slack's cursors do not last forever, nor does what we read)."""
    now = timezone.now()
    started = workspace.round_started_at
    if started is None or started < now - ROUND_LIFETIME:
        workspace.round_started_at = now
        workspace.users_cursor, workspace.users_listed = "", False
        workspace.save(update_fields=["round_started_at", "users_cursor", "users_listed"])
        SlackChannel.objects.exclude(reading=None).update(reading=None)
    return workspace


def _done_this_round(channel: SlackChannel, since) -> bool:
    """Checked in an earlier run of this round, after the last member was linked."""
    return channel.checked_at is not None and channel.checked_at >= since


def _sync_everything(sync: Sync, _target=None) -> None:
    slack_state.ensure_member_accounts()
    workspace = _round(SlackWorkspace.get())
    accounts = list(SlackAccount.objects.select_related("user__member"))
    channels = list(SlackChannel.objects.filter(archived_at__isnull=True))
    sync.step(steps.archive_channels, [c for c in channels if c.archive])
    live = sorted(
        (c for c in channels if not c.archive), key=lambda c: (CHANNEL_ORDER[c.kind], c.name)
    )
    sync.step(steps.resolve_channels, live)
    sync.step(linking.link_from_directory, accounts, workspace)
    sync.step(linking.invite_to_workspace, accounts)
    plan = steps.Plan(accounts, live)
    last_link = SlackAccount.objects.aggregate(last=Max("linked_at"))["last"]
    since = max(workspace.round_started_at, last_link or workspace.round_started_at)
    due = [c for c in live if c.slack_id and not c.last_error]
    for channel in [c for c in due if not _done_this_round(c, since)]:
        sync.step(steps.converge, channel, plan)
    sync.raise_if_deferred()
    if not any(c.last_error for c in due):  # someone leaving may still be in a failed channel
        for account in accounts:
            if not account.is_wanted and not account.offboarded_at and not account.last_error:
                steps.complete_offboarding(sync, account)
    _mark_synced(accounts + channels)
    SlackWorkspace.objects.filter(pk=1).update(
        last_full_sync_at=timezone.now(), round_started_at=None, users_cursor="", users_listed=False
    )
    SlackSyncRun.objects.filter(
        started_at__lt=timezone.now() - timedelta(days=RUN_LOG_DAYS)
    ).delete()


SCOPES = {Scope.FULL: _sync_everything, Scope.ACCOUNT: _sync_account, Scope.CHANNEL: _sync_channel}


def run(scope: str, target_id: int | None = None, *, trigger: str = "") -> SlackSyncRun | None:
    """Run one sync. Raises SyncBusy or TransientSlackError for the caller to retry later."""
    if not settings.SLACK_ENABLED:
        return None
    token = _claim_lease()
    if token is None:
        raise SyncBusy(_seconds_until_lease_ends())
    try:
        # Holding the lease, any other running sync is one whose worker died.
        SlackSyncRun.objects.filter(status=SlackSyncRun.Status.RUNNING).update(
            status=SlackSyncRun.Status.FAILED,
            error="Stopped before finishing.",
            finished_at=timezone.now(),
        )
        sync = Sync(SlackSyncRun.objects.create(scope=scope, trigger=trigger), token)
        _run_scope(sync, scope, target_id)
    finally:
        _release_lease(token)
    return sync.record


def _run_scope(sync: Sync, scope: str, target_id: int | None) -> None:
    try:
        slack_state.ensure_default_channels()
        SCOPES[scope](sync, target_id)
    except TransientSlackError as exc:
        _finish(sync, SlackSyncRun.Status.DEFERRED, str(exc))
        raise
    except PermanentSlackError as exc:  # about our credentials: every call would fail
        SlackWorkspace.objects.filter(pk=1).update(
            last_error=str(exc), last_error_at=timezone.now()
        )
        _finish(sync, SlackSyncRun.Status.FAILED, str(exc))
    except BaseException as exc:
        _finish(sync, SlackSyncRun.Status.FAILED, repr(exc))
        raise
    else:
        _finish(sync, SlackSyncRun.Status.DONE)


def _finish(sync: Sync, status: str, error: str = "") -> None:
    record = sync.record
    record.status, record.error, record.finished_at = status, error, timezone.now()
    record.calls = dict(sync.client.calls)
    if sync.workspace_error:
        SlackWorkspace.objects.filter(pk=1).update(
            last_error=sync.workspace_error, last_error_at=timezone.now()
        )
    elif status == SlackSyncRun.Status.DONE and record.calls:  # Slack accepted our token
        SlackWorkspace.objects.filter(pk=1).update(last_error="", last_error_at=None)
    if status == SlackSyncRun.Status.DONE and record.scope != Scope.FULL and not record.calls:
        record.delete()  # nothing was due: not worth a line in the log
        return
    record.save()


def reconcile(*, trigger: str = "") -> SlackSyncRun | None:
    return run(Scope.FULL, trigger=trigger)


def sync_account(account_id: int, *, trigger: str = "") -> SlackSyncRun | None:
    return run(Scope.ACCOUNT, account_id, trigger=trigger)


def sync_channel(channel_id: int, *, trigger: str = "") -> SlackSyncRun | None:
    return run(Scope.CHANNEL, channel_id, trigger=trigger)
