"""A thousand invitations through a real worker (PostgreSQL + Redis) to a real SMTP server.

The worker is killed in the middle of a send (the mail server has the message's data and has not
accepted it yet), then a new one is started: every person still gets exactly one invitation.
A kill in the one UPDATE between the server's acceptance and the row marked sent would send that
message again: the outbox's documented at-least-once window (community/services/emails.py).
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from circles.models import CircleMember
from circles.services.invitations import send_round_invitations
from community.models import Email
from community.tasks import send_queued_emails
from tests.circles.invited_people import round_of_circles
from tests.conftest import start_celery_worker, wait_for
from tests.fakes.smtp_sink import Hangup, SmtpSink

pytestmark = pytest.mark.services
PEOPLE = 1000


@pytest.fixture
def sink():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def mail_worker(request, monkeypatch, sink, transactional_db):
    """The celery_worker fixture, delivering email to the sink and keeping its database
    connection between tasks, as in production."""
    monkeypatch.setenv("EMAIL_URL", sink.url)
    monkeypatch.setenv("CONN_MAX_AGE", "60")
    return request.getfixturevalue("celery_worker")


def database_url() -> str:
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}:{port}/{db['NAME']}"


class KillMidSend:
    """Kill the worker while the sink holds the data of message number `at`, unaccepted."""

    def __init__(self, worker, at: int):
        self.worker, self.at, self.killed_at = worker, at, None

    def __call__(self, accepted: int) -> None:
        if self.killed_at is None and accepted == self.at:
            self.worker.kill()
            self.killed_at = timezone.now()
            raise Hangup


def test_a_thousand_invitations_survive_a_killed_worker_and_each_is_sent_exactly_once(
    mail_worker, sink, redis_url, tmp_path
):
    round = round_of_circles(PEOPLE)
    killer = KillMidSend(mail_worker, at=PEOPLE // 2)
    sink.before_accept = killer
    with transaction.atomic():
        assert send_round_invitations(round, by=None) == PEOPLE

    assert wait_for(lambda: killer.killed_at is not None, timeout=120), mail_worker.log()
    assert sink.count() == PEOPLE // 2
    worker = start_celery_worker(tmp_path, {"DATABASE_URL": database_url()}, redis_url)
    try:
        # The dead worker's claim goes stale after a quarter of an hour; the beat then resends.
        stale = timedelta(minutes=16)
        Email.objects.filter(status=Email.Status.SENDING, claimed_at__lte=killer.killed_at).update(
            claimed_at=F("claimed_at") - stale
        )
        send_queued_emails.delay()
        assert wait_for(
            lambda: Email.objects.filter(status=Email.Status.SENT).count() == PEOPLE, timeout=120
        ), worker.log()
    finally:
        worker.stop()

    deliveries = sink.deliveries()
    emails = set(CircleMember.objects.values_list("signup__email", flat=True))
    assert set(deliveries) == emails  # nobody lost
    assert set(deliveries.values()) == {1}  # nobody twice
    assert CircleMember.objects.filter(status=CircleMember.Status.INVITED).count() == PEOPLE
