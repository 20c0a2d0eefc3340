"""Linking members to their Slack users: the sweep of users.list, one lookup, Grid invitations.

Steps of a Slack sync like those of `community.services.slack_steps`: each takes the running
`Sync`, saves what Slack confirmed at once and records permanent errors on the row they concern.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from community.models import SlackAccount, SlackChannel, SlackWorkspace
from community.services import slack_state
from community.services import slack_steps as steps
from community.slack import PermanentSlackError

if TYPE_CHECKING:
    from community.services.slack_sync import Sync

Kind = SlackChannel.Kind
State = SlackAccount.State


def _link(sync: Sync, account: SlackAccount, slack_user: dict) -> bool:
    try:
        return slack_state.apply_link(account, slack_user)
    except ValidationError as exc:
        sync.fail(account, exc.messages[0])
        return False


def _note_links(sync: Sync, accounts: list[SlackAccount]) -> None:
    for state in (State.LINKED, State.JOINED):
        if found := [a for a in accounts if a.state == state]:
            sync.note(f"{State(state).label}: {steps.names(found)}")


def _ambiguous(sync: Sync, account: SlackAccount, slack_ids) -> None:
    """Two Slack users have the member's address (perhaps differing only in case): link neither."""
    if account.slack_user_id:
        account.slack_user_id = ""
        account.state = State.INVITED if account.invited_at else State.NOT_INVITED
        account.linked_at = None
        account.save(update_fields=["state", "slack_user_id", "linked_at"])
    sync.fail(account, slack_state.ambiguity(slack_ids))


def _link_page(sync: Sync, candidates: dict, emails: dict, page: list[dict]) -> list:
    """Link the members this page of users.list names; returns the accounts that changed."""
    matches = defaultdict(set)
    for slack_user in page:
        if slack_user.get("deleted") or slack_user.get("is_bot") or not slack_user.get("id"):
            continue
        user_id = emails.get(slack_state.slack_email(slack_user))
        if user_id in candidates:
            matches[user_id].add(slack_user["id"])
    by_id = {u.get("id"): u for u in page}
    changed = []
    for user_id, slack_ids in matches.items():
        account = candidates[user_id]
        if account.last_error:  # refused or found ambiguous on an earlier page
            continue
        if account.state in (State.LINKED, State.JOINED) and account.slack_user_id:
            slack_ids = slack_ids | {account.slack_user_id}  # linked to another earlier on
        if len(slack_ids) > 1:
            _ambiguous(sync, account, slack_ids)
        elif _link(sync, account, by_id[next(iter(slack_ids))]):
            changed.append(account)
    return changed


def link_from_directory(sync: Sync, accounts: list[SlackAccount], workspace) -> None:
    """The sweep: match members waiting to be linked against users.list by verified email.

    Each page is saved with the cursor of the next, so a 429 half-way loses nothing: the next run
    of the same reconcile round goes on from there. Accounts linked earlier in the round stay
    candidates, so a second Slack user with the same address on a later page is noticed.
    """
    if workspace.users_listed:
        return
    started = workspace.round_started_at
    candidates = {
        a.user_id: a
        for a in accounts
        if a.is_wanted
        and not a.last_error
        and (not a.is_linked or (a.linked_at and started and a.linked_at >= started))
    }
    if not any(not a.is_linked for a in candidates.values()):
        return
    emails = slack_state.verified_emails(candidates.keys())
    cursor = workspace.users_cursor
    while True:
        try:
            page, cursor = sync.client.page("users.list", "members", cursor)
        except PermanentSlackError as exc:  # missing_scope, say: channels can still be synced
            if exc.code == "invalid_cursor":  # it expired: the next run starts the list again
                SlackWorkspace.objects.filter(pk=1).update(users_cursor="")
                raise steps.expired(exc) from exc
            if exc.is_workspace_wide:
                raise
            sync.workspace_problem(exc)
            return
        with transaction.atomic():  # one commit a page, not one a link
            changed = _link_page(sync, candidates, emails, page)
            SlackWorkspace.objects.filter(pk=1).update(users_cursor=cursor, users_listed=not cursor)
        _note_links(sync, changed)
        if not cursor:
            workspace.users_listed = True
            return


def link_one(sync: Sync, account: SlackAccount) -> None:
    email = account.user.email.lower()
    if email not in slack_state.verified_emails([account.user_id]):
        sync.fail(account, "The member's email address is not verified.")
        return
    try:
        slack_user = sync.client.user_by_email(email)
    except PermanentSlackError as exc:
        sync.record_error(account, exc)
        return
    if slack_user is not None and _link(sync, account, slack_user):
        _note_links(sync, [account])


def invite_to_workspace(sync: Sync, accounts: list[SlackAccount]) -> None:
    """Enterprise Grid: invite members not in the workspace yet, straight into the default channels."""
    targets = [
        a for a in accounts if a.is_wanted and a.state == State.NOT_INVITED and not a.last_error
    ]
    if not targets or not sync.client.can_administer:
        return
    defaults = list(SlackChannel.objects.filter(kind=Kind.DEFAULT, archive=False, last_error=""))
    steps.resolve_channels(sync, defaults)
    channel_ids = sorted(c.slack_id for c in defaults if c.slack_id and not c.last_error)
    if not channel_ids:
        sync.note("Nobody invited: Slack invites people into at least one default channel.")
        return
    invited = []
    for account in targets:
        try:
            sync.client.admin_invite(
                account.user.email, channel_ids=channel_ids, real_name=account.user.get_full_name()
            )
        except PermanentSlackError as exc:
            sync.record_error(account, exc)
            continue
        account.state, account.invited_at = State.INVITED, timezone.now()
        account.save(update_fields=["state", "invited_at"])
        invited.append(account)
    if invited:
        sync.note(f"Invited to the workspace: {steps.names(invited)}")
