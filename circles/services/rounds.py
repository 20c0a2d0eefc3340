"""Opening and editing rounds."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from circles.models import ReviewEvent, Round, SignUp
from community.models import User

# Statuses an organizer sets on the round's form; later ones come from composing and inviting.
EDITABLE_STATUSES = (Round.Status.DRAFT, Round.Status.OPEN, Round.Status.CLOSED)
RESERVED_SLUGS = {"new", "dashboard"}


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "round"
    slug, number = base, 1
    taken = Round.objects.exclude(pk=exclude_pk).values_list("slug", flat=True)
    existing = set(taken.filter(slug__startswith=base))
    while slug in existing or slug in RESERVED_SLUGS:
        number += 1
        slug = f"{base}-{number}"
    return slug


def check_round(round: Round) -> None:
    """Raise a ValidationError naming what is wrong with the round's window or rules."""
    errors = {}
    if round.signup_opens_at and round.signup_closes_at:
        if round.signup_closes_at <= round.signup_opens_at:
            errors["signup_closes_at"] = "Sign-ups must close after they open."
        elif round.first_meeting and round.first_meeting < round.signup_closes_at.date():
            errors["first_meeting"] = "The first meeting must come after sign-ups close."
    if round.min_size < 2:
        errors["min_size"] = "A circle needs at least 2 people."
    elif not (round.min_size <= round.target_min_size <= round.target_max_size <= round.max_size):
        errors["target_min_size"] = (
            "Sizes must be in order: smallest ≤ preferred from ≤ preferred up to ≤ largest."
        )
    if round.min_common_minutes < 30 or round.min_common_minutes % 30:
        errors["min_common_minutes"] = "The common window is counted in half-hours (30, 60, 90…)."
    if round.max_distance_km <= 0:
        errors["max_distance_km"] = "The meeting distance must be more than 0 km."
    if round.max_offset_span_hours < 0:
        errors["max_offset_span_hours"] = "The timezone spread cannot be negative."
    if round.min_group_size < 1:
        errors["min_group_size"] = "This must be at least 1."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_round(*, data: dict, created_by: User) -> Round:
    round = Round(**data, created_by=created_by)
    round.slug = unique_slug(round.name)
    check_round(round)
    round.save()
    ReviewEvent.objects.create(
        round=round, actor=created_by, action="round.created", details={"status": round.status}
    )
    return round


@transaction.atomic
def update_round(round: Round, *, data: dict, changed_by: User) -> Round:
    round = Round.objects.select_for_update().get(pk=round.pk)
    if "status" in data and data["status"] != round.status:
        if round.status not in EDITABLE_STATUSES or data["status"] not in EDITABLE_STATUSES:
            raise ValidationError(
                {
                    "status": f"A round that is {round.get_status_display().lower()} moves on "
                    "through composing and inviting, not from this form."
                }
            )
    changed = {name: str(value) for name, value in data.items() if getattr(round, name) != value}
    for name, value in data.items():
        setattr(round, name, value)
    check_round(round)
    round.save()
    if "first_meeting" in changed:
        convert_availability(round)
    if changed:
        ReviewEvent.objects.create(
            round=round, actor=changed_by, action="round.updated", details={"changed": changed}
        )
    return round


def convert_availability(round: Round) -> None:
    """Convert every sign-up's local-time availability to UTC again at the round's (new)
    first-meeting date, so a move across a daylight-saving change keeps everyone's own hours."""
    from circles.services.review import _convert_times  # the conversion carry-over uses too

    signups = list(round.signups.only("pk", "round", "raw", "timezone", "slots"))
    for signup in signups:
        _convert_times(signup, first_meeting=round.first_meeting)
    SignUp.objects.bulk_update(signups, ["slots", "utc_offset_minutes"], batch_size=500)


@transaction.atomic
def close_due_rounds() -> list[Round]:
    """Close the open rounds whose sign-up window has ended (the periodic sweep runs this).

    Sign-ups themselves stop at the closing instant (`Round.accepts_signups`); this makes the
    round say so too, without an organizer having to close it.
    """
    now = timezone.now()
    due = list(
        Round.objects.select_for_update(skip_locked=True).filter(
            status=Round.Status.OPEN, signup_closes_at__lte=now
        )
    )
    Round.objects.filter(pk__in=[round.pk for round in due]).update(
        status=Round.Status.CLOSED, updated_at=now
    )
    ReviewEvent.objects.bulk_create(
        ReviewEvent(
            round=round,
            action="round.closed",
            details={"signup_closes_at": round.signup_closes_at.isoformat()},
        )
        for round in due
    )
    return due
