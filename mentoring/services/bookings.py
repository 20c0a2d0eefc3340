"""Booking, moving, cancelling and closing one-to-one sessions.

Every function locks the coach's profile row before it checks anything, so two requests for one
coach are decided one after the other; the member's row is locked next (always in that order, so
two bookings never wait on each other) for their allowance. The database's exclusion constraints
stand behind the checks: an overlap that still reaches the table (a member booking two coaches at
once) comes back as an IntegrityError, turned here into the same clear refusal.
"""

from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from community.models import User
from mentoring.models import Booking, CoachProfile, MentorshipDay, Topic
from mentoring.services import notifications
from mentoring.services.allowance import (
    check_allowance,
    check_month_of_move,
    check_not_paused,
    within_allowance,
)
from mentoring.services.availability import is_bookable, open_slots_for

NEXT_SLOTS_SHOWN = 5


class SlotTaken(ValidationError):
    """The time asked for is not open (any more); `next_slots` are the coach's next free starts."""

    def __init__(self, message: str, *, next_slots: list[datetime]):
        super().__init__(message)
        self.next_slots = next_slots


def _locked_coach(coach: CoachProfile) -> CoachProfile:
    return CoachProfile.objects.select_for_update().select_related("user").get(pk=coach.pk)


def _refuse(coach, *, minutes, member, now, exclude=None, message="", new=False) -> SlotTaken:
    """The refusal of a time, with the next ones open; for a `new` booking of the member's own,
    only those in months they have not used up."""
    slots = open_slots_for(coach, minutes=minutes, member=member, now=now, exclude=exclude)
    slots = within_allowance(member, slots) if new else slots
    return SlotTaken(
        message or "That time is no longer open: someone may have just booked it.",
        next_slots=slots[:NEXT_SLOTS_SHOWN],
    )


class AlreadyBooked(ValidationError):
    """The member already holds this very session (the form sent twice); `booking` is it."""

    def __init__(self, booking: Booking):
        super().__init__(f"You have already booked this time with {booking.coach}.")
        self.booking = booking


def _check_not_booked_already(coach, *, member, starts_at, minutes=None, day=None) -> None:
    mine = Booking.objects.active().filter(coach=coach, member=member, mentorship_day=day)
    if minutes is not None:
        mine = mine.filter(ends_at=starts_at + timedelta(minutes=minutes))
    if booking := mine.filter(starts_at=starts_at).first():
        raise AlreadyBooked(booking)


def _check_taking_bookings(coach: CoachProfile) -> None:
    if not coach.takes_bookings:
        raise ValidationError(f"{coach} is not taking bookings at the moment.")


def _check_request(coach: CoachProfile, *, member: User, minutes: int) -> None:
    _check_taking_bookings(coach)
    if coach.user_id == member.pk:
        raise ValidationError("You cannot book a session with yourself.")
    if minutes not in coach.session_lengths:
        raise ValidationError(f"{coach} does not offer {minutes}-minute sessions.")


def _place(booking: Booking, coach: CoachProfile, *, starts_at: datetime, minutes: int) -> None:
    booking.starts_at = starts_at
    booking.ends_at = starts_at + timedelta(minutes=minutes)
    booking.blocked_from = booking.starts_at - coach.buffer_before
    booking.blocked_until = booking.ends_at + coach.buffer_after


def _mark_reminders_past(booking: Booking, *, now: datetime) -> None:
    """A reminder whose moment is already past when the session is (re)booked is not sent."""
    day, hour = settings.MENTORING_REMINDER_HOURS
    booking.reminded_day_before_at = (
        now if booking.starts_at - now <= timedelta(hours=day) else None
    )
    booking.reminded_hour_before_at = (
        now if booking.starts_at - now <= timedelta(hours=hour) else None
    )


def _save_or_refuse(booking: Booking, *, coach, member, minutes, now, **refusal) -> None:
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        raise _refuse(coach, minutes=minutes, member=member, now=now, **refusal) from exc


@transaction.atomic
def book_session(
    coach: CoachProfile,
    *,
    member: User,
    starts_at: datetime,
    minutes: int,
    agenda: str,
    topic: Topic | None = None,
    intake_answer: str = "",
) -> Booking:
    """Book `member` with `coach` at `starts_at` if it is open, within their allowance."""
    now = timezone.now()
    coach = _locked_coach(coach)
    member = User.objects.select_for_update().get(pk=member.pk)
    # Before the limits: a form sent twice finds its own booking, not "you hold too many".
    _check_not_booked_already(coach, member=member, starts_at=starts_at, minutes=minutes)
    _check_request(coach, member=member, minutes=minutes)
    check_not_paused(member)
    check_allowance(member, starts_at=starts_at, now=now)
    if not is_bookable(coach, starts_at, minutes=minutes, member=member, now=now):
        raise _refuse(coach, minutes=minutes, member=member, now=now, new=True)
    booking = Booking(coach=coach, member=member, agenda=agenda, topic=topic)
    booking.intake_question, booking.intake_answer = coach.intake_question, intake_answer
    _place(booking, coach, starts_at=starts_at, minutes=minutes)
    _mark_reminders_past(booking, now=now)
    _save_or_refuse(booking, coach=coach, member=member, minutes=minutes, now=now, new=True)
    notifications.tell_both(booking, event="booked", by=member)
    return booking


