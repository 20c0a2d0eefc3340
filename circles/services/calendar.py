"""A circle's calendar invitations: one series per circle, per member.

The calendar itself (the rule in the circle's timezone with its VTIMEZONE, a stable UID, the
SEQUENCE, cancelled and moved occurrences) is built by `community.calendars`; this module says
what a circle's series is.
"""

from django.conf import settings
from django.urls import reverse

from circles.models import Circle, Meeting
from community import calendars
from community.calendars import CANCEL, PUBLISH, REQUEST  # noqa: F401  (this module's API)
from community.services.emails import Attachment

PRODID = "-//Roundtable//Learning circles//EN"


def _occurrence(meeting: Meeting) -> calendars.Occurrence:
    return calendars.Occurrence(
        original_starts_at=meeting.original_starts_at,
        starts_at=meeting.starts_at,
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


def circle_series(circle: Circle) -> calendars.Series:
    return calendars.Series(
        uid=circle.ics_uid,
        sequence=circle.ics_sequence,
        prodid=PRODID,
        summary=f"{circle.round.name}: {circle}",
        location=circle.place_name or "Video call",
        url=settings.SITE_URL + reverse("circles:circle_detail", args=[circle.pk]),
        timezone=circle.timezone,
        minutes=circle.round.meeting_minutes,
        every_weeks=circle.round.meeting_every_weeks,
        occurrences=[_occurrence(m) for m in circle.meetings.order_by("number")],
        cancelled=bool(circle.series_cancelled_at),
    )


def series_calendar(circle: Circle, *, attendee: str | None, method: str = REQUEST) -> str:
    """The whole series: the rule, the cancelled occurrences, and the moved ones."""
    return calendars.series_calendar(circle_series(circle), attendee=attendee, method=method)


def cancellation_calendar(meeting: Meeting, *, attendee: str | None) -> str:
    """METHOD:CANCEL for one occurrence of the series."""
    series = circle_series(meeting.circle)
    return calendars.occurrence_cancellation(series, _occurrence(meeting), attendee=attendee)


def series_cancellation_calendar(circle: Circle, *, attendee: str | None) -> str:
    """METHOD:CANCEL for the whole series (no RECURRENCE-ID)."""
    return calendars.series_cancellation(circle_series(circle), attendee=attendee)


def attachment(text: str, method: str) -> Attachment:
    return calendars.attachment(text, method, name="circle.ics")
