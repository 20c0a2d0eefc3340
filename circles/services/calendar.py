"""A circle's calendar invitations, made with icalendar: one series per circle, per member.

The series recurs in the circle's reference timezone and carries that zone's VTIMEZONE, so a
calendar keeps the wall-clock time there across daylight saving. Its UID never changes and its
SEQUENCE grows with every change, so a calendar replaces what it had instead of adding a copy.
A cancelled meeting is a METHOD:CANCEL naming the occurrence by its original start
(RECURRENCE-ID). https://www.rfc-editor.org/rfc/rfc5546#section-3.2
"""

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from circles.models import Circle, Meeting
from community.services.emails import Attachment

PRODID = "-//Roundtable//Learning circles//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def _address(email: str, name: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = name
    return address


def _event(circle: Circle, start: datetime, *, attendee: str | None) -> Event:
    event = Event()
    event.add("uid", circle.ics_uid)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("sequence", circle.ics_sequence)
    event.add("summary", f"{circle.round.name}: {circle}")
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=circle.round.meeting_minutes))
    event.add("location", circle.place_name or "Video call")
    event.add("url", settings.SITE_URL + reverse("circles:circle_detail", args=[circle.pk]))
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    event.add("organizer", _address(email, name))
    if attendee:  # only the recipient: nobody's address is shown to the others
        event.add("attendee", _address(attendee))
    return event


def _zone(circle: Circle) -> ZoneInfo:
    return ZoneInfo(circle.timezone or "UTC")


def series_calendar(circle: Circle, *, attendee: str | None, method: str = REQUEST) -> str:
    """The whole series: the rule, the cancelled occurrences, and the moved ones."""
    zone, meetings = _zone(circle), list(circle.meetings.order_by("number"))
    calendar = _calendar(method)
    series = _event(circle, meetings[0].original_starts_at.astimezone(zone), attendee=attendee)
    interval = circle.round.meeting_every_weeks
    series.add("rrule", {"freq": "weekly", "interval": interval, "count": len(meetings)})
    cancelled = [m for m in meetings if m.status == Meeting.Status.CANCELLED]
    if cancelled:
        series.add("exdate", [m.original_starts_at.astimezone(zone) for m in cancelled])
    if circle.series_cancelled_at:
        series.add("status", "CANCELLED")
    calendar.add_component(series)
    for meeting in meetings:
        if meeting.status != Meeting.Status.CANCELLED and meeting.starts_at != (
            meeting.original_starts_at
        ):
            calendar.add_component(_occurrence(circle, meeting, attendee=attendee))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def _occurrence(circle: Circle, meeting: Meeting, *, attendee: str | None) -> Event:
    zone = _zone(circle)
    event = _event(circle, meeting.starts_at.astimezone(zone), attendee=attendee)
    event.add("recurrence-id", meeting.original_starts_at.astimezone(zone))
    return event


def cancellation_calendar(meeting: Meeting, *, attendee: str | None) -> str:
    """METHOD:CANCEL for one occurrence of the series."""
    calendar = _calendar(CANCEL)
    event = _occurrence(meeting.circle, meeting, attendee=attendee)
    event.add("status", "CANCELLED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def series_cancellation_calendar(circle: Circle, *, attendee: str | None) -> str:
    """METHOD:CANCEL for the whole series (no RECURRENCE-ID)."""
    return series_calendar(circle, attendee=attendee, method=CANCEL)


def attachment(text: str, method: str) -> Attachment:
    return Attachment(name="circle.ics", content_type=f"text/calendar; method={method}", text=text)
