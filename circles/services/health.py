"""How each circle is doing, computed from its meetings, attendance and members (nothing stored).

A circle is "at risk" when it missed a planned meeting (its time passed by more than a grace period
and nobody marked it held), when attendance fell under half at its last two meetings, or when it
is down to SMALL_CIRCLE members or fewer. Each reason is said in words, for the organizer's pages
and the weekly digest.
"""

import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from circles.models import Circle, CircleMember, Meeting

GRACE = timedelta(days=2)  # time for the facilitator to record who came
SMALL_CIRCLE = 5
LOW_ATTENDANCE = 0.5
WATCHED = (Circle.Status.INVITING, Circle.Status.ACTIVE)
RISKS = {
    "missed": "Missed a meeting",
    "attendance": "Attendance under half twice",
    "small": f"{SMALL_CIRCLE} or fewer members",
}
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 240, 60, 6


@dataclass(frozen=True)
class MeetingAttendance:
    """Who came to one held meeting, of those who were in the circle then."""

    meeting: Meeting
    came: int
    expected: int

    @property
    def share(self) -> float | None:
        return self.came / self.expected if self.expected else None

    @property
    def percent(self) -> int:
        return round(100 * (self.share or 0))


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    title: str


@dataclass
class CircleHealth:
    circle: Circle
    planned: int
    held: int
    missed: list[Meeting]
    trend: list[MeetingAttendance]
    members: int
    left: int
    reasons: list[str] = field(default_factory=list)

    @property
    def at_risk(self) -> bool:
        return bool(self.reasons)

    @property
    def low_attendance(self) -> bool:
        """Under half came to each of the last two held meetings."""
        last_two = self.trend[-2:]
        return len(last_two) == 2 and all(point.share < LOW_ATTENDANCE for point in last_two)

    @property
    def too_small(self) -> bool:
        return self.members <= SMALL_CIRCLE

    def risks(self) -> set[str]:
        """The kinds of risk, as RISKS names them."""
        found = {"missed": bool(self.missed), "attendance": self.low_attendance}
        return {kind for kind, applies in {**found, "small": self.too_small}.items() if applies}

    def chart(self) -> dict:
        """The attendance trend as SVG geometry: a line over the held meetings, 0% to 100%."""
        points = _trend_points(self.trend)
        return {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "points": " ".join(f"{point.x},{point.y}" for point in points),
            "dots": points,
            "half_y": _y(LOW_ATTENDANCE),
        }


def with_health_data(circles: QuerySet) -> QuerySet:
    """The circles with what `circle_health` reads, in three queries however many there are."""
    meetings = Meeting.objects.annotate(
        came=Count("attendance", filter=Q(attendance__attended=True)),
        recorded=Count("attendance", filter=Q(attendance__attended__isnull=False)),
    ).order_by("starts_at", "number")
    return circles.select_related("round").prefetch_related(
        Prefetch("members", queryset=CircleMember.objects.order_by("added_at", "pk")),
        Prefetch("meetings", queryset=meetings),
    )


def watched_circles() -> QuerySet:
    return with_health_data(Circle.objects.filter(status__in=WATCHED)).order_by("round", "number")


def circle_health(circle: Circle, *, now: datetime | None = None) -> CircleHealth:
    """The health of a circle loaded through `with_health_data`."""
    now = now or timezone.now()
    meetings = [m for m in circle.meetings.all() if m.status != Meeting.Status.CANCELLED]
    past = [m for m in meetings if m.starts_at <= now]
    members = list(circle.members.all())
    health = CircleHealth(
        circle=circle,
        planned=len(past),
        held=sum(1 for m in past if m.status == Meeting.Status.HELD),
        missed=[
            m for m in past if m.status == Meeting.Status.PLANNED and m.starts_at < now - GRACE
        ],
        trend=[_attendance(m, members) for m in past if m.status == Meeting.Status.HELD],
        members=sum(1 for member in members if member.is_current),
        left=sum(1 for member in members if member.status == CircleMember.Status.LEFT),
    )
    health.trend = [point for point in health.trend if point.expected]
    health.reasons = risk_reasons(health)
    return health


def circles_at_risk(*, now: datetime | None = None) -> list[CircleHealth]:
    found = (circle_health(circle, now=now) for circle in watched_circles())
    return [health for health in found if health.at_risk]


def _attendance(meeting: Meeting, members: list[CircleMember]) -> MeetingAttendance:
    """Came of those in the circle that day: accepted by then, and not yet gone."""
    if meeting.attendance_taken_at is None and not meeting.recorded:
        return MeetingAttendance(meeting, meeting.came, 0)  # nobody recorded who came
    there = sum(1 for member in members if _member_on(member, meeting.starts_at))
    return MeetingAttendance(meeting, meeting.came, max(there, meeting.recorded, meeting.came))


def _member_on(member: CircleMember, when: datetime) -> bool:
    joined = member.consented_at or member.responded_at
    if joined is not None and joined > when:
        return False
    if member.status == CircleMember.Status.ACCEPTED:
        return True
    return member.status == CircleMember.Status.LEFT and (
        member.left_at is None or member.left_at > when
    )


def risk_reasons(health: CircleHealth) -> list[str]:
    zone = _zone(health.circle.timezone)
    reasons = []
    if health.missed:
        days = ", ".join(_day(meeting.starts_at, zone) for meeting in health.missed)
        count = len(health.missed)
        reasons.append(
            f"Missed {count} planned meeting{'s' if count > 1 else ''}: nobody marked the "
            f"meeting of {days} as held."
        )
    if health.low_attendance:
        figures = " and ".join(
            f"{point.came} of {point.expected} on {_day(point.meeting.starts_at, zone)}"
            for point in health.trend[-2:]
        )
        reasons.append(f"Attendance under half at the last two meetings ({figures}).")
    if health.too_small:
        reasons.append(
            f"Only {health.members} member{'s' if health.members != 1 else ''} left "
            f"({SMALL_CIRCLE} or fewer)."
        )
    return reasons


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _day(when: datetime, zone: zoneinfo.ZoneInfo) -> str:
    local = when.astimezone(zone)
    return f"{local.day} {local:%b %Y}"


def _y(share: float) -> float:
    return round(CHART_PAD + (1 - share) * (CHART_HEIGHT - 2 * CHART_PAD), 1)


def _trend_points(trend: list[MeetingAttendance]) -> list[TrendPoint]:
    if not trend:
        return []
    step = (CHART_WIDTH - 2 * CHART_PAD) / max(len(trend) - 1, 1)
    return [
        TrendPoint(
            round(CHART_PAD + index * step, 1),
            _y(point.share),
            f"Meeting {point.meeting.number + 1}: {point.came} of {point.expected} came",
        )
        for index, point in enumerate(trend)
    ]
