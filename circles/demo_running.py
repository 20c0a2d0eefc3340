"""A demo round whose circles already meet, for `make run`: a place to fill, and one nobody fits.

Circle 1 lost a member who declined (the waitlist has someone who fits, waiting for the
organizer's click); Circle 2 lost one too, but nobody on the waitlist shares its time; Circle 3
is small enough to merge with Circle 1.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from circles.domain import SLOTS_PER_DAY
from circles.models import Circle, CircleMember, Round, SignUp
from circles.services.backfills import open_vacancy
from community.models import User

DEMO_RUNNING_SLUG = "demo-running-circles"
TUESDAY_EVENING = list(range(SLOTS_PER_DAY + 36, SLOTS_PER_DAY + 40))  # Tue 18:00-20:00 UTC
THURSDAY_MORNING = list(range(3 * SLOTS_PER_DAY + 16, 3 * SLOTS_PER_DAY + 20))  # 08:00-10:00
NAMES = (
    "Amara Okafor Bruno Keller Chen Wei Dalia Haddad Emil Strand Farah Siddiqui Gustavo Lima "
    "Hana Sato Ines Duarte Jonas Berg Kaveh Rahimi Lena Fischer Mateo Ruiz Nadia Petrova "
    "Oliver Grant Priya Nair Quentin Moreau Rosa Alvarez Sven Olsen Tariq Aziz Uma Patel "
    "Viktor Novak Wen Li Yara Haddad"
).split()
ROLES = ("CTO", "VP Eng", "Director", "Staff+")


def _people(round: Round, slots_by_person: list[list[int]]) -> list[SignUp]:
    people = []
    for number, slots in enumerate(slots_by_person):
        first, last = NAMES[2 * number], NAMES[2 * number + 1]
        people.append(
            SignUp(
                round=round,
                source=SignUp.Source.IMPORT,
                name=f"{first} {last}",
                email=f"{first.lower()}.{last.lower()}@example.com",
                company=f"{last} Labs",
                company_key=f"{last.lower()}-labs",
                title=ROLES[number % 4],
                role_kind=ROLES[number % 4],
                seniority=1 + number % 3,
                format=SignUp.Format.VIDEO,
                timezone="Europe/London",
                slots=slots,
            )
        )
    return SignUp.objects.bulk_create(people)


def _circle(round: Round, number: int, people: list[SignUp], window: list[int]) -> Circle:
    circle = Circle.objects.create(
        round=round, number=number, format="video", status=Circle.Status.ACTIVE, window=window
    )
    now = timezone.now()
    CircleMember.objects.bulk_create(
        CircleMember(
            circle=circle,
            signup=person,
            status=CircleMember.Status.ACCEPTED,
            invited_at=now - timedelta(days=6),
            responded_at=now - timedelta(days=4),
            consented_at=now - timedelta(days=4),
        )
        for person in people
    )
    return circle


def _decline(circle: Circle) -> None:
    member = circle.members.order_by("pk").first()
    CircleMember.objects.filter(pk=member.pk).update(
        status=CircleMember.Status.DECLINED, responded_at=timezone.now()
    )
    open_vacancy(member)


def seed_running_demo(*, organizer: User) -> Round | None:
    """The running demo round; None if it exists already."""
    if Round.objects.filter(slug=DEMO_RUNNING_SLUG).exists():
        return None
    now = timezone.now()
    with transaction.atomic():
        round = Round.objects.create(
            name="Autumn learning circles",
            slug=DEMO_RUNNING_SLUG,
            description="Circles that started meeting this winter.",
            status=Round.Status.RUNNING,
            signup_opens_at=now - timedelta(days=60),
            signup_closes_at=now - timedelta(days=40),
            first_meeting=(now - timedelta(days=20)).date(),
            created_by=organizer,
        )
        people = _people(round, [TUESDAY_EVENING] * 18 + [THURSDAY_MORNING] * 6)
        _circle(round, 1, people[:8], TUESDAY_EVENING)
        _circle(round, 2, people[18:24], THURSDAY_MORNING)
        _circle(round, 3, people[8:11], TUESDAY_EVENING)
        # people[11:18] wait on the waitlist, free on Tuesday evenings only
        for number in (1, 2):
            _decline(round.circles.get(number=number))
    return round
