"""Calendar invitations for bookings, made with icalendar (RFC 5545 and its iTIP methods).

One booking is one event for its whole life: the UID never changes, SEQUENCE grows on every change,
so a calendar moves the event it already has instead of adding a second one, and METHOD:CANCEL
removes it. Times are written in the coach's timezone (the zone their availability is in; for a
mentorship day's session, the zone the day was planned in) with its VTIMEZONE, so each side's
calendar shows them in its own zone, right across daylight saving.
https://icalendar.readthedocs.io/ and https://www.rfc-editor.org/rfc/rfc5546#section-3.2
"""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from mentoring.models import Booking

REQUEST, CANCEL = "REQUEST", "CANCEL"
ICS_SALT = "mentoring.booking-ics"


def booking_uid(booking: Booking) -> str:
    return f"booking-{booking.pk}@{urlsplit(settings.SITE_URL).hostname or 'roundtable'}"


def method_for(booking: Booking) -> str:
    return CANCEL if booking.status == Booking.Status.CANCELLED else REQUEST


def _person(user) -> tuple[str, dict]:
    return f"mailto:{user.email}", {"CN": str(user)}


def _zone_of(booking: Booking) -> ZoneInfo:
    """The zone the session's time was set in: its mentorship day's, else the coach's."""
    day = booking.mentorship_day if booking.mentorship_day_id else None
    return ZoneInfo(day.timezone if day else booking.coach.timezone)


def booking_event(booking: Booking, *, method: str) -> Event:
    zone = _zone_of(booking)
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.starts_at.astimezone(zone))
    event.add("dtend", booking.ends_at.astimezone(zone))
    event.add("summary", f"{settings.SITE_NAME}: {booking.member} with {booking.coach}")
    event.add("description", f"{booking.agenda}\n\n{settings.SITE_URL}{booking.get_absolute_url()}")
    event.add("url", f"{settings.SITE_URL}{booking.get_absolute_url()}")
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    address, parameters = _person(booking.coach.user)
    event.add("organizer", address, parameters=parameters)
    address, parameters = _person(booking.member)
    event.add("attendee", address, parameters={**parameters, "ROLE": "REQ-PARTICIPANT"})
    return event


def booking_ics(booking: Booking, *, method: str) -> bytes:
    """The booking as an iCalendar file: METHOD:REQUEST to add or move it, CANCEL to remove it."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Mentoring//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(booking_event(booking, method=method))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def ics_token(booking: Booking, user) -> str:
    return signing.dumps({"booking": booking.pk, "user": user.pk}, salt=ICS_SALT, compress=True)


def ics_url(booking: Booking, user) -> str:
    """A link to the booking's current invitation that works without signing in (for the emails
    and calendar apps): signed for one person and one booking."""
    return settings.SITE_URL + reverse("mentoring:booking_ics", args=[ics_token(booking, user)])


def booking_for_token(token: str) -> Booking | None:
    try:
        data = signing.loads(token, salt=ICS_SALT)
    except signing.BadSignature:
        return None
    booking = Booking.objects.select_related("coach__user", "member").filter(pk=data["booking"])
    booking = booking.first()
    if booking is None or data["user"] not in {booking.member_id, booking.coach.user_id}:
        return None
    return booking
