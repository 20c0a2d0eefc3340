"""What learning circles' meetings and mentoring groups' sessions have in common: each is one
occurrence of a recurring series, planned, held or cancelled, with members' RSVPs and a record of
who came. These read any such queryset (fields `status` and `starts_at`; attendance rows with
`rsvp` and `attended`)."""

from django.db.models import Model, QuerySet
from django.utils import timezone

PLANNED, CANCELLED = "planned", "cancelled"


def next_planned(occurrences: QuerySet) -> Model | None:
    """The first planned occurrence that has not started yet."""
    upcoming = occurrences.filter(status=PLANNED, starts_at__gt=timezone.now())
    return upcoming.order_by("starts_at").first()


def last_started(occurrences: QuerySet) -> Model | None:
    """The latest occurrence that has started and was not cancelled."""
    started = occurrences.exclude(status=CANCELLED).filter(starts_at__lte=timezone.now())
    return started.order_by("-starts_at").first()


def rsvp_counts(attendance: QuerySet | None, answers: list[str]) -> dict[str, int]:
    """How many gave each answer (e.g. {"yes": 4, "no": 1})."""
    if attendance is None:
        return {}
    given = list(attendance.values_list("rsvp", flat=True))
    return {answer: given.count(answer) for answer in answers}


def came(attendance: QuerySet | None, *, who: str) -> set[int]:
    """The ids (in the field `who`) of those recorded as present."""
    if attendance is None:
        return set()
    return set(attendance.filter(attended=True).values_list(who, flat=True))
