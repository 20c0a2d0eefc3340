"""The emails of webinars: one outbox row per person and event, keyed so it is never sent twice."""

from datetime import datetime

from community.services.emails import queue_email
from content.calendar import CANCEL, REQUEST, invitation, zone_of
from content.models import Registration, WebinarMessage


def _context(registration: Registration, **extra) -> dict:
    return {
        "recipient": registration.user,
        "webinar": registration.webinar,
        "registration": registration,
        "tz": zone_of(registration.user).key,
        **extra,
    }


def _send(registration: Registration, template: str, key: str, *, method: str | None, **extra):
    attachment = invitation(registration, method=method) if method else None
    return queue_email(
        to=registration.user.email,
        template=template,
        context=_context(registration, **extra),
        key=f"{key}:{registration.pk}:{registration.sequence}",
        user=registration.user,
        attachment=attachment,
    )


def send_confirmation(registration: Registration) -> None:
    """Registered (with the invitation and join link), or waiting for a place."""
    if registration.is_registered:
        _send(registration, "webinar_registered", "webinar-registered", method=REQUEST)
    else:
        _send(registration, "webinar_waitlisted", "webinar-waitlisted", method=None)


def send_promotion(registration: Registration) -> None:
    _send(registration, "webinar_promoted", "webinar-promoted", method=REQUEST)


def send_update(registration: Registration) -> None:
    _send(registration, "webinar_updated", "webinar-updated", method=REQUEST)


def send_waitlist_moved(registration: Registration) -> None:
    _send(registration, "webinar_waitlist_moved", "webinar-waiting-moved", method=None)


def send_registration_cancelled(registration: Registration, *, was_registered: bool) -> None:
    """A place given up (with the calendar's cancellation), or the waitlist left (nothing to
    remove from a calendar: the waiting get no invitation)."""
    method = CANCEL if was_registered else None
    _send(
        registration,
        "webinar_registration_cancelled",
        "webinar-left",
        method=method,
        was_registered=was_registered,
    )


def send_webinar_cancelled(registration: Registration, *, was_registered: bool) -> None:
    method = CANCEL if was_registered else None
    _send(registration, "webinar_cancelled", "webinar-cancelled", method=method)


def send_reminder(registration: Registration, *, hours: int, now: datetime) -> None:
    """The day's reminder says "Today" or "Tomorrow" as the recipient's calendar has it: someone
    who registers the same morning hears of it on the day itself."""
    zone = zone_of(registration.user)
    today = registration.webinar.starts_at.astimezone(zone).date() == now.astimezone(zone).date()
    key = f"webinar-reminder-{hours}h"
    _send(registration, "webinar_reminder", key, method=None, hours=hours, today=today)


def send_message(message: WebinarMessage, registration: Registration) -> None:
    queue_email(
        to=registration.user.email,
        template="webinar_message",
        context=_context(registration, message=message),
        key=f"webinar-message:{message.pk}:{registration.pk}",
        user=registration.user,
    )
