"""Slack kept in step with the community: joining, channels, circles, leaving, deleting an account.

Slack is the local fake workspace (tests/fakes/slack_server.py) spoken to through the real
slack-sdk client; Celery tasks run in-process once the surrounding transaction commits.
"""

import json

import pytest

from community.models import Member, SlackAccount, SlackChannel, SlackSyncRun
from community.services import slack_state, slack_sync
from community.services.account import delete_account
from community.services.applications import approve_application
from tests.conftest import make_application, make_member, make_user
from tests.fakes import INVITE_URL, SIGNING_SECRET, fake_slack_fixture, slack_fixture  # noqa: F401
from tests.fakes.slack_server import event_body, signed_headers

pytestmark = pytest.mark.django_db
State = SlackAccount.State


@pytest.fixture
def approve(organizer, django_capture_on_commit_callbacks):
    def approve(user):
        with django_capture_on_commit_callbacks(execute=True):
            return approve_application(
                user.applications.get(), reviewed_by=organizer, reason="Leads 40 engineers."
            )

    return approve


@pytest.fixture
def post_event(client, django_capture_on_commit_callbacks):
    def post(event: dict, *, secret=SIGNING_SECRET):
        body = event_body(event)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/slack/events/",
                body,
                content_type="application/json",
                **signed_headers(secret, body),
            )

    return post


@pytest.fixture
def linked_member(slack, member, django_capture_on_commit_callbacks):
    """Maya, a member already in Slack, linked and in the default channels."""
    slack.add_user(member.email, name="Maya Member")
    with django_capture_on_commit_callbacks(execute=True):
        slack_state.record_new_member(member.member)
    return member


def slack_id(user) -> str:
    return SlackAccount.objects.get(user=user).slack_user_id


def test_an_approved_member_is_sent_the_invite_link_and_added_to_the_default_channels_once_they_join(
    slack, applicant, approve, post_event, mailoutbox
):
    approve(applicant)

    account = SlackAccount.objects.get(user=applicant)
    assert account.state == State.INVITED
    welcome = next(m for m in mailoutbox if "welcome" in m.subject.lower())
    assert INVITE_URL in welcome.body
    assert slack.calls["users.lookupByEmail"] == 1  # not in Slack yet
    assert slack.write_calls == 0

    slack_user = slack.user(slack.add_user(applicant.email, name="Alex Applicant"))
    response = post_event({"type": "team_join", "user": slack_user})

    assert response.status_code == 200
    account.refresh_from_db()
    assert (account.state, account.slack_user_id) == (State.LINKED, slack_user["id"])
    assert slack_user["id"] in slack.members("lobby")
    assert slack_user["id"] in slack.members("announcements")  # the app joined it first
    assert slack.calls["conversations.join"] == 1


def test_the_periodic_sweep_links_a_member_whose_join_event_never_arrived(
    slack, applicant, approve
):
    approve(applicant)
    slack_user_id = slack.add_user(applicant.email)

    slack_sync.reconcile(trigger="test")

    account = SlackAccount.objects.get(user=applicant)
    assert (account.state, account.slack_user_id) == (State.LINKED, slack_user_id)
    assert slack_user_id in slack.members("lobby") & slack.members("announcements")


def test_a_member_is_only_joined_until_slack_confirms_their_email(slack, applicant, approve):
    slack_user_id = slack.add_user(applicant.email, confirmed=False)
    approve(applicant)

    account = SlackAccount.objects.get(user=applicant)
    assert account.state == State.JOINED
    assert slack_user_id not in slack.members("lobby")

    slack.user(slack_user_id)["is_email_confirmed"] = True
    slack_sync.reconcile(trigger="test")

    account.refresh_from_db()
    assert account.state == State.LINKED
    assert slack_user_id in slack.members("lobby")


