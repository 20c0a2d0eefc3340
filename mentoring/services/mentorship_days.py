"""Mentorship days: planning one, changing or cancelling it, its sessions as members see them, and
announcing it once to the members who want to talk about its topics.

Changes and cancellations lock the coach's profile first, as bookings do, so no session of the day
is booked between the check that every booking still fits and the save."""

from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from circles.models import SignUp
from community.models import Email, Member, User
from community.queue import enqueue_on_commit
from community.services.emails import queue_email
from mentoring.models import Booking, CoachProfile, MentorshipDay
from mentoring.services.bookings import cancel_booking

TIMING = ("day", "starts_at", "ends_at", "session_minutes", "break_minutes")


class SliceState(models.TextChoices):
    """Where one of a day's sessions stands for a member about to book: only an open one can be
    booked, and a taken one is booked (or blocked by another of the coach's sessions)."""

    OPEN = "open", "Open"
    TAKEN = "taken", "Taken"
    TOO_SOON = "too_soon", "Too soon to book"
    STARTED = "started", "Started"
    OVER = "over", "Over"
    CLOSED = "closed", "Not taking bookings"


class Slice(NamedTuple):
    starts_at: datetime
    ends_at: datetime
    state: SliceState

    @property
    def open(self) -> bool:
        return self.state == SliceState.OPEN


@transaction.atomic
def plan_mentorship_day(form, *, coach: CoachProfile) -> MentorshipDay:
    """Save a day from its form, with at least one session ahead, and announce it after commit."""
    day = form.save(commit=False)
    day.coach, day.timezone = coach, coach.timezone
    slices = day.slices()
    if not slices:
        raise ValidationError("The day is too short for one session.")
    if slices[0][0] < timezone.now() + timedelta(hours=coach.notice_hours):
        raise ValidationError("Plan the day further ahead than your minimum notice.")
    try:
        with transaction.atomic():
            day.save()
    except IntegrityError as exc:
        raise ValidationError("You already have a mentorship day on that date.") from exc
    form.save_m2m()
    if not day.topics.exists():
        day.topics.set(coach.topics.all())
    from mentoring.tasks import announce_mentorship_day

    enqueue_on_commit(announce_mentorship_day, day.pk)
    return day


def _locked_own_day(day: MentorshipDay, *, by: User) -> MentorshipDay:
    """The day as it is now, under its coach's lock, if `by` is its coach and it is still on."""
    coach = CoachProfile.objects.select_for_update().select_related("user").get(pk=day.coach_id)
    day = MentorshipDay.objects.select_for_update().get(pk=day.pk)
    day.coach = coach
    if coach.user_id != by.pk:
        raise ValidationError("Only the coach of a mentorship day can change it.")
    if day.is_cancelled:
        raise ValidationError("This mentorship day has been cancelled.")
    slices = day.slices()
    if not slices or slices[-1][1] <= timezone.now():
        raise ValidationError("This mentorship day is over: it can no longer be changed.")
    return day


def days_ahead(coach: CoachProfile, *, now: datetime | None = None) -> list[MentorshipDay]:
    """The coach's days still on that have not ended."""
    now = now or timezone.now()
    return [day for day in coach.days.upcoming(now) if day.closes_at > now]


def booked_sessions(day: MentorshipDay) -> list[Booking]:
    """The day's sessions members hold, for its coach."""
    return list(day.bookings.active().select_related("member").order_by("starts_at"))


def _misfits(day: MentorshipDay) -> list[Booking]:
    """The day's active bookings that are not exactly one of its sessions as it is now set."""
    sessions = set(day.slices())
    return [b for b in booked_sessions(day) if (b.starts_at, b.ends_at) not in sessions]


def _refuse_misfits(day: MentorshipDay, misfits: list[Booking]) -> ValidationError:
    zone = ZoneInfo(day.timezone)
    names = "; ".join(
        f"{b.member}, {b.starts_at.astimezone(zone):%H:%M}–{b.ends_at.astimezone(zone):%H:%M}"
        for b in misfits
    )
    return ValidationError(
        f"These booked sessions would no longer be sessions of the day: {names}. Change the "
        "times so that they still fit, or cancel those sessions first."
    )


def _check_timing(day: MentorshipDay) -> None:
    slices = day.slices()
    if not slices:
        raise ValidationError("The day is too short for one session.")
    if slices[-1][1] <= timezone.now():
        raise ValidationError("With those times the day would already be over.")
    misfits = _misfits(day)
    if misfits:
        raise _refuse_misfits(day, misfits)