@transaction.atomic
def offer_session(
    coach: CoachProfile, *, member: User, starts_at: datetime, minutes: int, agenda: str
) -> Booking:
    """The coach books a follow-up for a member at one of their own open times. It is booked
    straight away, with the same emails and invitation; the member may decline it (at any time
    before it starts) or move it. The coach chose to give it, so the member's allowance and a
    pause do not stop it."""
    now = timezone.now()
    coach = _locked_coach(coach)
    member = User.objects.select_for_update().get(pk=member.pk)
    _check_not_booked_already(coach, member=member, starts_at=starts_at, minutes=minutes)
    if coach.user_id == member.pk or not member.is_member:
        raise ValidationError("Follow-ups can be offered to other members only.")
    if minutes not in coach.session_lengths:
        raise ValidationError(f"You do not offer {minutes}-minute sessions.")
    if not is_bookable(coach, starts_at, minutes=minutes, member=member, now=now):
        raise _refuse(coach, minutes=minutes, member=member, now=now)
    booking = Booking(coach=coach, member=member, agenda=agenda, offered_by=coach.user)
    _place(booking, coach, starts_at=starts_at, minutes=minutes)
    _mark_reminders_past(booking, now=now)
    _save_or_refuse(booking, coach=coach, member=member, minutes=minutes, now=now)
    notifications.tell_both(booking, event="offered", by=coach.user)
    return booking


def _overlapping(day: MentorshipDay, *, member: User, starts_at: datetime, ends_at: datetime):
    """Active bookings the slice would collide with: the coach's (their blocked time) and the
    member's own, which the exclusion constraints would refuse too."""
    coach_busy = Q(coach=day.coach, blocked_from__lt=ends_at, blocked_until__gt=starts_at)
    member_busy = Q(member=member, starts_at__lt=ends_at, ends_at__gt=starts_at)
    return Booking.objects.active().filter(coach_busy | member_busy)


@transaction.atomic
def book_day_session(
    day: MentorshipDay, *, member: User, starts_at: datetime, agenda: str
) -> Booking:
    """Book one of a mentorship day's sessions; its breaks keep it apart from the next, so it
    takes no buffers of its own. The coach's notice and the member's allowance still apply."""
    now = timezone.now()
    coach = _locked_coach(day.coach)
    # Read the day again under the coach's lock, which its edits and cancellation take too.
    day = MentorshipDay.objects.get(pk=day.pk)
    day.coach = coach
    if day.is_cancelled:
        raise ValidationError("This mentorship day has been cancelled.")
    # Turning bookings off closes the coach's days too; the sessions already booked stand.
    _check_taking_bookings(coach)
    member = User.objects.select_for_update().get(pk=member.pk)
    _check_not_booked_already(coach, member=member, starts_at=starts_at, day=day)
    if coach.user_id == member.pk:
        raise ValidationError("You cannot book a session with yourself.")
    check_not_paused(member)
    check_allowance(member, starts_at=starts_at, now=now)
    ends_at = dict(day.slices()).get(starts_at)
    if ends_at is None or starts_at < now + timedelta(hours=coach.notice_hours):
        raise ValidationError("Pick one of the day's sessions that is still ahead.")
    if _overlapping(day, member=member, starts_at=starts_at, ends_at=ends_at).exists():
        raise ValidationError("That session is no longer open, or you have another one then.")
    booking = Booking(
        coach=coach, member=member, agenda=agenda, mentorship_day=day, starts_at=starts_at
    )
    booking.ends_at = booking.blocked_until = ends_at
    booking.blocked_from = starts_at
    _mark_reminders_past(booking, now=now)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        raise ValidationError("That session was taken a moment ago. Pick another one.") from exc
    notifications.tell_both(booking, event="booked", by=member)
    return booking


def _lock_booking(booking: Booking) -> tuple[Booking, CoachProfile]:
    coach = _locked_coach(booking.coach)
    booking = Booking.objects.select_for_update().select_related("member").get(pk=booking.pk)
    booking.coach = coach
    return booking, coach


class Changes(NamedTuple):
    """What one side of a booking may do to it from its pages, and what the notice window has
    closed to them ("moved", "cancelled"), for the pages to explain instead of offering."""

    move: bool
    cancel: bool
    closed: tuple[str, ...] = ()


def changes_open_to(booking: Booking, user: User, *, now: datetime | None = None) -> Changes:
    """The moves and cancellations `_check_change` would let `user` make now (a coach still
    gives a reason); a session of a mentorship day is never moved."""
    now = now or timezone.now()
    if not booking.is_booked or booking.starts_at <= now:
        return Changes(False, False)
    movable = not booking.mentorship_day_id
    if user.pk == booking.coach.user_id:
        return Changes(movable, True)
    if user.pk != booking.member_id:
        return Changes(False, False)
    move = movable and booking.member_may("moved", now=now)
    cancel = booking.member_may("cancelled", now=now)
    closed = (("moved",) if movable and not move else ()) + (() if cancel else ("cancelled",))
    return Changes(move, cancel, closed)