def test_a_slack_user_whose_email_matches_nobody_is_left_alone(slack, post_event):
    stranger = slack.user(slack.add_user("stranger@example.com"))

    assert post_event({"type": "team_join", "user": stranger}).status_code == 200

    assert not SlackAccount.objects.exists()
    assert slack.write_calls == 0


def test_a_revoked_member_is_removed_from_every_channel_we_manage(
    linked_member, slack, django_capture_on_commit_callbacks
):
    user_id = slack_id(linked_member)
    assert user_id in slack.members("lobby")

    with django_capture_on_commit_callbacks(execute=True):
        Member.objects.filter(user=linked_member).update(status=Member.Status.REVOKED)
        slack_state.record_offboarding(linked_member)

    assert user_id not in slack.members("lobby") | slack.members("announcements")
    assert SlackAccount.objects.get(user=linked_member).offboarded_at is not None


def test_a_deleted_account_is_removed_from_slack_though_the_user_row_is_gone(
    linked_member, slack, django_capture_on_commit_callbacks
):
    user_id = slack_id(linked_member)

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(linked_member)

    account = SlackAccount.objects.get(slack_user_id=user_id)
    assert account.user is None
    assert account.offboarded_at is not None
    assert user_id not in slack.members("lobby") | slack.members("announcements")


def test_someone_who_deleted_their_account_and_is_approved_again_is_linked_again(
    linked_member, slack, approve, django_capture_on_commit_callbacks
):
    user_id = slack_id(linked_member)
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(linked_member)
    returning = make_user("member@example.com", name="Maya Member")
    make_application(returning)

    approve(returning)

    assert slack_id(returning) == user_id
    assert user_id in slack.members("lobby")
    assert SlackAccount.objects.get(user=None).slack_user_id == ""


def test_the_sweep_offboards_a_revoked_member_even_when_nothing_asked_for_it(linked_member, slack):
    user_id = slack_id(linked_member)
    Member.objects.filter(user=linked_member).update(status=Member.Status.REVOKED)

    slack_sync.reconcile(trigger="test")

    assert user_id not in slack.members("lobby") | slack.members("announcements")


def test_a_circle_channel_holds_exactly_the_members_who_accepted_and_is_archived_at_the_end(
    linked_member, slack, django_capture_on_commit_callbacks
):
    peer = make_user("peer@example.com", name="Pat Peer")
    make_member(peer)
    slack.add_user(peer.email)
    with django_capture_on_commit_callbacks(execute=True):
        slack_state.record_new_member(peer.member)
        channel = slack_state.circle_channel("circle-london-1")
        slack_state.declare_membership(channel, linked_member)
        slack_state.declare_membership(channel, peer)

    circle = slack.channel("circle-london-1")
    assert circle["is_private"]
    assert slack.members("circle-london-1") == {slack_id(linked_member), slack_id(peer)}

    with django_capture_on_commit_callbacks(execute=True):
        slack_state.withdraw_membership(channel, peer)
    assert slack.members("circle-london-1") == {slack_id(linked_member)}
    assert slack_id(peer) in slack.members("lobby")  # leaving a circle is not leaving us

    with django_capture_on_commit_callbacks(execute=True):
        slack_state.request_archive(channel)
    assert circle["is_archived"]
    assert SlackChannel.objects.get(pk=channel.pk).archived_at is not None