@transaction.atomic
def edit_mentorship_day(day: MentorshipDay, *, by: User, changes: dict) -> MentorshipDay:
    """Change a day its coach planned: the title, description and topics freely; the date, times,
    session length and breaks only so that every session booked stays one of the day's sessions,
    at the same time. Members who booked keep their sessions; the members it was announced to
    are told the new date and times when its sessions change."""
    day = _locked_own_day(day, by=by)
    before = day.slices()
    changes = dict(changes)
    topics = changes.pop("topics", None)
    retimed = any(field in changes and changes[field] != getattr(day, field) for field in TIMING)
    for field, value in changes.items():
        setattr(day, field, value)
    if retimed:
        _check_timing(day)
    try:
        with transaction.atomic():
            day.save()
    except IntegrityError as exc:
        raise ValidationError("You already have a mentorship day on that date.") from exc
    if topics is not None:
        day.topics.set(topics or day.coach.topics.all())
    if retimed and day.slices() != before:
        _tell_announced_of_move(day, was=before)
    return day


@transaction.atomic
def cancel_mentorship_day(day: MentorshipDay, *, by: User, reason: str) -> list[Booking]:
    """Call a day off. Each of its sessions still ahead is cancelled through the booking service,
    so both sides get the cancellation with the calendar's METHOD:CANCEL; the other members it
    was announced to are told it is off. The day leaves every list and is never announced.
    Sessions already started or held are left as they are."""
    if not reason.strip():
        raise ValidationError("Say why the day is cancelled: the members who booked it are told.")
    day = _locked_own_day(day, by=by)
    now = timezone.now()
    # Those holding a session are told through its cancellation; the others it was announced to
    # are told here.
    _tell_announced_of_cancellation(day, booked=day.bookings.active().values("member"))
    day.cancelled_at, day.cancellation_reason = now, reason.strip()
    day.save(update_fields=["cancelled_at", "cancellation_reason"])
    ahead = day.bookings.filter(status=Booking.Status.BOOKED, starts_at__gt=now)
    return [cancel_booking(booking, by=by, reason=reason) for booking in ahead.order_by("pk")]


def announced_members(day: MentorshipDay):
    """Active members the day's announcement was emailed to."""
    emailed = Email.objects.filter(key__startswith=f"mentoring:day:{day.pk}:announced:")
    return User.objects.filter(
        pk__in=emailed.values("user"), is_active=True, member__status=Member.Status.ACTIVE
    ).order_by("pk")


def _day_context(day: MentorshipDay, slices: list[tuple], member: User) -> dict:
    return {
        "day": day,
        "recipient": member,
        "tz": member.timezone or "UTC",
        "first_start": slices[0][0],
        "last_end": slices[-1][1],
        "sessions": len(slices),
    }


def _tell_announced_of_move(day: MentorshipDay, *, was: list[tuple]) -> None:
    """Email the new date and times to each member the day was announced to. The key names the
    change (the new opening and the moment of the edit, which the coach's lock keeps apart), so
    each change is sent once, a move back to earlier times included."""
    changed = f"{day.opens_at:%Y%m%dT%H%MZ}:{timezone.now():%Y%m%dT%H%M%S%fZ}"
    slices = day.slices()
    for member in announced_members(day):
        context = _day_context(day, slices, member)
        context |= {"was_start": was[0][0], "was_end": was[-1][1]}
        queue_email(
            to=member.email,
            template="mentoring_day_moved",
            context=context,
            key=f"mentoring:day:{day.pk}:moved:{changed}:{member.pk}",
            user=member,
            about=[day.coach.user],
        )


def _tell_announced_of_cancellation(day: MentorshipDay, *, booked) -> None:
    """Email the members the day was announced to, but for those in `booked`, that it is off."""
    _tell_announced(day, template="mentoring_day_cancelled", event="called-off", booked=booked)


def _tell_announced(day: MentorshipDay, *, template: str, event: str, booked) -> int:
    """Email the members the day was announced to, but for those in `booked`, once each: `event`
    names what happened in each email's key."""
    slices, told = day.slices(), 0
    for member in announced_members(day).exclude(pk__in=booked):
        queue_email(
            to=member.email,
            template=template,
            context=_day_context(day, slices, member),
            key=f"mentoring:day:{day.pk}:{event}:{member.pk}",
            user=member,
            about=[day.coach.user],
        )
        told += 1
    return told


def _round(day: MentorshipDay) -> str:
    """The day's current announcement, named by when it was claimed."""
    return f"{day.announced_at:%Y%m%dT%H%M%S%fZ}"


