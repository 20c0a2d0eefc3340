"""When a circle meets: candidate times, members' votes, the pick, and the series it starts."""

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from circles.cleaning.places import timezone_at
from circles.models import Circle, CircleMember, Meeting, MeetingCandidate, MeetingVote
from circles.schedule import candidate_times, series_times
from circles.services import meetings
from circles.services.circle_members import member_zone
from community.models import User

# A circle that ended (or dissolved) before its vote closed gets no series.
OVER = (Circle.Status.ENDED, Circle.Status.DISSOLVED)


def reference_timezone(circle: Circle) -> str:
    """Where the series recurs: the place's zone in person, else the commonest member zone."""
    if circle.format == Circle.Format.IN_PERSON and circle.place:
        zone = timezone_at(circle.place_latitude, circle.place_longitude)
        if zone:
            return zone
    members = circle.members.filter(status__in=CircleMember.CURRENT).select_related("signup__user")
    zones = Counter(member_zone(member).key for member in members)
    return min(zones, key=lambda zone: (-zones[zone], zone)) if zones else "UTC"


def _locked(circle: Circle) -> Circle:
    return Circle.objects.select_for_update().select_related("round").get(pk=circle.pk)


@transaction.atomic
def offer_candidate_times(circle: Circle) -> list[MeetingCandidate]:
    """Draw 3-5 times from the circle's window and open the vote until the voting deadline."""
    circle = _locked(circle)
    if circle.first_meeting_at or circle.candidates.exists():
        return list(circle.candidates.all())
    closes = timezone.now() + timedelta(days=settings.CIRCLES_VOTING_DAYS)
    earliest = max(circle.round.first_meeting, (closes + timedelta(days=1)).date())
    times = candidate_times(circle.window, earliest, circle.round.meeting_minutes)
    if not times:
        raise ValidationError("The circle's common window has no room for a meeting.")
    candidates = MeetingCandidate.objects.bulk_create(
        MeetingCandidate(circle=circle, starts_at=when) for when in times
    )
    circle.voting_closes_at = closes
    circle.timezone = circle.timezone or reference_timezone(circle)
    circle.save(update_fields=["voting_closes_at", "timezone", "updated_at"])
    return candidates


@transaction.atomic
def record_votes(circle: Circle, *, member: CircleMember, can_attend: set[int]) -> None:
    """A member's answer for every candidate (those in `can_attend` they can make); the time most
    can make is picked as soon as every member who accepted has voted."""
    circle = _locked(circle)
    if circle.first_meeting_at:
        raise ValidationError("The meeting time is already set.")
    if member.circle_id != circle.pk or member.status != CircleMember.Status.ACCEPTED:
        raise ValidationError("Only the circle's members vote on its meeting time.")
    for candidate in circle.candidates.all():
        MeetingVote.objects.update_or_create(
            candidate=candidate, member=member, defaults={"can_attend": candidate.pk in can_attend}
        )
    if everyone_voted(circle):
        _pick(circle, best_candidate(circle))


def everyone_voted(circle: Circle) -> bool:
    """Every member who accepted has voted. Someone still invited (a backfill) cannot vote yet,
    so they do not hold the others' pick back."""
    accepted = circle.members.filter(status=CircleMember.Status.ACCEPTED)
    voted = accepted.filter(votes__candidate__circle=circle).distinct()
    return accepted.exists() and voted.count() == accepted.count()


def tally(circle: Circle) -> list[MeetingCandidate]:
    """The candidates, earliest first, each with `yes` (how many can make it) and `votes`."""
    return list(
        circle.candidates.annotate(
            yes=Count("votes", filter=Q(votes__can_attend=True)), answers=Count("votes")
        ).order_by("starts_at")
    )


def best_candidate(circle: Circle) -> MeetingCandidate | None:
    """The time most members can make; the earliest of those tied."""
    return min(tally(circle), key=lambda c: (-c.yes, c.starts_at), default=None)


@transaction.atomic
def pick_meeting_time(circle: Circle, *, candidate: MeetingCandidate, by: User | None) -> Circle:
    """The organizer or the facilitator settles the time; the series starts there."""
    circle = _locked(circle)
    if circle.first_meeting_at:
        raise ValidationError("The meeting time is already set.")
    if candidate.circle_id != circle.pk:
        raise ValidationError("That time is not one of this circle's candidates.")
    return _pick(circle, candidate)


def _pick(circle: Circle, candidate: MeetingCandidate | None) -> Circle:
    if circle.status in OVER:
        raise ValidationError(
            f"{circle} has {circle.get_status_display().lower()}: it does not meet."
        )
    if candidate is None:
        raise ValidationError("The circle has no candidate times to pick from.")
    circle.first_meeting_at = candidate.starts_at
    circle.timezone = circle.timezone or reference_timezone(circle)
    circle.save(update_fields=["first_meeting_at", "timezone", "updated_at"])
    _create_series(circle, candidate.starts_at)
    meetings.send_series_invitations(circle)
    return circle


def _create_series(circle: Circle, first: datetime) -> None:
    starts = series_times(first, ZoneInfo(circle.timezone), circle.round.meeting_every_weeks)
    Meeting.objects.bulk_create(
        Meeting(circle=circle, number=number, original_starts_at=when, starts_at=when)
        for number, when in enumerate(starts)
    )


def pick_times_where_voting_closed() -> int:
    """Past a circle's voting deadline, the time most can make is picked (the beat calls this)."""
    due = (
        Circle.objects.exclude(status__in=OVER)
        .filter(
            first_meeting_at__isnull=True,
            series_cancelled_at__isnull=True,
            voting_closes_at__lte=timezone.now(),
            candidates__isnull=False,
        )
        .distinct()
    )
    picked = 0
    for circle_id in due.values_list("pk", flat=True):
        picked += _pick_after_deadline(circle_id)
    return picked


@transaction.atomic
def _pick_after_deadline(circle_id: int) -> bool:
    circle = Circle.objects.select_for_update().select_related("round").get(pk=circle_id)
    if circle.first_meeting_at or circle.status in OVER:  # picked or ended meanwhile
        return False
    _pick(circle, best_candidate(circle))
    return True