def test_a_member_declared_before_joining_slack_lands_in_the_circle_channel_when_linked(
    slack, member, approve, post_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        slack_state.record_new_member(member.member)
        channel = slack_state.circle_channel("circle-berlin-2")
        slack_state.declare_membership(channel, member)
    assert slack.members("circle-berlin-2") == set()

    slack_user = slack.user(slack.add_user(member.email))
    post_event({"type": "team_join", "user": slack_user})

    assert slack.members("circle-berlin-2") == {slack_user["id"]}


def test_people_added_to_a_circle_channel_by_hand_are_removed_but_other_channels_keep_them(
    linked_member, slack, django_capture_on_commit_callbacks
):
    user_id = slack_id(linked_member)
    with django_capture_on_commit_callbacks(execute=True):
        slack_state.circle_channel("circle-paris-3")
    slack.channel("circle-paris-3")["members"].add(user_id)
    extra = slack.add_channel("book-club", members=[user_id])
    SlackChannel.objects.create(name="book-club", slack_id=extra)

    slack_sync.reconcile(trigger="test")

    assert user_id not in slack.members("circle-paris-3")
    assert user_id in slack.members("book-club")


def test_a_channel_left_by_hand_is_joined_again_by_the_next_reconcile(linked_member, slack):
    user_id = slack_id(linked_member)
    slack.channel("lobby")["members"].discard(user_id)

    run = slack_sync.reconcile(trigger="test")

    assert user_id in slack.members("lobby")
    assert run.calls["conversations.invite"] == 1
    assert any("lobby" in line for line in run.changes)


def test_a_second_reconcile_with_nothing_changed_makes_no_write_call(linked_member, slack):
    slack_sync.reconcile(trigger="test")
    slack.reset_calls()

    run = slack_sync.reconcile(trigger="test")

    assert slack.write_calls == 0
    assert run.write_calls == 0 and run.status == SlackSyncRun.Status.DONE
    assert run.changes == []
    lobby = SlackChannel.objects.get(name="lobby")
    assert (lobby.missing_members, lobby.unexpected_members) == (0, 0)


def test_syncing_an_account_again_with_nothing_changed_makes_no_call(linked_member, slack):
    account = SlackAccount.objects.get(user=linked_member)
    slack.reset_calls()

    assert slack_sync.sync_account(account.pk, trigger="test") is not None
    assert slack.total_calls == 0


def test_enterprise_grid_invites_members_directly_and_removes_them_from_the_workspace(
    slack, settings, applicant, approve, mailoutbox, django_capture_on_commit_callbacks
):
    slack.admin_token = "xoxp-fake-admin"
    settings.SLACK_ADMIN_TOKEN, settings.SLACK_TEAM_ID = slack.admin_token, slack.team_id

    approve(applicant)

    assert INVITE_URL not in next(m for m in mailoutbox if "welcome" in m.subject.lower()).body
    account = SlackAccount.objects.get(user=applicant)
    assert account.state == State.INVITED
    assert set(slack.invitations[applicant.email]) == {
        slack.channel("lobby")["id"],
        slack.channel("announcements")["id"],
    }

    user_id = slack.accept_invitation(applicant.email)
    slack_sync.reconcile(trigger="test")
    account.refresh_from_db()
    assert (account.state, account.slack_user_id) == (State.LINKED, user_id)

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(applicant)
    assert slack.user(user_id)["deleted"]
    assert slack.calls["admin.users.remove"] == 1


def test_without_a_bot_token_approval_works_and_the_wish_is_kept_for_later(
    applicant, approve, settings, mailoutbox
):
    settings.SLACK_ENABLED = False
    settings.SLACK_INVITE_URL = INVITE_URL

    member = approve(applicant)

    assert member.is_active
    assert SlackAccount.objects.get(user=applicant).state == State.INVITED
    assert slack_sync.reconcile(trigger="test") is None
    assert not SlackSyncRun.objects.exists()


def test_the_signed_events_endpoint_answers_slacks_url_verification(client, slack):
    body = json.dumps({"type": "url_verification", "challenge": "abc123"}).encode()
    response = client.post(
        "/slack/events/",
        body,
        content_type="application/json",
        **signed_headers(SIGNING_SECRET, body),
    )
    assert response.json() == {"challenge": "abc123"}


def test_an_application_can_still_be_approved_when_the_applicant_is_in_slack_already(
    slack, approve
):
    user = make_user("already@example.com", name="Ada Already")
    make_application(user)
    user_id = slack.add_user(user.email)

    approve(user)

    assert slack.calls["users.lookupByEmail"] == 1 and slack.calls["users.list"] == 0
    assert user_id in slack.members("lobby")