def _check_change(booking: Booking, *, by: User, reason: str, now: datetime, what: str) -> None:
    """Who may cancel or move a booking, and when: members outside the notice window, coaches
    always but with a reason."""
    if booking.status == Booking.Status.CANCELLED:  # e.g. the cancel form sent twice
        raise ValidationError("This session has already been cancelled.")
    if not booking.is_booked or booking.starts_at <= now:
        raise ValidationError(f"Only an upcoming session can be {what}.")
    if by.pk == booking.coach.user_id:
        if not reason.strip():
            raise ValidationError(f"Say why the session is {what}: the member is told.")
    elif by.pk == booking.member_id:
        if not booking.member_may(what, now=now):
            raise ValidationError(
                f"Sessions can be {what} up to {settings.MENTORING_NOTICE_HOURS} hours before "
                "they start. Write to your coach if something has come up."
            )
    else:
        raise ValidationError("Only the coach or the member of a session can change it.")


@transaction.atomic
def reschedule_booking(
    booking: Booking, *, by: User, starts_at: datetime, reason: str = ""
) -> Booking:
    """Move a booking to another open time; it stays the same calendar event, one SEQUENCE on."""
    now = timezone.now()
    booking, coach = _lock_booking(booking)
    _check_change(booking, by=by, reason=reason, now=now, what="moved")
    if booking.mentorship_day_id:
        raise ValidationError(
            "A session of a mentorship day cannot be moved: cancel it and book another of the "
            "day's sessions."
        )
    if starts_at == booking.starts_at:
        # A move form sent twice, or the current time picked: nothing to tell anyone.
        raise ValidationError("The session is already at that time. Pick another one.")
    minutes, member = booking.minutes, booking.member
    check_month_of_move(booking, by=by, starts_at=starts_at)
    if not is_bookable(coach, starts_at, minutes=minutes, member=member, now=now, exclude=booking):
        raise _refuse(coach, minutes=minutes, member=member, now=now, exclude=booking)
    booking.rescheduled_from = booking.starts_at
    _place(booking, coach, starts_at=starts_at, minutes=minutes)
    _mark_reminders_past(booking, now=now)
    booking.sequence += 1
    booking.change_reason = reason.strip()
    _save_or_refuse(booking, coach=coach, member=member, minutes=minutes, now=now, exclude=booking)
    notifications.tell_both(booking, event="rescheduled", by=by)
    return booking


@transaction.atomic
def cancel_booking(booking: Booking, *, by: User, reason: str = "") -> Booking:
    now = timezone.now()
    booking, coach = _lock_booking(booking)
    _check_change(booking, by=by, reason=reason, now=now, what="cancelled")
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_by, booking.cancelled_at = by, now
    booking.change_reason = reason.strip()
    booking.sequence += 1
    booking.save()
    notifications.tell_both(booking, event="cancelled", by=by)
    return booking


OUTCOMES = {
    # status: who may record it
    Booking.Status.HELD: "coach",
    Booking.Status.MEMBER_NO_SHOW: "coach",
    Booking.Status.COACH_NO_SHOW: "member",
}


def _side(booking: Booking, user: User) -> str | None:
    if user.pk == booking.coach.user_id:
        return "coach"
    return "member" if user.pk == booking.member_id else None


def outcome_recorded_by_other(booking: Booking, user: User) -> bool:
    """Whether the other side has recorded how the session went. Their word then stands against
    `user`'s: a member cannot wipe a no-show the coach recorded by saying the coach did not come,
    nor a coach their own absence. A disagreement goes to the organizers."""
    recorded_by = OUTCOMES.get(booking.status)
    return recorded_by is not None and recorded_by != _side(booking, user)


@transaction.atomic
def record_outcome(booking: Booking, *, by: User, status: str) -> Booking:
    """After the start: the coach marks a session held or the member absent; the member may say the
    coach did not come. Whoever recorded an outcome may correct it; the other side may not."""
    booking, _ = _lock_booking(booking)
    if status not in OUTCOMES or OUTCOMES[status] != _side(booking, by):
        raise ValidationError("You cannot record that for this session.")
    if booking.status == Booking.Status.CANCELLED or booking.starts_at > timezone.now():
        raise ValidationError("An outcome can be recorded once the session has started.")
    if outcome_recorded_by_other(booking, by):
        raise ValidationError(
            f"{_recorder(booking)} has already recorded how this session went "
            f"({booking.get_status_display().lower()}). If that is not right, write to the "
            f"organizers at {settings.CONTACT_EMAIL}."
        )
    booking.status = status
    booking.save(update_fields=["status", "updated_at"])
    return booking


def _recorder(booking: Booking) -> str:
    return str(booking.coach) if OUTCOMES[booking.status] == "coach" else str(booking.member)
