"""Behaviours of a real Slack workspace the sync must survive: channels people made under a name the
site wants, rate-limit storms in a large workspace, missing scopes, per-user invite refusals,
look-alike addresses and deactivated users.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community.demo import seed_members
from community.models import Member, SlackAccount, SlackChannel, SlackSyncRun, SlackWorkspace
from community.services import slack_state, slack_sync
from community.slack import TransientSlackError
from tests.conftest import make_member, make_user
from tests.fakes import fake_slack_fixture, slack_fixture  # noqa: F401
from tests.fakes.slack_server import PAGE_LIMIT

pytestmark = pytest.mark.django_db
State = SlackAccount.State


@pytest.fixture
def linked(slack, django_capture_on_commit_callbacks):
    """`linked(email)`: a member already in Slack, linked and in the default channels."""

    def link(email: str, name: str = "Some Member"):
        user = make_user(email, name=name)
        make_member(user)
        slack.add_user(email, name=name)
        with django_capture_on_commit_callbacks(execute=True):
            slack_state.record_new_member(user.member)
        return user

    return link


def slack_id(user) -> str:
    return SlackAccount.objects.get(user=user).slack_user_id


def reconcile_until_done(limit: int = 200) -> int:
    """Run the reconcile as the task's retries would (without waiting); returns the runs made."""
    for runs in range(1, limit + 1):
        try:
            slack_sync.reconcile(trigger="test")
        except TransientSlackError:
            continue
        return runs
    raise AssertionError(f"the reconcile did not finish in {limit} runs")


# Channels the site does not own


def test_a_circle_never_takes_over_a_public_channel_people_made_under_its_name(
    slack, linked, django_capture_on_commit_callbacks
):
    maya, pat = linked("maya@example.com"), linked("pat@example.com")
    stranger = slack.add_user("stranger@elsewhere.example")
    theirs = slack.add_channel("circle-rome-1", members=[slack_id(pat), stranger])
    with django_capture_on_commit_callbacks(execute=True):
        channel = slack_state.circle_channel("circle-rome-1")
        slack_state.declare_membership(channel, maya)

    slack_sync.reconcile(trigger="test")

    assert slack.channels[theirs]["members"] - {slack.bot_user_id} == {slack_id(pat), stranger}
    channel.refresh_from_db()
    assert channel.slack_id == ""
    assert "taken by a channel people made" in channel.last_error
    assert len([c for c in slack.channels.values() if c["name"] == "circle-rome-1"]) == 1


def test_a_channel_an_organizer_handed_over_is_managed_like_one_the_site_created(
    slack, linked, organizer, django_capture_on_commit_callbacks
):
    maya, pat = linked("maya@example.com"), linked("pat@example.com")
    slack.add_channel("circle-oslo-1", private=True, members=[slack_id(pat)])
    with django_capture_on_commit_callbacks(execute=True):
        channel = slack_state.circle_channel("circle-oslo-1")
        slack_state.declare_membership(channel, maya)
    assert "taken" in SlackChannel.objects.get(pk=channel.pk).last_error

    with django_capture_on_commit_callbacks(execute=True):
        slack_state.hand_over_channel(channel, by=organizer)

    channel.refresh_from_db()
    assert channel.last_error == "" and channel.is_owned
    assert channel.handed_over_by == organizer
    assert slack.members("circle-oslo-1") == {slack_id(maya)}  # Pat was not declared


def test_nobody_is_removed_from_a_channel_people_made_though_they_left_the_community(
    slack, linked, django_capture_on_commit_callbacks
):
    maya = linked("maya@example.com")
    book_club = slack.add_channel("book-club", members=[slack_id(maya)])
    SlackChannel.objects.create(name="book-club")  # another app wants members added to it
    slack_sync.reconcile(trigger="test")

    with django_capture_on_commit_callbacks(execute=True):
        Member.objects.filter(user=maya).update(status=Member.Status.REVOKED)
        slack_state.record_offboarding(maya)
    slack_sync.reconcile(trigger="test")

    assert slack_id(maya) not in slack.members("lobby")  # a default channel: handed over
    assert slack_id(maya) in slack.channels[book_club]["members"]
    assert not SlackChannel.objects.get(name="book-club").is_owned


def test_a_circle_channel_name_slack_would_refuse_is_a_clear_error(slack):
    with pytest.raises(ValidationError, match="at most 80 characters; this one has 85"):
        slack_state.circle_channel("c" * 85)
    with pytest.raises(ValidationError, match="lowercase"):
        slack_state.circle_channel("Circle London")
    assert not SlackChannel.objects.exists()


# Rate-limit storms


