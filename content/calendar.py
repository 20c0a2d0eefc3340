"""Calendar invitations for webinar registrations, made with icalendar (RFC 5545 and iTIP).

One registration is one event for its whole life: its UID never changes and its SEQUENCE grows
with every invitation sent for it (a new time, a place that opened, a cancellation), so a
calendar moves the event it has instead of adding another, and METHOD:CANCEL removes it.
Times are written in the recipient's timezone, with its VTIMEZONE.
https://icalendar.readthedocs.io/ and https://www.rfc-editor.org/rfc/rfc5546#section-3.2
"""

from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from community.services.emails import Attachment
from content.models import Registration

REQUEST, CANCEL = "REQUEST", "CANCEL"
PRODID = f"-//{settings.SITE_NAME}//Webinars//EN"


def zone_of(user) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _address(email: str, name: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = name
    return address


def registration_event(registration: Registration, *, method: str) -> Event:
    webinar, user = registration.webinar, registration.user
    zone = zone_of(user)
    page = settings.SITE_URL + webinar.get_absolute_url()
    event = Event()
    event.add("uid", registration.ics_uid())
    event.add("sequence", registration.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", webinar.starts_at.astimezone(zone))
    event.add("dtend", webinar.compute_ends_at().astimezone(zone))
    event.add("summary", f"{settings.SITE_NAME} webinar: {webinar.title}")
    event.add("description", f"{webinar.summary}\n\n{page}")
    event.add("url", page)
    event.add("location", webinar.join_url or page)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    event.add("organizer", _address(email, name))
    event.add("attendee", _address(user.email, str(user)))  # only the recipient
    return event


def registration_ics(registration: Registration, *, method: str) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(registration_event(registration, method=method))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def invitation(registration: Registration, *, method: str = REQUEST) -> Attachment:
    """The ICS file an email carries: REQUEST to add or move the event, CANCEL to remove it."""
    return Attachment(
        name="webinar.ics",
        content_type=f"text/calendar; method={method}",
        text=registration_ics(registration, method=method),
    )
