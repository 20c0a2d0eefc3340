"""Telling both sides of a booking what happened, through the email outbox.

Each email's key names the booking, the event, the booking's SEQUENCE and the recipient, so a
retried service call or task never sends a second copy, while every change is told again.
"""

from django.conf import settings
from django.utils import timezone

from community.services.emails import Attachment, queue_email
from mentoring.calendar import booking_ics, ics_url, method_for
from mentoring.models import Booking

CHANGES = ("booked", "offered", "rescheduled", "cancelled")


def _sides(booking: Booking):
    yield "member", booking.member, booking.coach.user
    yield "coach", booking.coach.user, booking.member


def invitation(booking: Booking) -> Attachment:
    """The booking's calendar file, attached to every email about a change."""
    method = method_for(booking)
    return Attachment(
        name="session.ics",
        content_type=f"text/calendar; method={method}",
        text=booking_ics(booking, method=method).decode(),
    )


def _late(booking: Booking, side: str) -> bool:
    """Whether the member's notice window has begun, so their email does not offer to move or
    cancel the session (the coach may at any time)."""
    return side == "member" and not booking.member_may("moved", now=timezone.now())


def tell_both(booking: Booking, *, event: str, by=None) -> None:
    """Email both sides about `event` (one of CHANGES, "reminder" or "outcome"), each with the time
    in their own timezone and a link to the booking's invitation."""
    for side, recipient, other in _sides(booking):
        queue_email(
            to=recipient.email,
            template=f"mentoring_{event}",
            context={
                "booking": booking,
                "side": side,
                "recipient": recipient,
                "other": other,
                "by_them": by is not None and by.pk == other.pk,
                "tz": recipient.timezone or "UTC",
                "other_tz": other.timezone or "UTC",
                "ics_url": ics_url(booking, recipient),
                "method": method_for(booking),
                "notice_hours": settings.MENTORING_NOTICE_HOURS,
                "late": _late(booking, side),
            },
            key=f"mentoring:{booking.pk}:{event}:{booking.sequence}:{side}",
            user=recipient,
            about=[other],
            attachment=invitation(booking) if event in CHANGES else None,
        )


def remind_both(booking: Booking, *, hours: int) -> None:
    for side, recipient, other in _sides(booking):
        queue_email(
            to=recipient.email,
            template="mentoring_reminder",
            context={
                "booking": booking,
                "side": side,
                "recipient": recipient,
                "other": other,
                "hours": hours,
                "late": _late(booking, side),
                "other_tz": other.timezone or "UTC",
                "tz": recipient.timezone or "UTC",
                "ics_url": ics_url(booking, recipient),
            },
            key=f"mentoring:{booking.pk}:reminder-{hours}h:{booking.sequence}:{side}",
            user=recipient,
            about=[other],
        )


def tell_other_side_of_closed_account(booking: Booking, *, leaving) -> None:
    """The account of one side is being deleted: tell the other side their session is off. The
    email names nobody (`about` is empty), so erasing the account leaves this copy as it is."""
    side, recipient, _ = next(s for s in _sides(booking) if s[1].pk != leaving.pk)
    queue_email(
        to=recipient.email,
        template="mentoring_account_closed",
        context={
            "booking": booking,
            "side": side,
            "recipient": recipient,
            "tz": recipient.timezone or "UTC",
        },
        key=f"mentoring:{booking.pk}:account-closed:{side}",
        user=recipient,
    )
