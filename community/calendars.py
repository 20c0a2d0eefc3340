"""Calendar invitations for a recurring series of meetings, made with icalendar.

Learning circles and mentoring groups both meet every N weeks at a wall-clock time in one
timezone. The series recurs in that zone and carries its VTIMEZONE, so a calendar keeps the
wall-clock time there across daylight saving. Its UID never changes and its SEQUENCE grows with
every change, so a calendar replaces what it had instead of adding a copy. A cancelled
occurrence is a METHOD:CANCEL naming it by its original start (RECURRENCE-ID); a moved one is
an override with that RECURRENCE-ID. https://www.rfc-editor.org/rfc/rfc5546#section-3.2
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from community.services.emails import Attachment

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a series: where the rule put it, where it is now, and whether it is off."""

    original_starts_at: datetime
    starts_at: datetime
    cancelled: bool = False

    @property
    def moved(self) -> bool:
        return not self.cancelled and self.starts_at != self.original_starts_at


@dataclass(frozen=True)
class Series:
    """What a calendar needs to know about a recurring series, whoever owns it."""

    uid: str
    sequence: int
    prodid: str
    summary: str
    location: str
    url: str
    timezone: str
    minutes: int
    every_weeks: int
    occurrences: list[Occurrence] = field(default_factory=list)
    cancelled: bool = False
    description: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone or "UTC")


def _calendar(series: Series, method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", series.prodid)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def _address(email: str, name: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = name
    return address


def _event(series: Series, start: datetime, *, attendee: str | None) -> Event:
    event = Event()
    event.add("uid", series.uid)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("sequence", series.sequence)
    event.add("summary", series.summary)
    event.add("dtstart", start.astimezone(series.zone))
    event.add("dtend", (start + timedelta(minutes=series.minutes)).astimezone(series.zone))
    event.add("location", series.location)
    event.add("url", series.url)
    if series.description:
        event.add("description", series.description)
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    event.add("organizer", _address(email, name))
    if attendee:  # only the recipient: nobody's address is shown to the others
        event.add("attendee", _address(attendee))
    return event


def _occurrence(series: Series, occurrence: Occurrence, *, attendee: str | None) -> Event:
    event = _event(series, occurrence.starts_at, attendee=attendee)
    event.add("recurrence-id", occurrence.original_starts_at.astimezone(series.zone))
    return event


def series_calendar(series: Series, *, attendee: str | None, method: str = REQUEST) -> str:
    """The whole series: the rule, the cancelled occurrences, and the moved ones."""
    calendar = _calendar(series, method)
    occurrences = series.occurrences
    event = _event(series, occurrences[0].original_starts_at, attendee=attendee)
    event.add(
        "rrule", {"freq": "weekly", "interval": series.every_weeks, "count": len(occurrences)}
    )
    cancelled = [o.original_starts_at.astimezone(series.zone) for o in occurrences if o.cancelled]
    if cancelled:
        event.add("exdate", cancelled)
    if series.cancelled:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    for occurrence in occurrences:
        if occurrence.moved:
            calendar.add_component(_occurrence(series, occurrence, attendee=attendee))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def occurrence_cancellation(series: Series, occurrence: Occurrence, *, attendee: str | None) -> str:
    """METHOD:CANCEL for one occurrence of the series."""
    calendar = _calendar(series, CANCEL)
    event = _occurrence(series, occurrence, attendee=attendee)
    event.add("status", "CANCELLED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def series_cancellation(series: Series, *, attendee: str | None) -> str:
    """METHOD:CANCEL for the whole series (no RECURRENCE-ID)."""
    return series_calendar(series, attendee=attendee, method=CANCEL)


def attachment(text: str, method: str, *, name: str = "invitation.ics") -> Attachment:
    return Attachment(name=name, content_type=f"text/calendar; method={method}", text=text)