def close_announced_days(coach: CoachProfile, *, now: datetime | None = None) -> int:
    """The coach stopped taking bookings: each of their days ahead that was announced is closed
    to new bookings. The members it was announced to who hold none of its sessions are told,
    once per announcement (the key names it), and the day counts as unannounced again, so the
    periodic catch-up announces it anew once the coach takes bookings again."""
    now = now or timezone.now()
    told = 0
    for day in days_ahead(coach, now=now):
        if day.announced_at is None:
            continue
        told += _tell_announced(
            day,
            template="mentoring_day_closed",
            event=f"closed:{_round(day)}",
            booked=day.bookings.active().values("member"),
        )
        day.announced_at = None
        day.save(update_fields=["announced_at"])
    return told


def listed_days(*, limit: int = 6, now: datetime | None = None) -> list[MentorshipDay]:
    """Days of coaches taking bookings that have not ended, with their topics, for the coach
    list. `upcoming()` keeps yesterday's and today's dates, which may be over by now depending on
    the day's zone: the ended ones are dropped, and the next days read in their place (one
    query, with its topics, unless some had ended)."""
    now = now or timezone.now()
    days = MentorshipDay.objects.bookable().upcoming(now)
    shown = ("title", "day", "timezone", "starts_at", "ends_at", "coach__user__first_name")
    shown += ("coach__user__last_name", "coach__user__email")
    days = days.select_related("coach__user").only(*shown).prefetch_related("topics")
    listed, start = [], 0
    while True:
        read = list(days[start : start + limit])
        listed += [day for day in read if day.closes_at > now]
        if len(listed) >= limit or len(read) < limit:
            return listed[:limit]
        start += limit


def _state(
    start: datetime, end: datetime, *, busy, now: datetime, earliest: datetime, closed: bool
) -> SliceState:
    if any(b < end and start < u for b, u in busy):
        return SliceState.TAKEN
    if start <= now:
        return SliceState.STARTED if end > now else SliceState.OVER
    if start < earliest:
        return SliceState.TOO_SOON
    return SliceState.CLOSED if closed else SliceState.OPEN


def slices_of(day: MentorshipDay, *, now: datetime | None = None) -> list[Slice]:
    """The day's sessions, each open unless booked (or blocked by another of the coach's
    sessions), closer than the coach's notice, already started, or the coach is not taking
    bookings."""
    now = now or timezone.now()
    slices = day.slices()
    if not slices:
        return []
    taken = Booking.objects.active().filter(
        coach=day.coach, blocked_from__lt=slices[-1][1], blocked_until__gt=slices[0][0]
    )
    busy = list(taken.values_list("blocked_from", "blocked_until"))
    earliest = now + timedelta(hours=day.coach.notice_hours)
    closed = not day.coach.takes_bookings
    return [
        Slice(start, end, _state(start, end, busy=busy, now=now, earliest=earliest, closed=closed))
        for start, end in slices
    ]


def interested_members(day: MentorshipDay):
    """Active members who told us (in a circle sign-up) they want to discuss one of its topics."""
    names = list(day.topics.values_list("name", flat=True))
    if not names:
        return User.objects.none()
    wants = Q()
    for name in names:
        wants |= Q(topics__icontains=name)
    users = SignUp.objects.filter(wants, user__isnull=False).values("user")
    return (
        User.objects.filter(pk__in=users, is_active=True, member__status=Member.Status.ACTIVE)
        .exclude(pk=day.coach.user_id)
        .order_by("pk")
    )


@transaction.atomic
def announce_mentorship_day(day_id: int, *, now: datetime | None = None) -> int:
    """Email the interested members once: the day is claimed before any email is queued, and
    each email's key names the day, this announcement and the member, so a second run sends
    nothing. A day whose coach is not taking bookings is not advertised: it stays unannounced
    (or, announced before, is unannounced when they stop), and the periodic catch-up announces
    it once they take bookings again, unless it is over by then."""
    now = now or timezone.now()
    unannounced = MentorshipDay.objects.bookable().filter(pk=day_id, announced_at=None)
    if not unannounced.update(announced_at=now):
        return 0
    day = MentorshipDay.objects.select_related("coach__user").get(pk=day_id)
    if day.closes_at <= now:
        return 0
    slices = day.slices()
    topics = list(day.topics.values_list("name", flat=True))
    sent = 0
    for member in interested_members(day):
        queue_email(
            to=member.email,
            template="mentoring_day_announced",
            context={**_day_context(day, slices, member), "topics": topics},
            key=f"mentoring:day:{day.pk}:announced:{_round(day)}:{member.pk}",
            user=member,
            about=[day.coach.user],
        )
        sent += 1
    return sent


def announce_pending_days() -> int:
    """Catch up on days whose announcement task was lost (the beat runs this)."""
    pending = MentorshipDay.objects.bookable().upcoming().filter(announced_at=None)
    return sum(announce_mentorship_day(pk) for pk in pending.values_list("pk", flat=True))
