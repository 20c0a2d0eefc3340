"""Small builders for circles' rows."""

from datetime import date, timedelta

from django.utils import timezone

from circles.models import Round, SignUp


def make_round(**overrides) -> Round:
    now = timezone.now()
    fields = {
        "name": "Spring circles",
        "slug": "spring",
        "status": Round.Status.OPEN,
        "signup_opens_at": now - timedelta(days=1),
        "signup_closes_at": now + timedelta(days=13),
        "first_meeting": date.today() + timedelta(days=30),
        **overrides,
    }
    return Round.objects.create(**fields)


def make_signup(round: Round, **overrides) -> SignUp:
    fields = {"name": "Ada Lovelace", "email": "ada@example.com", **overrides}
    return SignUp.objects.create(round=round, **fields)
