"""The circle's calendar invitations, parsed back with icalendar: a stable UID, a SEQUENCE that
grows, the rule and its VTIMEZONE, and the same wall-clock time across a daylight-saving change."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.rrule import rrulestr
from icalendar import Calendar

from circles.models import Meeting
from circles.services import calendar, meetings, scheduling
from community.models import Email
from tests.circles.circle_people import candidate_at, circle_with_members, user_of

pytestmark = pytest.mark.django_db
BEFORE = datetime(2027, 2, 1, 9, tzinfo=UTC)


def start_series(zone: str, *parts: int):
    """A circle in `zone` whose first meeting is at `parts` (UTC), picked by its facilitator."""
    with time_machine.travel(BEFORE, tick=False):
        circle = circle_with_members(3, zone=zone, slug=zone.split("/")[1].lower())
        scheduling.pick_meeting_time(circle, candidate=candidate_at(circle, *parts), by=None)
    circle.refresh_from_db()
    return circle


def parsed(text: str) -> Calendar:
    return Calendar.from_ical(text)


def series_event(text: str):
    events = [e for e in parsed(text).walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert len(events) == 1
    return events[0]


def occurrences(event) -> list[datetime]:
    start = event.decoded("DTSTART")
    return list(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))


@pytest.mark.parametrize(
    "zone, first_utc, changes_on",
    [
        # 18:00 in London is 18:00 UTC in winter; the clocks go forward on 28 March 2027.
        ("Europe/London", (2027, 3, 2, 18, 0), datetime(2027, 3, 28, tzinfo=UTC)),
        # 18:00 in New York is 23:00 UTC in winter; the clocks go forward on 14 March 2027.
        ("America/New_York", (2027, 3, 2, 23, 0), datetime(2027, 3, 14, tzinfo=UTC)),
    ],
)
def test_the_series_keeps_its_wall_clock_time_across_daylight_saving(zone, first_utc, changes_on):
    circle = start_series(zone, *first_utc)
    invitation = Email.objects.filter(key__startswith=f"circle-series:{circle.pk}:").first()
    assert invitation.attachment_type == "text/calendar; method=REQUEST"
    ics = parsed(invitation.attachment_text)
    event = series_event(invitation.attachment_text)

    assert [str(tz["TZID"]) for tz in ics.walk("VTIMEZONE")] == [zone]
    assert event["DTSTART"].params["TZID"] == zone
    rule = event["RRULE"]
    assert (rule["FREQ"], rule["INTERVAL"], rule["COUNT"]) == (["WEEKLY"], [2], [13])
    starts = occurrences(event)
    assert {(when.astimezone(ZoneInfo(zone)).hour, when.minute) for when in starts} == {(18, 0)}
    before = [w for w in starts if w < changes_on]
    after = [w for w in starts if w > changes_on]
    assert before and after
    offset = {w.astimezone(UTC).hour for w in after} - {w.astimezone(UTC).hour for w in before}
    assert len(offset) == 1  # the UTC hour moved by one: the local one did not
    rows = list(circle.meetings.order_by("number").values_list("starts_at", flat=True))
    assert [w.astimezone(UTC) for w in starts] == rows


def test_the_uid_stays_and_the_sequence_grows_with_every_change():
    circle = start_series("Europe/London", 2027, 3, 2, 18, 0)
    member = circle.members.first()
    first = series_event(calendar.series_calendar(circle, attendee="a@example.com"))
    second, third = circle.meetings.get(number=1), circle.meetings.get(number=2)
    with time_machine.travel(BEFORE, tick=False):
        meetings.move_meeting(second, starts_at=second.starts_at + timedelta(hours=1), by=None)
        meetings.cancel_meeting(third, by=None)
    circle.refresh_from_db()
    text = calendar.series_calendar(circle, attendee=user_of(member).email)
    events = list(parsed(text).walk("VEVENT"))
    again = series_event(text)

    assert str(first["UID"]) == str(again["UID"]) == circle.ics_uid
    assert (first["SEQUENCE"], again["SEQUENCE"]) == (0, 2)
    assert [d.dt for d in again["EXDATE"].dts] == [
        third.original_starts_at.astimezone(ZoneInfo("Europe/London"))
    ]
    (moved,) = [e for e in events if "RECURRENCE-ID" in e]
    assert moved.decoded("RECURRENCE-ID") == second.original_starts_at
    assert moved.decoded("DTSTART") == second.original_starts_at + timedelta(hours=1)
    assert str(again["ATTENDEE"]) == f"mailto:{user_of(member).email}"  # nobody else's


def test_a_cancelled_meeting_is_a_cancel_naming_its_original_start():
    circle = start_series("America/New_York", 2027, 3, 2, 23, 0)
    meeting = circle.meetings.get(number=3)
    with time_machine.travel(BEFORE, tick=False):
        meetings.cancel_meeting(meeting, by=None)
    email = Email.objects.get(
        key__startswith=f"circle-meeting-cancelled:{meeting.pk}:",
        to=(user_of(circle.members.first()).email),
    )
    ics = parsed(email.attachment_text)
    (event,) = ics.walk("VEVENT")
    assert str(ics["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == circle.ics_uid and event["SEQUENCE"] == 1
    assert event.decoded("RECURRENCE-ID") == meeting.original_starts_at
    assert [str(tz["TZID"]) for tz in ics.walk("VTIMEZONE")] == ["America/New_York"]


def test_cancelling_the_series_sends_a_cancel_of_the_whole_series():
    circle = start_series("Europe/London", 2027, 3, 2, 18, 0)
    with time_machine.travel(BEFORE, tick=False):
        meetings.cancel_series(circle, by=None)
    email = Email.objects.filter(key__startswith=f"circle-series-cancelled:{circle.pk}:").first()
    ics = parsed(email.attachment_text)
    event = series_event(email.attachment_text)
    assert str(ics["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1 and "RRULE" in event
    assert not circle.meetings.filter(status=Meeting.Status.PLANNED).exists()


def test_a_member_downloads_the_series_from_the_circle_page(client):
    circle = start_series("Europe/London", 2027, 3, 2, 18, 0)
    client.force_login(user_of(circle.members.first()))
    response = client.get(f"/circles/c/{circle.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    event = series_event(response.content.decode())
    assert str(event["UID"]) == circle.ics_uid
