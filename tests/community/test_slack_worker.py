"""Slack syncs through a real Celery worker (PostgreSQL + Redis): killed mid-sync, rate-limited.

The worker process talks to the local Slack server running in this test process.
"""

import re

import pytest
from django.db import connection

from community.models import SlackAccount, SlackChannel, SlackChannelMembership, SlackSyncRun
from community.services import slack_state
from community.tasks import reconcile_slack
from tests.conftest import make_member, make_user, start_celery_worker, wait_for
from tests.fakes import INVITE_URL, SIGNING_SECRET, fake_slack_fixture, slack_fixture  # noqa: F401

pytestmark = pytest.mark.services
CIRCLES = [f"circle-{n}" for n in range(6)]


@pytest.fixture
def slack_worker(request, monkeypatch, settings, slack, transactional_db):
    """A real worker whose settings point at the local Slack server, with a short sync lease."""
    env = {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_API_URL": slack.base_url,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_INVITE_URL": INVITE_URL,
        "SLACK_DEFAULT_CHANNELS": ",".join(settings.SLACK_DEFAULT_CHANNELS),
        "SLACK_TIMEOUT_SECONDS": "5",
        "SLACK_SYNC_LEASE_SECONDS": "3",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings.SLACK_SYNC_LEASE_SECONDS = 3
    return request.getfixturevalue("celery_worker")


def database_url() -> str:
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}:{port}/{db['NAME']}"


def community(slack, size: int) -> dict[str, set[str]]:
    """`size` members already in Slack, each circle with five of them; returns who belongs where."""
    users = []
    for i in range(size):
        user = make_user(f"member{i}@example.com", name=f"Member {i}")
        make_member(user)
        users.append((user, slack.add_user(user.email)))
    slack_state.ensure_member_accounts()
    accounts = {a.user_id: a for a in SlackAccount.objects.all()}
    expected = {"lobby": {uid for _, uid in users}, "announcements": {uid for _, uid in users}}
    for n, name in enumerate(CIRCLES):
        channel = SlackChannel.objects.create(name=name, kind="circle", is_private=True)
        chosen = users[n * 5 : n * 5 + 5]
        SlackChannelMembership.objects.bulk_create(
            SlackChannelMembership(channel=channel, account=accounts[user.pk]) for user, _ in chosen
        )
        expected[name] = {uid for _, uid in chosen}
    return expected


def in_step(slack, expected: dict[str, set[str]]) -> bool:
    return all(slack.members(name) == members for name, members in expected.items())


def test_a_worker_killed_mid_sync_loses_nothing_because_the_next_reconcile_finishes(
    slack_worker, slack, redis_url, tmp_path
):
    expected = community(slack, 30)
    slack.slow(0.3, method="conversations.invite")

    reconcile_slack.delay(trigger="test")
    assert wait_for(lambda: slack.calls["conversations.invite"] >= 3), slack_worker.log()
    slack_worker.kill()

    assert not in_step(slack, expected)
    killed_run = SlackSyncRun.objects.get()
    assert killed_run.status == SlackSyncRun.Status.RUNNING

    worker = start_celery_worker(tmp_path, {"DATABASE_URL": database_url()}, redis_url)
    try:
        reconcile_slack.delay(trigger="test")  # what the periodic beat does
        assert wait_for(lambda: in_step(slack, expected)), worker.log()
        assert wait_for(
            lambda: SlackSyncRun.objects.filter(status=SlackSyncRun.Status.DONE).exists()
        ), worker.log()
    finally:
        worker.stop()

    killed_run.refresh_from_db()
    assert killed_run.status == SlackSyncRun.Status.FAILED
    for name in CIRCLES:  # created once each, never twice
        assert [c["name"] for c in slack.channels.values()].count(name) == 1
    assert not SlackAccount.objects.needing_sync().exists()


def test_a_rate_limit_storm_through_a_real_worker_converges_by_rescheduling(slack_worker, slack):
    expected = community(slack, 10)
    slack.rate_limit(times=5, retry_after=1)

    reconcile_slack.delay(trigger="test")

    assert wait_for(lambda: in_step(slack, expected), timeout=30), slack_worker.log()
    retries = re.findall(r"Retry in ([0-9.]+)s", slack_worker.log())
    assert 1 <= len(retries) <= 5  # a run goes on with the methods not limited yet
    assert all(1 <= float(seconds) <= 1.2 for seconds in retries)
