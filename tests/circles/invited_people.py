"""A reviewed round with a proposed circle, its people members of the community or imported."""

from circles.models import Circle, CircleMember, Round
from tests.circles.factories import make_round
from tests.circles.people import TUESDAY_EVENING, sign_up_people
from tests.conftest import make_member, make_user


def reviewed_round(**overrides) -> Round:
    return make_round(status=Round.Status.REVIEWED, **overrides)


def proposed_circle(
    round: Round, people: int = 6, *, members: int | None = None, number: int = 1, start: int = 0
) -> Circle:
    """A proposed video circle of `people`; the first `members` of them have member accounts."""
    members = people if members is None else members
    circle = Circle.objects.create(
        round=round, number=number, format=Circle.Format.VIDEO, window=TUESDAY_EVENING
    )
    for index, signup in enumerate(sign_up_people(round, people, start=start)):
        if index < members:
            user = make_user(signup.email, name=signup.name)
            make_member(user, company=signup.company)
            signup.user = user
            signup.save(update_fields=["user"])
        CircleMember.objects.create(circle=circle, signup=signup)
    return circle


def members_of(circle: Circle) -> list[CircleMember]:
    return list(circle.members.select_related("signup__user").order_by("signup__name"))


def round_of_circles(people: int, *, size: int = 9, slug: str = "many") -> Round:
    """A reviewed round of `people` imported sign-ups in proposed circles of `size` (bulk made)."""
    round = reviewed_round(slug=slug, name=f"{people} people")
    signups = sign_up_people(round, people)
    circles = Circle.objects.bulk_create(
        Circle(round=round, number=n + 1, format=Circle.Format.VIDEO, window=TUESDAY_EVENING)
        for n in range(-(-people // size))
    )
    CircleMember.objects.bulk_create(
        CircleMember(circle=circles[index // size], signup=signup)
        for index, signup in enumerate(signups)
    )
    return round
