"""Coaches with availability, for the mentoring tests."""

from datetime import UTC, datetime, time

from community.models import User
from mentoring.models import AvailabilityRule, CoachProfile
from tests.conftest import make_member, make_user

NOW = datetime(
    2027, 3, 10, 8, 0, tzinfo=UTC
)  # the coaching tests' clock: a Wednesday; Berlin is UTC+1


def make_coach_profile(user: User, *, timezone: str = "Europe/Berlin", **settings) -> CoachProfile:
    user.timezone = timezone
    user.save(update_fields=["timezone"])
    fields = {"session_lengths": [30, 60], "notice_hours": 2, "buffer_after_minutes": 0, **settings}
    profile = CoachProfile.objects.create(user=user, **fields)
    for weekday in range(7):
        AvailabilityRule.objects.create(
            coach=profile, weekday=weekday, starts_at=time(9), ends_at=time(17)
        )
    return profile


def make_other_member(email: str, *, timezone: str = "America/New_York") -> User:
    user = make_user(email, name=email.split("@")[0].title() + " Member")
    user.timezone = timezone
    user.save(update_fields=["timezone"])
    make_member(user)
    return user
