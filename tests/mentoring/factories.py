"""Coaches with availability, for the mentoring tests."""

from datetime import UTC, datetime, time, timedelta

from community.models import User
from mentoring.models import AvailabilityRule, Booking, CoachProfile
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


def make_booking(
    profile: CoachProfile, member: User, starts_at: datetime, *, agenda="Past", **fields
) -> Booking:
    """An hour's session made directly, with no check: the service books only open future times,
    and tests need sessions already over (pass their `status`) or set up as they stand."""
    ends_at = starts_at + timedelta(hours=1)
    return Booking.objects.create(
        coach=profile, member=member, starts_at=starts_at, ends_at=ends_at, blocked_from=starts_at,
        blocked_until=ends_at, agenda=agenda, **fields,
    )  # fmt: skip
