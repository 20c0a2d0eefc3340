"""Reminders a day and an hour before a webinar, each sent once per registration."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from community.models import Email
from content.services.webinar_editing import save_webinar, send_due_reminders
from content.services.webinars import cancel_registration, register_for_webinar
from content.tasks import send_webinar_reminders
from tests.content.factories import make_webinar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _a_morning():
    """Webinars "in N days" start at 09:00 UTC, so a reminder sent hours before that is sent the
    day before, whatever the time the tests run."""
    with time_machine.travel(datetime(2026, 3, 9, 9, 0, tzinfo=UTC), tick=False):
        yield


def reminder_subjects(user) -> list[str]:
    emails = Email.objects.filter(to=user.email, key__contains="reminder").order_by("pk")
    return list(emails.values_list("subject", flat=True))


def test_a_registered_person_gets_a_day_and_an_hour_reminder_once_each(member):
    webinar = make_webinar(starts_in_days=3)
    register_for_webinar(webinar, user=member)
    with time_machine.travel(webinar.starts_at - timedelta(hours=30)):
        assert send_due_reminders() == 0
    with time_machine.travel(webinar.starts_at - timedelta(hours=23)):
        assert send_webinar_reminders.delay().get() == 1
        assert send_due_reminders() == 0  # a second sweep finds it claimed
    with time_machine.travel(webinar.starts_at - timedelta(minutes=50)):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0
    with time_machine.travel(webinar.starts_at + timedelta(minutes=5)):
        assert send_due_reminders() == 0
    subjects = reminder_subjects(member)
    assert len(subjects) == 2
    assert subjects[0].startswith("Tomorrow") and subjects[1].startswith("Within the hour")
    assert webinar.join_url in Email.objects.filter(key__contains="reminder").first().body_text


def test_someone_registering_in_the_last_hour_gets_only_the_hour_reminder(member):
    webinar = make_webinar(starts_in_days=3)
    with time_machine.travel(webinar.starts_at - timedelta(minutes=30)):
        register_for_webinar(webinar, user=member)
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0
    assert [s.split(":")[0] for s in reminder_subjects(member)] == ["Within the hour"]


def test_someone_registering_less_than_a_day_ahead_gets_only_the_hour_reminder(member):
    # The confirmation has just given them the time and the link: no day reminder minutes later.
    webinar = make_webinar(starts_in_days=3)
    with time_machine.travel(webinar.starts_at - timedelta(hours=5)):
        register_for_webinar(webinar, user=member)
        assert send_due_reminders() == 0
    with time_machine.travel(webinar.starts_at - timedelta(minutes=50)):
        assert send_due_reminders() == 1
    assert [s.split(":")[0] for s in reminder_subjects(member)] == ["Within the hour"]


def test_a_place_from_the_waitlist_less_than_a_day_ahead_gets_no_day_reminder(member, outsider):
    webinar = make_webinar(starts_in_days=3, capacity=1)  # public: the outsider may register
    register_for_webinar(webinar, user=outsider)
    register_for_webinar(webinar, user=member)  # waiting
    with time_machine.travel(webinar.starts_at - timedelta(hours=5)):
        cancel_registration(webinar.registrations.get(user=outsider), by=outsider)
        assert send_due_reminders() == 0
    assert reminder_subjects(member) == []


def test_a_day_reminder_sent_late_on_the_day_says_today_in_their_timezone(member):
    member.timezone = "America/New_York"
    member.save(update_fields=["timezone"])
    # 21:00 on the 12th in New York is already the 13th in UTC.
    webinar = make_webinar(starts_at=datetime(2026, 3, 13, 1, 0, tzinfo=UTC))
    register_for_webinar(webinar, user=member)
    # The beat was down through the day before: the day reminder goes out on the day itself.
    with time_machine.travel(datetime(2026, 3, 12, 14, 0, tzinfo=UTC)):  # 10:00 in New York
        assert send_due_reminders() == 1
    assert reminder_subjects(member) == [f"Today: {webinar.title}, 21:00 EDT"]


def test_the_waitlisted_and_the_cancelled_get_no_reminder(member, outsider):
    webinar = make_webinar(starts_in_days=3, capacity=1)
    registration = register_for_webinar(webinar, user=member)
    register_for_webinar(webinar, user=outsider)
    cancel_registration(registration, by=member)  # the outsider moves up
    cancel_registration(webinar.registrations.get(user=outsider), by=outsider)
    with time_machine.travel(webinar.starts_at - timedelta(hours=2)):
        assert send_due_reminders() == 0
    assert reminder_subjects(member) == [] and reminder_subjects(outsider) == []


def test_a_webinar_moved_to_a_later_day_reminds_again_before_its_new_time(member):
    webinar = make_webinar(starts_in_days=3)
    register_for_webinar(webinar, user=member)
    with time_machine.travel(webinar.starts_at - timedelta(hours=23)):
        assert send_due_reminders() == 1
        webinar.starts_at += timedelta(days=7)
        save_webinar(webinar, saved_by=None)
    with time_machine.travel(webinar.starts_at - timedelta(hours=23)):
        assert send_due_reminders() == 1
    with time_machine.travel(webinar.starts_at - timedelta(minutes=50)):
        assert send_due_reminders() == 1
    subjects = [subject.split(":")[0] for subject in reminder_subjects(member)]
    assert subjects == ["Tomorrow", "Tomorrow", "Within the hour"]


def test_a_small_move_inside_the_last_day_sends_no_second_day_reminder(member):
    webinar = make_webinar(starts_in_days=3)
    register_for_webinar(webinar, user=member)
    with time_machine.travel(webinar.starts_at - timedelta(hours=20)):
        assert send_due_reminders() == 1
        webinar.starts_at += timedelta(hours=2)
        save_webinar(webinar, saved_by=None)
        assert send_due_reminders() == 0
    assert [s.split(":")[0] for s in reminder_subjects(member)] == ["Tomorrow"]
