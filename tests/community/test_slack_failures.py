"""When Slack or our own infrastructure misbehaves, the sync waits, retries and converges.

A 429 reschedules the task after Retry-After instead of sleeping the worker; other transient
errors retry with backoff; permanent ones are recorded on the row they concern.
"""

import socket
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery.signals import task_retry
from django.utils import timezone

from community.models import SlackAccount, SlackChannel, SlackSyncRun, SlackWorkspace
from community.services import slack_state, slack_sync
from community.services.applications import approve_application
from community.tasks import reconcile_slack, sync_slack_account
from tests.conftest import make_member, make_user
from tests.fakes import fake_slack_fixture, slack_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(slack):
    """Twelve members who are in the Slack workspace but not linked yet."""
    users = []
    for i in range(12):
        user = make_user(f"member{i}@example.com", name=f"Member {i}")
        make_member(user)
        slack.add_user(user.email)
        users.append(user)
    slack_state.ensure_member_accounts()
    return users


@pytest.fixture
def retries():
    """The countdowns of every task retry, as Celery announces them."""
    countdowns = []

    def record(sender=None, reason=None, **kwargs):
        countdowns.append(reason.when)

    task_retry.connect(record, weak=False)
    yield countdowns
    task_retry.disconnect(record)


def everyone_in(slack, channel: str, users) -> bool:
    ids = set(SlackAccount.objects.filter(user__in=users).values_list("slack_user_id", flat=True))
    return "" not in ids and ids <= slack.members(channel)


def test_a_rate_limit_storm_converges_without_the_worker_ever_sleeping(slack, members, retries):
    slack.rate_limit(times=6, retry_after=3)
    started = time.monotonic()

    reconcile_slack.apply(kwargs={"trigger": "test"})

    assert everyone_in(slack, "lobby", members) and everyone_in(slack, "announcements", members)
    assert 1 <= len(retries) <= 6  # a run goes on with the methods not limited yet
    assert all(3 <= countdown <= 3.3 for countdown in retries)  # Retry-After, plus a little jitter
    assert time.monotonic() - started < 3  # the retries were rescheduled, not slept through
    statuses = list(SlackSyncRun.objects.values_list("status", flat=True))
    assert statuses.count(SlackSyncRun.Status.DEFERRED) == len(retries)
    assert statuses.count(SlackSyncRun.Status.DONE) == 1


def test_server_errors_are_retried_with_growing_backoff(slack, members, retries):
    slack.server_error(times=2, method="users.list")

    reconcile_slack.apply(kwargs={"trigger": "test"})

    assert everyone_in(slack, "lobby", members)
    assert 10 <= retries[0] <= 11 and 20 <= retries[1] <= 22


def test_a_sync_stopped_half_way_is_finished_by_the_next_without_repeating_work(slack, members):
    slack.slow(0, times=1, method="conversations.invite")  # the first channel's invite passes
    slack.rate_limit(times=1, retry_after=5, method="conversations.invite")

    with pytest.raises(slack_sync.TransientSlackError):
        slack_sync.reconcile(trigger="test")
    halfway = slack.calls["conversations.invite"]
    slack_sync.reconcile(trigger="test")

    assert everyone_in(slack, "lobby", members) and everyone_in(slack, "announcements", members)
    assert slack.calls["conversations.invite"] - halfway == 1  # only the channel left to do
    assert not SlackWorkspace.objects.get().lease_token  # the stopped sync released its lease


def test_a_channel_slack_no_longer_knows_is_recorded_and_the_others_still_sync(slack, members):
    slack_sync.reconcile(trigger="test")
    lobby = slack.channel("lobby")
    del slack.channels[lobby["id"]]
    newcomer = make_user("newcomer@example.com")
    make_member(newcomer)
    slack.add_user(newcomer.email)

    run = slack_sync.reconcile(trigger="test")

    assert run.status == SlackSyncRun.Status.DONE
    assert "channel_not_found" in SlackChannel.objects.get(name="lobby").last_error
    assert everyone_in(slack, "announcements", [newcomer])
    slack.reset_calls()
    slack_sync.reconcile(trigger="test")
    assert slack.calls["conversations.members"] == 1  # the broken channel waits for a person