def test_a_storm_of_429s_on_every_third_call_converges_in_a_workspace_of_3000_users(
    slack, settings
):
    settings.SLACK_DEFAULT_CHANNELS = ["lobby", "announcements", "general-chat"]
    seed_members(300)
    for i in range(3000 - 300 - len(slack.users)):
        slack.add_user(f"guest{i}@elsewhere.example")
    members = {
        slack.add_user(email)
        for email in Member.objects.values_list("user__email", flat=True).order_by("pk")
    }
    everyone = set(slack.users) - {slack.bot_user_id}
    slack.add_channel("general-chat", members=everyone - members)  # 2,700 to read, 300 to add
    circle = slack_state.circle_channel("circle-big-1")
    for user in Member.objects.select_related("user")[:8]:
        slack_state.declare_membership(circle, user.user)
    slack.rate_limit_every(3)

    runs = reconcile_until_done()

    assert runs > 1
    for name in ("lobby", "announcements", "general-chat"):
        assert members <= slack.members(name), name
    assert len(slack.members("circle-big-1")) == 8
    assert SlackAccount.objects.filter(state=State.LINKED).count() == 300
    pages = -(-len(slack.users) // PAGE_LIMIT)
    assert slack.calls["users.list"] <= pages + runs  # each page read once, give or take a 429
    workspace = SlackWorkspace.get()
    assert workspace.round_started_at is None and workspace.last_full_sync_at is not None


def test_a_rate_limited_users_list_does_not_hold_up_the_channels(slack, linked):
    maya = linked("maya@example.com")
    newcomer = make_user("newcomer@example.com")
    make_member(newcomer)
    slack.add_user(newcomer.email)
    slack_state.ensure_member_accounts()
    slack.channel("lobby")["members"].discard(slack_id(maya))
    slack.rate_limit(times=None, retry_after=30, method="users.list")

    with pytest.raises(TransientSlackError) as deferred:
        slack_sync.reconcile(trigger="test")

    assert deferred.value.retry_after == 30
    assert slack_id(maya) in slack.members("lobby")
    assert slack.calls["users.list"] == 1  # asked once, then left alone until Retry-After
    slack.clear_faults()
    slack_sync.reconcile(trigger="test")
    assert slack_id(newcomer) in slack.members("lobby")


# Missing scopes, refusals, look-alikes


def test_a_missing_scope_is_recorded_on_the_channel_it_concerns_naming_the_scope(
    slack, linked, django_capture_on_commit_callbacks
):
    maya = linked("maya@example.com")
    slack.missing_scope("conversations.create", "groups:write")
    with django_capture_on_commit_callbacks(execute=True):
        channel = slack_state.circle_channel("circle-lima-1")
    slack.channel("lobby")["members"].discard(slack_id(maya))

    run = slack_sync.reconcile(trigger="test")

    assert run.status == SlackSyncRun.Status.DONE
    channel.refresh_from_db()
    assert "missing_scope" in channel.last_error and "groups:write" in channel.last_error
    assert slack_id(maya) in slack.members("lobby")  # the rest went on
    assert SlackWorkspace.get().last_error == ""


def test_a_missing_scope_for_users_list_is_shown_on_the_workspace_and_channels_still_sync(
    slack, linked, member
):
    maya = linked("maya@example.com")
    slack_state.ensure_member_accounts()  # Maya Member waits to be linked
    slack.missing_scope("users.list", "users:read.email")
    slack.channel("lobby")["members"].discard(slack_id(maya))

    run = slack_sync.reconcile(trigger="test")

    assert run.status == SlackSyncRun.Status.DONE
    assert "users:read.email" in SlackWorkspace.get().last_error
    assert slack_id(maya) in slack.members("lobby")


def test_a_user_slack_refuses_to_invite_gets_the_error_and_the_others_are_recorded_as_added(slack):
    users = []
    for name in ("ada", "bob", "cy"):
        user = make_user(f"{name}@example.com", name=f"{name.title()} Member")
        make_member(user)
        users.append((user, slack.add_user(user.email)))
    slack.refuse_invites(users[1][1], "invitee_cant_see_channel")

    run = slack_sync.reconcile(trigger="test")

    refused = SlackAccount.objects.get(user=users[1][0])
    assert "invitee_cant_see_channel" in refused.last_error
    lobby = SlackChannel.objects.get(name="lobby")
    assert lobby.last_error == ""
    assert slack.members("lobby") == {users[0][1], users[2][1]}
    assert "added to #lobby: Ada Member, Cy Member" in run.changes
    assert (lobby.actual_members, lobby.missing_members) == (2, 1)  # Bob, with his error


def test_the_drift_does_not_count_the_apps_own_bot_as_a_member(slack, linked):
    linked("maya@example.com")

    slack_sync.reconcile(trigger="test")

    lobby = SlackChannel.objects.get(name="lobby")
    assert lobby.expected_members == lobby.actual_members == 1
    assert (lobby.missing_members, lobby.unexpected_members) == (0, 0)


def test_two_slack_users_whose_emails_differ_only_in_case_are_reported_not_linked(slack, member):
    first = slack.add_user("Member@Example.com")
    second = slack.add_user("member@example.com")
    slack_state.ensure_member_accounts()

    slack_sync.reconcile(trigger="test")
    slack_sync.reconcile(trigger="test")

    account = SlackAccount.objects.get(user=member)
    assert account.slack_user_id == "" and account.state != State.LINKED
    assert first in account.last_error and second in account.last_error
    assert slack.members("lobby") == set()


def test_a_slack_page_with_an_html_body_is_retried_not_recorded_as_an_error(slack, linked):
    maya = linked("maya@example.com")
    slack.channel("lobby")["members"].discard(slack_id(maya))
    slack.html_page(method="conversations.members")

    with pytest.raises(TransientSlackError):
        slack_sync.reconcile(trigger="test")
    slack_sync.reconcile(trigger="test")

    assert SlackChannel.objects.get(name="lobby").last_error == ""
    assert slack_id(maya) in slack.members("lobby")


def test_a_reconcile_round_resumed_with_an_expired_cursor_starts_the_list_again(slack, member):
    slack_state.ensure_member_accounts()
    slack.add_user(member.email)
    SlackWorkspace.get()
    SlackWorkspace.objects.update(round_started_at=timezone.now(), users_cursor="b2Zmc2V0Ong=")

    with pytest.raises(TransientSlackError):
        slack_sync.reconcile(trigger="test")
    slack_sync.reconcile(trigger="test")

    assert SlackAccount.objects.get(user=member).state == State.LINKED
