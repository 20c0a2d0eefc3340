"""Figures organizers would rather see than read: the application funnel."""

from datetime import timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from community.models import Application, Decision

Status = Application.Status


def application_funnel(*, days: int = 90) -> dict:
    """Applications submitted in the last `days`, and how far each got."""
    since = timezone.now() - timedelta(days=days)
    submitted = Application.objects.filter(submitted_at__gte=since)
    counts = submitted.aggregate(
        submitted=Count("pk"),
        reviewed=Count("pk", filter=~Q(status=Status.SUBMITTED)),
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
        withdrawn=Count("pk", filter=Q(status=Status.WITHDRAWN)),
        waiting=Count("pk", filter=Q(status__in=Application.WAITING)),
    )
    stages = [
        ("Submitted", counts["submitted"]),
        ("Reviewed", counts["reviewed"]),
        ("Approved", counts["approved"]),
    ]
    outcomes = [
        ("Waiting", counts["waiting"]),
        ("Approved", counts["approved"]),
        ("Waitlisted", counts["waitlisted"]),
        ("Rejected", counts["rejected"]),
        ("Withdrawn", counts["withdrawn"]),
    ]
    return {
        "days": days,
        "stages": _with_shares(stages, counts["submitted"]),
        "outcomes": _with_shares(outcomes, counts["submitted"]),
        "weekly": weekly_submissions(since),
        "median_days_to_decision": median_days_to_decision(since),
    }


def _with_shares(rows, total: int) -> list[dict]:
    return [
        {"label": label, "count": count, "percent": round(100 * count / total) if total else 0}
        for label, count in rows
    ]


def weekly_submissions(since) -> list[dict]:
    rows = (
        Application.objects.filter(submitted_at__gte=since)
        .annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(count=Count("pk"))
        .order_by("week")
    )
    rows = list(rows)
    peak = max((row["count"] for row in rows), default=0)
    return [
        {"week": row["week"], "count": row["count"], "percent": round(100 * row["count"] / peak)}
        for row in rows
    ]


def median_days_to_decision(since) -> float | None:
    decided = (
        Decision.objects.filter(
            to_status__in=[Status.APPROVED, Status.WAITLISTED, Status.REJECTED],
            application__submitted_at__gte=since,
        )
        .values_list("created_at", "application__submitted_at")
        .order_by()
    )
    durations = sorted((made - sent).total_seconds() / 86400 for made, sent in decided if sent)
    if not durations:
        return None
    middle = len(durations) // 2
    if len(durations) % 2:
        return round(durations[middle], 1)
    return round((durations[middle - 1] + durations[middle]) / 2, 1)
