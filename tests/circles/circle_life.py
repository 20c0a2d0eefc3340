"""Builders for circles past composition: running circles, their members, their channels."""

from circles.models import Circle, CircleMember, Round, SignUp
from community.models import User
from community.services import slack_state
from tests.circles.factories import make_round
from tests.circles.people import sign_up_people
from tests.conftest import make_member, make_user


def running_round(**fields) -> Round:
    return make_round(status=Round.Status.RUNNING, **fields)


def running_circle(
    round: Round, people: list[SignUp], *, number: int = 1, format: str = "video"
) -> Circle:
    """An active circle of these people, all accepted and consented, its window their own."""
    window = set.intersection(*(set(p.slots) for p in people)) if people else set()
    circle = Circle.objects.create(
        round=round,
        number=number,
        format=format,
        status=Circle.Status.ACTIVE,
        window=sorted(window),
    )
    CircleMember.objects.bulk_create(
        CircleMember(circle=circle, signup=p, status=CircleMember.Status.ACCEPTED) for p in people
    )
    return circle


def circle_of(round: Round, count: int, *, start: int = 0, number: int = 1, **fields) -> Circle:
    return running_circle(round, sign_up_people(round, count, start=start, **fields), number=number)


def member_row(circle: Circle, signup: SignUp) -> CircleMember:
    return circle.members.get(signup=signup)


def decline(member: CircleMember, status: str = CircleMember.Status.DECLINED) -> CircleMember:
    CircleMember.objects.filter(pk=member.pk).update(status=status)
    member.refresh_from_db()
    return member


def with_channel(circle: Circle, *, members: list[CircleMember]) -> list[User]:
    """Give the circle its Slack channel, holding these members (now site members with accounts)."""
    channel = slack_state.circle_channel(f"circle-{circle.round.slug}-{circle.number}")
    Circle.objects.filter(pk=circle.pk).update(slack_channel=channel)
    circle.refresh_from_db()
    users = []
    for member in members:
        signup = member.signup
        user = make_user(signup.email, name=signup.name)
        make_member(user)
        SignUp.objects.filter(pk=signup.pk).update(user=user)
        CircleMember.objects.filter(pk=member.pk).update(consented_at=member.added_at)
        slack_state.declare_membership(channel, user)
        users.append(user)
    return users
