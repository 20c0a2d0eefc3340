"""A demo round whose circles are meeting, for the dashboard and circle health in `make run`:
one circle doing well, one that missed a meeting and stopped coming, one down to five people."""

from datetime import timedelta

from django.utils import timezone

from circles.domain import SLOTS_PER_DAY
from circles.models import Attendance, Circle, CircleMember, Meeting, Round, SignUp
from community.models import User

HEALTH_ROUND_SLUG = "demo-summer-circles"
WEDNESDAY_EVENING = list(range(2 * SLOTS_PER_DAY + 36, 2 * SLOTS_PER_DAY + 40))
# (circle size, how many came to each fortnightly meeting, whether the latest one was missed)
CIRCLES = ((8, [8, 7, 8, 7, 6], False), (8, [7, 3, 2], True), (5, [5, 5, 4], False))


def seed_running_round(*, organizer: User) -> Round:
    now = timezone.now()
    started = now - timedelta(weeks=10)
    round = Round.objects.create(
        name="Summer learning circles",
        slug=HEALTH_ROUND_SLUG,
        description="Circles that started ten weeks ago.",
        status=Round.Status.RUNNING,
        signup_opens_at=started - timedelta(days=45),
        signup_closes_at=started - timedelta(days=20),
        first_meeting=started.date(),
        created_by=organizer,
    )
    for number, (size, attendance, missed) in enumerate(CIRCLES, start=1):
        _circle(round, number, size, attendance, missed=missed, started=started)
    return round


def _people(round: Round, number: int, size: int) -> list[SignUp]:
    return SignUp.objects.bulk_create(
        SignUp(
            round=round,
            source=SignUp.Source.IMPORT,
            name=f"Winter person {number}.{index}",
            email=f"winter{number}.{index}@example.com",
            company=f"Winter company {number}.{index}",
            company_key=f"winter-{number}-{index}",
            format=SignUp.Format.VIDEO,
            timezone="Europe/London",
            slots=WEDNESDAY_EVENING,
        )
        for index in range(1, size + 1)
    )


def _circle(round, number, size, attendance, *, missed, started) -> Circle:
    first = started.replace(hour=18, minute=0, second=0, microsecond=0)
    circle = Circle.objects.create(
        round=round,
        number=number,
        status=Circle.Status.ACTIVE,
        format=Circle.Format.VIDEO,
        window=WEDNESDAY_EVENING,
        timezone="Europe/London",
        first_meeting_at=first,
        invited_at=first - timedelta(days=14),
        activated_at=first - timedelta(days=7),
    )
    members = CircleMember.objects.bulk_create(
        CircleMember(
            circle=circle,
            signup=signup,
            status=CircleMember.Status.ACCEPTED,
            invited_at=first - timedelta(days=14),
            responded_at=first - timedelta(days=10),
            consented_at=first - timedelta(days=10),
        )
        for signup in _people(round, number, size)
    )
    for index, came in enumerate([*attendance, None] if missed else attendance):
        _meeting(circle, index, first + timedelta(weeks=2 * index), members, came)
    return circle


def _meeting(circle, number, starts_at, members, came) -> None:
    meeting = Meeting.objects.create(
        circle=circle,
        number=number,
        original_starts_at=starts_at,
        starts_at=starts_at,
        status=Meeting.Status.PLANNED if came is None else Meeting.Status.HELD,
        attendance_taken_at=None if came is None else starts_at + timedelta(hours=1),
    )
    if came is not None:
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, member=member, attended=index < came)
            for index, member in enumerate(members)
        )
