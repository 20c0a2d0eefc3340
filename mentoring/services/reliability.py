"""Reliability: sessions held, late cancellations and no-shows, for each side and for organizers;
and pausing a member who keeps missing sessions from booking more."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet

from community.models import User
from community.services.emails import queue_email
from mentoring.models import Booking, BookingPause

REPEATED_NO_SHOWS = 2  # from this many, the organizers' page flags a member
SIDES = {
    # side: (the relation from a user to their bookings, the no-show that is theirs)
    "member": ("mentoring_bookings", Booking.Status.MEMBER_NO_SHOW),
    "coach": ("coach_profile__bookings", Booking.Status.COACH_NO_SHOW),
}


def _counts(side: str, *, prefix: str, person) -> dict:
    """Count() expressions of a side's record; `prefix` leads from the counted rows to bookings
    and `person` is the person's pk (a value, or F("pk") when annotating users)."""
    _, no_show = SIDES[side]
    late = Q(
        **{
            f"{prefix}status": Booking.Status.CANCELLED,
            f"{prefix}cancelled_by": person,
            f"{prefix}cancelled_at__gt": F(f"{prefix}starts_at")
            - timedelta(hours=settings.MENTORING_NOTICE_HOURS),
        }
    )
    if side == "member":  # declining a follow-up the coach offered is not a late cancellation
        late &= Q(**{f"{prefix}offered_by__isnull": True})
    return {
        "held": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": Booking.Status.HELD})),
        "late_cancellations": Count(f"{prefix}pk", filter=late),
        "no_shows": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": no_show})),
    }


def record_for(user: User, *, side: str) -> dict:
    """One person's own record on one side: {"held": .., "late_cancellations": .., "no_shows": ..}."""
    mine = Q(member=user) if side == "member" else Q(coach__user=user)
    return Booking.objects.filter(mine).aggregate(**_counts(side, prefix="", person=user.pk))


def records(side: str, *, flagged_only: bool = False) -> QuerySet:
    """Everyone with sessions on `side`, each annotated with their record, most no-shows first."""
    relation, _ = SIDES[side]
    people = User.objects.annotate(
        sessions=Count(f"{relation}__pk"), **_counts(side, prefix=f"{relation}__", person=F("pk"))
    ).filter(sessions__gt=0)
    if side == "member":
        people = people.select_related("mentoring_pause")
    if flagged_only:
        people = people.filter(no_shows__gte=REPEATED_NO_SHOWS)
    return people.order_by("-no_shows", "-late_cancellations", "first_name", "last_name", "pk")


def _tell_member(pause: BookingPause, *, event: str) -> None:
    """Email the member that their bookings are paused, or that the pause is lifted. The key
    names the pause and the event, so each is sent once however often the action is repeated."""
    member = pause.member
    queue_email(
        to=member.email,
        template=f"mentoring_bookings_{event}",
        context={
            "recipient": member,
            "reason": pause.reason,
            "contact_email": settings.CONTACT_EMAIL,
        },
        key=f"mentoring:pause:{pause.pk}:{event}",
        user=member,
    )


@transaction.atomic
def pause_member(member: User, *, by: User, reason: str = "") -> tuple[BookingPause, bool]:
    """Stop a member from booking sessions (those they hold stay booked), and tell them; the pause
    and whether it is new. Pausing a paused member again only updates the reason."""
    if member.pk == by.pk:
        raise ValidationError("You cannot pause your own bookings.")
    member = User.objects.select_for_update().get(pk=member.pk)  # one pause decided at a time
    if not member.is_member:
        raise ValidationError(f"{member} is not a member: there are no bookings to pause.")
    pause, created = BookingPause.objects.update_or_create(
        member=member, defaults={"paused_by": by, "reason": reason.strip()}
    )
    if created:
        _tell_member(pause, event="paused")
    return pause, created


@transaction.atomic
def unpause_member(member: User, *, by: User) -> bool:
    """Let a paused member book again, and tell them; False if they were not paused."""
    member = User.objects.select_for_update().get(pk=member.pk)
    pause = BookingPause.objects.filter(member=member).select_related("member").first()
    if pause is None:
        return False
    _tell_member(pause, event="resumed")
    pause.delete()
    return True
