"""Data migrations of mentoring: what they keep of the rows already there."""

from datetime import UTC, date, datetime, time

import pytest

from mentoring.models import Booking, MentorshipDay
from tests.conftest import migrate_to_latest

DAY = date(2027, 3, 18)


@pytest.fixture
def before(models_before):
    """The mentoring models as they were before one of its migrations, and a way to run it."""
    return (lambda name: models_before("mentoring", name)), migrate_to_latest


def old_coach(old, email: str, *, timezone: str = "", **fields):
    user = old.get_model("community", "User").objects.create(email=email, timezone=timezone)
    return old.get_model("mentoring", "CoachProfile").objects.create(user=user, **fields)


def test_answers_given_before_questions_were_kept_get_the_coachs_current_question(before):
    models_before, migrate = before
    old = models_before("0007_booking_intake_question")
    coach = old_coach(old, "coach@example.com", intake_question="What would make it a success?")
    member = old.get_model("community", "User").objects.create(email="member@example.com")
    OldBooking = old.get_model("mentoring", "Booking")
    for hour, answer in ((9, "A plan"), (11, "")):
        at = datetime(2027, 3, 12, hour, tzinfo=UTC)
        times = {"starts_at": at, "ends_at": at.replace(hour=hour + 1)}
        times |= {"blocked_from": at, "blocked_until": at.replace(hour=hour + 1)}
        OldBooking.objects.create(
            coach=coach, member=member, agenda="Hiring", intake_answer=answer, **times
        )

    migrate()

    assert list(Booking.objects.values_list("intake_answer", "intake_question")) == [
        ("A plan", "What would make it a success?"),
        ("", ""),
    ]


def test_days_planned_before_zones_were_kept_stay_in_their_coachs_zone(before):
    models_before, migrate = before
    old = models_before("0008_mentorshipday_timezone")
    OldDay = old.get_model("mentoring", "MentorshipDay")
    times = {"starts_at": time(9), "ends_at": time(12), "session_minutes": 45}
    for email, zone in (("berlin@example.com", "Europe/Berlin"), ("nowhere@example.com", "")):
        OldDay.objects.create(coach=old_coach(old, email, timezone=zone), day=DAY, **times)

    migrate()

    zones = MentorshipDay.objects.values_list("coach__user__email", "timezone")
    assert dict(zones) == {"berlin@example.com": "Europe/Berlin", "nowhere@example.com": "UTC"}
