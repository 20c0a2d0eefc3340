"""Circles after composition, for the health, dashboard and renewal tests: meeting, or not."""

from datetime import UTC, datetime, timedelta

from circles.models import Attendance, Circle, CircleMember, Meeting, Round
from tests.circles.people import sign_up_people

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)  # a Monday morning
FIRST_MEETING = NOW - timedelta(weeks=6)


def active_circle(
    round: Round, size: int = 8, *, number: int = 1, first: datetime = FIRST_MEETING
) -> tuple[Circle, list[CircleMember]]:
    """An active video circle of `size` people who accepted a week before its first meeting."""
    signups = sign_up_people(round, size, start=number * 100)
    circle = Circle.objects.create(
        round=round,
        number=number,
        status=Circle.Status.ACTIVE,
        format=Circle.Format.VIDEO,
        timezone="Europe/London",
        first_meeting_at=first,
        activated_at=first - timedelta(days=7),
    )
    members = [
        CircleMember.objects.create(
            circle=circle,
            signup=signup,
            status=CircleMember.Status.ACCEPTED,
            invited_at=first - timedelta(days=10),
            responded_at=first - timedelta(days=7),
            consented_at=first - timedelta(days=7),
        )
        for signup in signups
    ]
    return circle, members


def meeting(
    circle: Circle,
    number: int,
    starts_at: datetime,
    *,
    status: str = Meeting.Status.HELD,
    came: list[CircleMember] | None = None,
    of: list[CircleMember] | None = None,
) -> Meeting:
    """A meeting of the series; with `came`, the facilitator recorded who of `of` came."""
    row = Meeting.objects.create(
        circle=circle,
        number=number,
        original_starts_at=starts_at,
        starts_at=starts_at,
        status=status,
        attendance_taken_at=starts_at + timedelta(hours=2) if came is not None else None,
    )
    if came is not None:
        Attendance.objects.bulk_create(
            Attendance(meeting=row, member=member, attended=member in came) for member in of or []
        )
    return row


def fortnightly(circle: Circle, members: list[CircleMember], attendance: list[int]) -> None:
    """Held meetings every two weeks from the first, with the first n members coming to each."""
    for number, count in enumerate(attendance):
        starts_at = circle.first_meeting_at + timedelta(weeks=2 * number)
        meeting(circle, number, starts_at, came=members[:count], of=members)
