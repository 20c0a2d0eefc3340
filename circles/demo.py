"""Demo learning circles for `make run`: an open round, 200 imported sign-ups, composed once."""

from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from circles.models import Round
from circles.services.composition import start_composition
from circles.services.import_apply import apply_import
from circles.services.imports import start_import
from community.models import User

DEMO_ROUND_SLUG = "demo-spring-circles"
# Realistic, messy sign-ups in the import format (the same rows the tests clean).
SIGNUPS_FILE = Path(__file__).with_name("demo_signups.jsonl")


def seed_circles_demo(*, organizer_email: str, time_limit: float = 8.0) -> Round | None:
    """Open the demo round, import its sign-ups and compose it; None if it exists already."""
    if Round.objects.filter(slug=DEMO_ROUND_SLUG).exists():
        return None
    organizer = User.objects.get(email=organizer_email)
    now = timezone.now()
    with transaction.atomic():
        round = Round.objects.create(
            name="Spring learning circles",
            slug=DEMO_ROUND_SLUG,
            description="Six months of fortnightly conversations with eight peers.",
            status=Round.Status.OPEN,
            signup_opens_at=now - timedelta(days=7),
            signup_closes_at=now + timedelta(days=21),
            first_meeting=(now + timedelta(days=42)).date(),
            created_by=organizer,
        )
        batch = start_import(
            round,
            file_name="spring-sign-ups.jsonl",
            content=SIGNUPS_FILE.read_bytes(),
            uploaded_by=organizer,
        )
        apply_import(batch, applied_by=organizer)
        # Runs once this transaction commits: in-process without a broker, else on a worker.
        start_composition(round, requested_by=organizer, time_limit=time_limit)
    return round
