"""Mentoring groups that need an organizer's attention, computed (nothing stored), and the weekly
digest that lists them.

A group is flagged when it has fewer than MIN_MEMBERS members once its first session is near
(or past), or when it missed MISSED_LIMIT sessions: their time passed by more than GRACE and the
coach never recorded who came.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from community.services.emails import queue_email
from community.services.reviews import organizers
from mentoring.models import GroupMembership, GroupSession, MentoringGroup

MIN_MEMBERS = 3
MISSED_LIMIT = 2
GRACE = timedelta(days=2)  # time for the coach to record who came
FORMING = timedelta(days=7)  # before this, a new group is still gathering members


@dataclass(frozen=True)
class GroupFlag:
    group: MentoringGroup
    members: int
    missed: int

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.members < MIN_MEMBERS:
            reasons.append(f"Only {self.members} member{'s' if self.members != 1 else ''}.")
        if self.missed >= MISSED_LIMIT:
            reasons.append(f"Missed {self.missed} sessions: nobody recorded who came.")
        return reasons


def flagged_groups(*, now: datetime | None = None) -> list[GroupFlag]:
    """Running groups under MIN_MEMBERS or with MISSED_LIMIT missed sessions, in one query."""
    now = now or timezone.now()
    groups = (
        MentoringGroup.objects.running()
        .select_related("coach__user")
        .annotate(
            members=Count(
                "memberships",
                filter=Q(memberships__status=GroupMembership.Status.ACCEPTED),
                distinct=True,
            ),
            missed=Count(
                "sessions",
                filter=Q(
                    sessions__status=GroupSession.Status.PLANNED,
                    sessions__starts_at__lt=now - GRACE,
                ),
                distinct=True,
            ),
        )
        .filter(
            Q(members__lt=MIN_MEMBERS, first_session_at__lte=now + FORMING)
            | Q(missed__gte=MISSED_LIMIT)
        )
        .order_by("first_session_at", "pk")
    )
    return [GroupFlag(group=g, members=g.members, missed=g.missed) for g in groups]


def week_key(when: datetime) -> str:
    year, week, _ = timezone.localtime(when).isocalendar()
    return f"{year}-W{week:02d}"


def send_groups_digest(*, now: datetime | None = None) -> int:
    """Email each organizer the flagged groups with their reasons, at most once a week (the
    outbox key holds the ISO week); nothing is sent when no group is flagged."""
    now = now or timezone.now()
    flags = flagged_groups(now=now)
    if not flags:
        return 0
    context = {"flags": flags, "total": len(flags), "week": week_key(now)}
    for organizer in organizers():
        queue_email(
            to=organizer.email,
            template="mentoring_groups_digest",
            context=context,
            key=f"mentoring-groups-digest:{week_key(now)}:{organizer.email}",
            user=organizer,
        )
    return len(flags)
