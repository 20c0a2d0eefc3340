"""A member who has used a month's sessions is not offered times in that month, counted in their
own timezone; the service refuses a crafted request all the same."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from mentoring.models import Booking
from mentoring.services import bookings as service
from tests.mentoring.factories import NOW, make_other_member

# The coach is in Berlin (09:00-17:00 every day, 07:00-15:00 UTC once summer time starts on
# 28 March). In Auckland (UTC+13) April begins at 11:00 UTC on 31 March, in the middle of the
# coach's day; in UTC it begins on 1 April.
APRIL_IN_AUCKLAND = datetime(2027, 3, 31, 11, 0, tzinfo=UTC)  # 13:00 in Berlin
LAST_HOUR_OF_MARCH_IN_AUCKLAND = datetime(2027, 3, 31, 10, 0, tzinfo=UTC)
APRIL_IN_UTC = datetime(2027, 4, 1, 7, 0, tzinfo=UTC)  # 09:00 in Berlin
MID_MARCH = datetime(2027, 3, 16, 8, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("clock")


def held_session(profile, member, starts_at) -> Booking:
    """A session already over (made directly: the service books only the future)."""
    return Booking.objects.create(
        coach=profile,
        member=member,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        blocked_from=starts_at,
        blocked_until=starts_at + timedelta(hours=1),
        agenda="Past",
        status=Booking.Status.HELD,
    )


def use_up_march(profile, member, *, timezone: str) -> Booking:
    """Three sessions held in March and one ahead: March used up, one upcoming of two."""
    member.timezone = timezone
    member.save(update_fields=["timezone"])
    for day in (2, 3, 4):
        held_session(profile, member, datetime(2027, 3, day, 8, 0, tzinfo=UTC))
    return service.book_session(
        profile,
        member=member,
        starts_at=datetime(2027, 3, 15, 8, 0, tzinfo=UTC),
        minutes=60,
        agenda="Hiring",
    )


def link_to(profile, starts_at: datetime) -> str:
    return f"/coaching/coaches/{profile.pk}/book/?minutes=60&amp;starts_at={starts_at:%Y-%m-%dT%H:%M:%SZ}"


def test_the_months_used_up_are_counted_in_the_members_timezone(profile, member):
    use_up_march(profile, member, timezone="Pacific/Auckland")
    used = service.used_up_months(member, since=NOW, until=NOW + timedelta(weeks=8))
    assert used.months == {(2027, 3)}
    assert used.holds(LAST_HOUR_OF_MARCH_IN_AUCKLAND) and not used.holds(APRIL_IN_AUCKLAND)


def test_a_cancelled_session_gives_its_place_in_the_month_back(profile, member):
    upcoming = use_up_march(profile, member, timezone="UTC")
    service.cancel_booking(upcoming, by=member)
    assert not service.used_up_months(member, since=NOW, until=NOW).months


def test_the_service_counts_the_month_in_the_members_timezone_at_the_boundary(profile, member):
    use_up_march(profile, member, timezone="Pacific/Auckland")
    with pytest.raises(ValidationError, match="sessions for that month"):
        service.book_session(
            profile,
            member=member,
            starts_at=LAST_HOUR_OF_MARCH_IN_AUCKLAND,
            minutes=60,
            agenda="x",
        )
    booking = service.book_session(
        profile, member=member, starts_at=APRIL_IN_AUCKLAND, minutes=60, agenda="x"
    )
    assert booking.starts_at == APRIL_IN_AUCKLAND


def test_a_taken_time_is_refused_with_next_free_times_outside_the_used_month(profile, member):
    use_up_march(profile, member, timezone="Pacific/Auckland")
    other = make_other_member("first@example.com")
    service.book_session(profile, member=other, starts_at=APRIL_IN_AUCKLAND, minutes=60, agenda="x")
    with pytest.raises(service.SlotTaken) as refused:
        service.book_session(
            profile, member=member, starts_at=APRIL_IN_AUCKLAND, minutes=60, agenda="x"
        )
    assert refused.value.next_slots
    assert all(slot > APRIL_IN_AUCKLAND for slot in refused.value.next_slots)
