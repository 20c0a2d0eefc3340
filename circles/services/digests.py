"""The weekly digest of circles at risk, for organizers."""

from datetime import datetime
from itertools import groupby

from django.utils import timezone

from circles.services.health import circles_at_risk
from community.services.emails import queue_email
from community.services.reviews import organizers


def week_key(when: datetime) -> str:
    year, week, _ = timezone.localtime(when).isocalendar()
    return f"{year}-W{week:02d}"


def send_health_digest(*, now: datetime | None = None) -> int:
    """Email each organizer the circles at risk, with the reasons; returns how many are at risk.

    Nothing is sent when no circle is at risk, and at most one digest per organizer per week:
    the outbox key holds the ISO week.
    """
    now = now or timezone.now()
    at_risk = circles_at_risk(now=now)
    if not at_risk:
        return 0
    rounds = [
        {"round": round, "circles": list(healths)}
        for round, healths in groupby(at_risk, key=lambda health: health.circle.round)
    ]
    context = {"rounds": rounds, "total": len(at_risk), "week": week_key(now)}
    for organizer in organizers():
        queue_email(
            to=organizer.email,
            template="circle_health_digest",
            context=context,
            key=f"circles-health-digest:{week_key(now)}:{organizer.email}",
            user=organizer,
        )
    return len(at_risk)
