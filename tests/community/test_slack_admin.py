"""The Slack pages of the admin: members' Slack state, channel drift, the sync log, "sync now"."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import SlackAccount, SlackChannel, SlackSyncRun
from community.services import slack_state, slack_sync
from tests.conftest import give_totp, make_member, make_user
from tests.fakes import fake_slack_fixture, slack_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
ACCOUNTS = reverse("admin:community_slackaccount_changelist")
CHANNELS = reverse("admin:community_slackchannel_changelist")
RUNS = reverse("admin:community_slacksyncrun_changelist")
RECONCILE = reverse("admin:community_slack_reconcile")


@pytest.fixture
def operator(db):
    user = make_user("operator@example.com", name="Otto Operator", staff=True)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    give_totp(user)
    return user


@pytest.fixture
def admin_client(client_for, operator):
    return client_for(operator)


def accounts(count: int, **fields) -> list[SlackAccount]:
    made = []
    for _ in range(count):
        n = SlackAccount.objects.count()
        user = make_user(f"m{n}@example.com", name="Some Member")
        make_member(user)
        linked = fields.get("state") == SlackAccount.State.LINKED
        extra = {"slack_user_id": f"U{n:08d}"} if linked else {}
        made.append(SlackAccount.objects.create(user=user, **{**extra, **fields}))
    return made


def test_the_admin_says_plainly_that_slack_is_not_configured(admin_client, settings):
    settings.SLACK_ENABLED = False
    for url in (ACCOUNTS, CHANNELS, RUNS):
        assert "Slack is not configured" in admin_client.get(url).content.decode()


def test_each_members_slack_state_and_last_error_are_listed(admin_client, slack):
    accounts(1, state=SlackAccount.State.INVITED)
    accounts(1, state=SlackAccount.State.LINKED, slack_user_id="U0LINKED1")
    accounts(1, last_error="conversations.invite: user_disabled")

    page = admin_client.get(ACCOUNTS).content.decode()

    assert "Slack is not configured" not in page
    for text in ("Invited", "Linked", "U0LINKED1", "Not invited", "user_disabled"):
        assert text in page


def test_the_member_list_makes_the_same_queries_for_five_or_fifty_members(admin_client, slack):
    accounts(5, state=SlackAccount.State.LINKED)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(ACCOUNTS)
    accounts(45, state=SlackAccount.State.LINKED)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(ACCOUNTS)
    assert len(many) == len(few)


def test_each_channels_drift_is_shown(admin_client, slack):
    SlackChannel.objects.create(
        name="lobby",
        expected_members=40,
        actual_members=37,
        missing_members=3,
        unexpected_members=1,
        checked_at=timezone.now(),
    )
    SlackChannel.objects.create(name="announcements")

    page = admin_client.get(CHANNELS).content.decode()

    assert "3 missing, 1 to remove" in page
    assert "not checked yet" in page


def test_sync_now_clears_an_error_and_brings_the_member_in(
    admin_client, slack, member, django_capture_on_commit_callbacks
):
    user_id = slack.add_user(member.email)
    account = SlackAccount.objects.create(user=member, last_error="users.lookupByEmail: http_500")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            ACCOUNTS, {"action": "sync_now", "_selected_action": [account.pk]}
        )

    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.last_error, account.slack_user_id) == ("", user_id)
    assert user_id in slack.members("lobby")


def test_sync_everything_now_runs_a_full_reconcile_and_logs_what_it_changed(
    admin_client, slack, member, django_capture_on_commit_callbacks
):
    slack_state.ensure_member_accounts()
    slack.add_user(member.email)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(RECONCILE)

    assert response.status_code == 302
    run = SlackSyncRun.objects.get(scope=SlackSyncRun.Scope.FULL)
    assert run.trigger == "admin"
    page = admin_client.get(reverse("admin:community_slacksyncrun_change", args=[run.pk]))
    assert "added to #lobby: Maya Member" in page.content.decode()
    assert "nothing to change" not in admin_client.get(RUNS).content.decode()


def test_the_log_shows_that_a_second_run_changed_nothing(admin_client, slack):
    slack_sync.reconcile(trigger="test")
    SlackSyncRun.objects.all().delete()
    slack_sync.reconcile(trigger="test")
    assert "nothing to change" in admin_client.get(RUNS).content.decode()


def test_the_reconcile_button_only_takes_posts(admin_client, slack):
    assert admin_client.get(RECONCILE).status_code == 405


@pytest.mark.parametrize("persona", ["outsider", "member", "applicant"])
def test_people_who_are_not_staff_cannot_see_the_slack_pages(client_for, request, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in (ACCOUNTS, CHANNELS, RUNS):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url
    assert client.post(RECONCILE).status_code == 302
    assert not SlackSyncRun.objects.exists()


@pytest.fixture
def viewer(client_for, db):
    """A staff user who may look at the Slack pages but change nothing."""
    user = make_user("viewer@example.com", name="Vera Viewer", staff=True)
    for codename in ("view_slackaccount", "view_slackchannel", "view_slacksyncrun"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    give_totp(user)
    return client_for(user)


def test_a_staff_user_who_may_only_view_cannot_sync_now_or_sync_everything(
    viewer, slack, member, django_capture_on_commit_callbacks
):
    account = SlackAccount.objects.create(user=member, last_error="users.lookupByEmail: http_500")
    page = viewer.get(ACCOUNTS).content.decode()
    assert "sync_now" not in page

    with django_capture_on_commit_callbacks(execute=True):
        viewer.post(ACCOUNTS, {"action": "sync_now", "_selected_action": [account.pk]})
        assert viewer.post(RECONCILE).status_code == 403

    account.refresh_from_db()
    assert account.last_error == "users.lookupByEmail: http_500"
    assert slack.total_calls == 0 and not SlackSyncRun.objects.exists()


def test_only_a_user_allowed_to_hand_channels_over_can_hand_one_over(
    client_for, slack, organizer, django_capture_on_commit_callbacks
):
    channel = SlackChannel.objects.create(name="circle-rome-1", kind="circle", is_private=True)
    editor = make_user("editor@example.com", name="Ed Editor", staff=True)
    for codename in ("view_slackchannel", "change_slackchannel"):
        editor.user_permissions.add(Permission.objects.get(codename=codename))
    give_totp(editor)
    action = {"action": "hand_over", "_selected_action": [channel.pk]}

    client = client_for(editor)
    assert "hand_over" not in client.get(CHANNELS).content.decode()
    client.post(CHANNELS, action)
    channel.refresh_from_db()
    assert channel.handed_over_at is None

    client = client_for(organizer)  # organizers hold the permission
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(CHANNELS, action).status_code == 302
    channel.refresh_from_db()
    assert channel.handed_over_by == organizer
    page = client.get(reverse("admin:community_slackchannel_change", args=[channel.pk]))
    assert page.status_code == 200
