"""A circle whose members accepted, each with an account: what the meeting tests start from."""

from datetime import UTC, date, datetime

from django.utils import timezone

from circles.models import Circle, CircleMember, MeetingCandidate
from tests.circles.factories import make_round
from tests.circles.people import TUESDAY_EVENING, sign_up_people
from tests.conftest import make_member, make_user


def circle_with_members(
    count: int = 4,
    *,
    zone: str = "Europe/London",
    first_meeting: date = date(2027, 3, 2),
    every_weeks: int = 2,
    consented: bool = True,
    slug: str = "spring",
) -> Circle:
    """`count` accepted members of a video circle free on Tuesday evenings (UTC), the first its
    facilitator; sign-ups and accounts share the timezone `zone`."""
    round = make_round(slug=slug, first_meeting=first_meeting, meeting_every_weeks=every_weeks)
    circle = Circle.objects.create(
        round=round, number=1, format=Circle.Format.VIDEO, window=TUESDAY_EVENING
    )
    for signup in sign_up_people(round, count, timezone=zone):
        user = make_user(f"{slug}-{signup.email}", name=signup.name)
        user.timezone = zone
        user.save(update_fields=["timezone"])
        make_member(user, full_name=signup.name, company=signup.company)
        signup.user = user
        signup.save(update_fields=["user"])
        CircleMember.objects.create(
            circle=circle,
            signup=signup,
            status=CircleMember.Status.ACCEPTED,
            consented_at=timezone.now() if consented else None,
        )
    circle.facilitator = circle.members.first()
    circle.save(update_fields=["facilitator"])
    return circle


def candidate_at(circle: Circle, *parts: int) -> MeetingCandidate:
    """A candidate time given in UTC as (year, month, day, hour, minute)."""
    return MeetingCandidate.objects.create(circle=circle, starts_at=datetime(*parts, tzinfo=UTC))


def user_of(member: CircleMember):
    return member.signup.user