def test_a_member_slack_refuses_is_recorded_on_their_account(slack, members):
    slack_sync.reconcile(trigger="test")
    account = SlackAccount.objects.get(user=members[0])
    slack.user(account.slack_user_id)["deleted"] = True
    slack.channel("lobby")["members"].discard(account.slack_user_id)

    slack_sync.reconcile(trigger="test")

    account.refresh_from_db()
    assert "user_disabled" in account.last_error
    assert everyone_in(slack, "lobby", members[1:])


def test_a_bad_token_is_recorded_on_the_workspace_and_not_retried(
    slack, members, settings, retries
):
    settings.SLACK_BOT_TOKEN = "xoxb-revoked"

    reconcile_slack.apply(kwargs={"trigger": "test"})

    assert "invalid_auth" in SlackWorkspace.objects.get().last_error
    assert SlackSyncRun.objects.get().status == SlackSyncRun.Status.FAILED
    assert retries == []

    settings.SLACK_BOT_TOKEN = slack.bot_token
    reconcile_slack.apply(kwargs={"trigger": "test"})
    assert SlackWorkspace.objects.get().last_error == ""


def test_a_circle_channel_created_by_a_sync_that_died_before_saving_it_is_found_again(
    slack, member
):
    slack.add_channel("circle-lisbon-1", private=True, creator=slack.bot_user_id)
    channel = slack_state.circle_channel("circle-lisbon-1")

    slack_sync.sync_channel(channel.pk, trigger="test")

    channel.refresh_from_db()
    assert channel.slack_id == slack.channel("circle-lisbon-1")["id"]
    assert channel.last_error == ""
    assert len([c for c in slack.channels.values() if c["name"] == "circle-lisbon-1"]) == 1


def test_two_syncs_never_run_at_once(slack, members, retries, settings):
    SlackWorkspace.get()
    SlackWorkspace.objects.update(
        lease_token="another-worker", lease_expires_at=timezone.now() + timedelta(seconds=20)
    )
    account = SlackAccount.objects.get(user=members[0])

    with pytest.raises(slack_sync.SyncBusy) as busy:
        slack_sync.sync_account(account.pk, trigger="test")
    assert 1 <= busy.value.retry_after <= 20
    assert slack.total_calls == 0

    SlackWorkspace.objects.update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    sync_slack_account.apply(args=[account.pk])  # the other worker died: its lease ran out
    assert everyone_in(slack, "lobby", members[:1])


def test_a_run_left_running_by_a_dead_worker_is_closed_by_the_next_one(slack, members):
    SlackSyncRun.objects.create(scope=SlackSyncRun.Scope.FULL, trigger="test")

    slack_sync.reconcile(trigger="test")

    statuses = dict(SlackSyncRun.objects.values_list("status", "error"))
    assert statuses[SlackSyncRun.Status.FAILED] == "Stopped before finishing."


@contextmanager
def broker_down():
    """Point Celery at a closed port, as when Redis is down."""
    from config.celery import app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = f"redis://127.0.0.1:{port}/0", False
    app._pool, app.amqp._producer_pool = None, None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        app._pool, app.amqp._producer_pool = None, None


def test_an_approval_succeeds_while_redis_is_down_and_the_member_is_synced_once_it_is_back(
    slack, applicant, organizer, django_capture_on_commit_callbacks
):
    slack_user_id = slack.add_user(applicant.email)

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        member = approve_application(
            applicant.applications.get(), reviewed_by=organizer, reason="Leads 40 engineers."
        )

    assert member.is_active
    assert SlackAccount.objects.needing_sync().filter(user=applicant).exists()
    assert slack.total_calls == 0

    reconcile_slack.delay()  # the periodic reconcile, once tasks flow again

    account = SlackAccount.objects.get(user=applicant)
    assert (account.state, account.slack_user_id) == (SlackAccount.State.LINKED, slack_user_id)
    assert slack_user_id in slack.members("lobby")
    assert not SlackAccount.objects.needing_sync().exists()
