"""The daily digest of waiting applications and the review-deadline email to organizers."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from community import tasks
from community.models import Application, Email, User
from community.services.reviews import notify_overdue_applications, send_review_digest
from tests.conftest import make_application, make_user

Status = Application.Status
MONDAY = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def organizers(db) -> list[User]:
    return [
        make_user("olivia@example.com", name="Olivia Organizer", groups=[User.ORGANIZERS]),
        make_user("omar@example.com", name="Omar Organizer", groups=[User.ORGANIZERS]),
    ]


def apply(name: str, *, at: datetime, status: str = Status.SUBMITTED) -> Application:
    email = f"{name.split()[0].lower()}@example.com"
    return make_application(
        make_user(email, name=name), full_name=name, submitted_at=at, status=status
    )


def sent_to(mailoutbox, subject_part: str) -> list[str]:
    return sorted(m.to[0] for m in mailoutbox if subject_part in m.subject)


def run(service, capture):
    with capture(execute=True):
        return service()


# The daily digest


def test_the_digest_lists_waiting_applications_oldest_first(
    organizers, django_capture_on_commit_callbacks, mailoutbox
):
    with time_machine.travel(MONDAY, tick=False):
        apply("Nadia Newest", at=MONDAY - timedelta(hours=3))
        apply("Olga Oldest", at=MONDAY - timedelta(days=4))
        apply("Ivan Inreview", at=MONDAY - timedelta(days=2), status=Status.IN_REVIEW)
        apply("Alma Approved", at=MONDAY - timedelta(days=9), status=Status.APPROVED)
        assert run(send_review_digest, django_capture_on_commit_callbacks) == 3
    assert sent_to(mailoutbox, "waiting for review") == ["olivia@example.com", "omar@example.com"]
    body = mailoutbox[0].body
    assert mailoutbox[0].subject == "3 applications waiting for review"
    assert body.index("Olga Oldest") < body.index("Ivan Inreview") < body.index("Nadia Newest")
    assert "Alma Approved" not in body
    assert "waiting 4\xa0days" in body
    assert "/admin/community/application/" in body


def test_the_digest_is_sent_once_per_organizer_per_day(
    organizers, django_capture_on_commit_callbacks, mailoutbox
):
    with time_machine.travel(MONDAY, tick=False) as clock:
        apply("Wendy Waiting", at=MONDAY - timedelta(days=1))
        run(send_review_digest, django_capture_on_commit_callbacks)
        clock.shift(timedelta(hours=6))
        run(send_review_digest, django_capture_on_commit_callbacks)
        assert len(sent_to(mailoutbox, "waiting for review")) == 2
        clock.shift(timedelta(days=1))
        run(send_review_digest, django_capture_on_commit_callbacks)
    assert sent_to(mailoutbox, "waiting for review") == [
        "olivia@example.com",
        "olivia@example.com",
        "omar@example.com",
        "omar@example.com",
    ]


def test_no_digest_is_sent_when_nothing_waits(
    organizers, django_capture_on_commit_callbacks, mailoutbox
):
    with time_machine.travel(MONDAY, tick=False):
        apply("Dora Decided", at=MONDAY - timedelta(days=3), status=Status.REJECTED)
        assert run(send_review_digest, django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []
    assert not Email.objects.exists()


def test_the_digest_goes_only_to_active_organizers(
    organizers, django_capture_on_commit_callbacks, mailoutbox
):
    organizers[1].is_active = False
    organizers[1].save()
    make_user("member2@example.com", name="Not An Organizer")
    with time_machine.travel(MONDAY, tick=False):
        apply("Wendy Waiting", at=MONDAY - timedelta(days=1))
        run(send_review_digest, django_capture_on_commit_callbacks)
    assert sent_to(mailoutbox, "waiting for review") == ["olivia@example.com"]


# The review deadline


def test_an_application_past_the_deadline_is_reported_once_to_each_organizer(
    organizers, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.REVIEW_DEADLINE_DAYS = 5
    with time_machine.travel(MONDAY, tick=False) as clock:
        application = apply("Lena Late", at=MONDAY)
        clock.shift(timedelta(days=4, hours=23))
        assert run(notify_overdue_applications, django_capture_on_commit_callbacks) == 0
        assert mailoutbox == []
        clock.shift(timedelta(hours=2))
        assert run(notify_overdue_applications, django_capture_on_commit_callbacks) == 1
        clock.shift(timedelta(hours=1))
        assert run(notify_overdue_applications, django_capture_on_commit_callbacks) == 0
        clock.shift(timedelta(days=10))
        assert run(notify_overdue_applications, django_capture_on_commit_callbacks) == 0
    assert sent_to(mailoutbox, "past the review deadline") == [
        "olivia@example.com",
        "omar@example.com",
    ]
    email = mailoutbox[0]
    assert email.subject == "Application from Lena Late is past the review deadline"
    assert "has waited more than 5 days" in email.body
    assert f"/admin/community/application/{application.pk}/change/" in email.body


def test_the_review_deadline_follows_the_setting(
    organizers, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.REVIEW_DEADLINE_DAYS = 2
    with time_machine.travel(MONDAY, tick=False) as clock:
        apply("Sam Soon", at=MONDAY)
        clock.shift(timedelta(days=2, minutes=1))
        assert run(notify_overdue_applications, django_capture_on_commit_callbacks) == 1
    assert "has waited more than 2 days" in mailoutbox[0].body


def test_applications_decided_in_time_are_never_reported(
    organizers, django_capture_on_commit_callbacks, mailoutbox
):
    with time_machine.travel(MONDAY, tick=False) as clock:
        apply("Quinn Quick", at=MONDAY, status=Status.APPROVED)
        apply("Will Withdrawn", at=MONDAY, status=Status.WITHDRAWN)
        clock.shift(timedelta(days=30))
        assert run(notify_overdue_applications, django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_an_application_in_review_still_counts_towards_the_deadline(
    organizers, django_capture_on_commit_callbacks, mailoutbox
):
    with time_machine.travel(MONDAY, tick=False) as clock:
        apply("Rory Reviewing", at=MONDAY, status=Status.IN_REVIEW)
        clock.shift(timedelta(days=6))
        assert run(notify_overdue_applications, django_capture_on_commit_callbacks) == 1
    assert len(sent_to(mailoutbox, "past the review deadline")) == 2


def test_overdue_applications_wait_for_an_organizer_to_tell(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    with time_machine.travel(MONDAY, tick=False) as clock:
        apply("Lena Late", at=MONDAY)
        clock.shift(timedelta(days=6))
        assert run(notify_overdue_applications, django_capture_on_commit_callbacks) == 0
        make_user("olivia@example.com", name="Olivia Organizer", groups=[User.ORGANIZERS])
        assert run(notify_overdue_applications, django_capture_on_commit_callbacks) == 1
    assert sent_to(mailoutbox, "past the review deadline") == ["olivia@example.com"]


def test_the_scheduled_tasks_send_the_digest_and_the_deadline_emails(
    organizers, django_capture_on_commit_callbacks, mailoutbox
):
    with time_machine.travel(MONDAY, tick=False):
        apply("Lena Late", at=MONDAY - timedelta(days=6))
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_review_digest.delay().get() == 1
            assert tasks.notify_overdue_applications.delay().get() == 1
    assert len(sent_to(mailoutbox, "waiting for review")) == 2
    assert len(sent_to(mailoutbox, "past the review deadline")) == 2
