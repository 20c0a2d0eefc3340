"""Cleaned sign-ups for the review and composition tests: people who can all meet by video."""

from circles.domain import SLOTS_PER_DAY
from circles.models import Round, SignUp
from tests.circles.factories import make_round

TUESDAY_EVENING = list(range(SLOTS_PER_DAY + 36, SLOTS_PER_DAY + 40))  # Tue 18:00-20:00 UTC


def sign_up_people(round: Round, count: int, *, start: int = 0, **overrides) -> list[SignUp]:
    """`count` people from different companies, free on Tuesday evenings in London, video only."""
    people = []
    for number in range(start, start + count):
        fields = {
            "name": f"Person {number:03d}",
            "email": f"person{number:03d}@example.com",
            "company": f"Company {number}",
            "company_key": f"company-{number}",
            "title": "VP Engineering",
            "role_kind": "VP Eng",
            "seniority": 1 + number % 3,
            "format": SignUp.Format.VIDEO,
            "timezone": "Europe/London",
            "utc_offset_minutes": 0,
            "slots": TUESDAY_EVENING,
            **overrides,
        }
        people.append(SignUp(round=round, **fields))
    return SignUp.objects.bulk_create(people)


def round_with_people(count: int = 20, **round_fields) -> Round:
    round = make_round(**round_fields)
    sign_up_people(round, count)
    return round
