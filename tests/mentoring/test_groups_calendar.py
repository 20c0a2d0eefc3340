"""A mentoring group's calendar, parsed back with icalendar: one stable UID, the rule in the
coach's timezone with its VTIMEZONE, a SEQUENCE that grows, and METHOD:CANCEL."""

from datetime import UTC, datetime

import pytest
import time_machine
from dateutil.rrule import rrulestr
from icalendar import Calendar

from community.models import Email
from mentoring.services import group_calendar, group_sessions, groups
from tests.mentoring.groups_people import join, open_test_group

pytestmark = pytest.mark.django_db
BEFORE = datetime(2027, 2, 1, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _before_the_first_session():
    with time_machine.travel(BEFORE, tick=False):
        yield


def invitations(to: str, prefix: str = "mentoring-group-series:") -> list[Email]:
    return list(Email.objects.filter(to=to, key__startswith=prefix).order_by("pk"))


def the_event(email: Email, *, recurrence: bool = False):
    calendar = Calendar.from_ical(email.attachment_text)
    events = [e for e in calendar.walk("VEVENT") if ("RECURRENCE-ID" in e) == recurrence]
    assert len(events) == 1
    return calendar, events[0]


def test_the_series_recurs_in_the_coachs_timezone_at_the_same_wall_clock_time(coach, member):
    group = open_test_group(coach, zone="America/New_York", sessions=6, every_weeks=2)
    join(group, member)
    calendar, event = the_event(invitations(member.email)[0])
    assert calendar["METHOD"] == "REQUEST"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [2] and rule["COUNT"] == [6]
    starts = list(rrulestr(rule.to_ical().decode(), dtstart=event.decoded("DTSTART")))
    # 12:00 in New York (17:00 UTC in winter), still 12:00 after the clocks go forward on 14 March.
    assert {start.strftime("%H:%M") for start in starts} == {"12:00"}
    assert starts[0].astimezone(UTC).hour == 17 and starts[1].astimezone(UTC).hour == 16
    assert str(event["ATTENDEE"]) == f"mailto:{member.email}"


def test_everyone_gets_the_same_uid_and_it_names_the_group(coach, member):
    group = open_test_group(coach)
    join(group, member)
    uids = {str(the_event(email)[1]["UID"]) for email in invitations(member.email)}
    uids |= {str(the_event(email)[1]["UID"]) for email in invitations(coach.email)}
    assert uids == {group.ics_uid}


def test_cancelling_a_session_sends_a_cancel_for_that_occurrence_with_a_higher_sequence(
    coach, member
):
    group = open_test_group(coach)
    join(group, member)
    session = group.sessions.get(number=1)
    group_sessions.cancel_session(session, by=coach)

    (email,) = invitations(member.email, "mentoring-group-session-cancelled:")
    assert email.attachment_type == "text/calendar; method=CANCEL"
    calendar, event = the_event(email, recurrence=True)
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert event.decoded("RECURRENCE-ID").astimezone(UTC) == session.original_starts_at
    assert event["SEQUENCE"] == 1 and str(event["UID"]) == group.ics_uid
    # The series itself now leaves that date out.
    group.refresh_from_db()
    series = Calendar.from_ical(group_calendar.published_calendar(group, attendee=None))
    (main,) = series.walk("VEVENT")
    assert main["SEQUENCE"] == 1
    assert main.decoded("EXDATE").dts[0].dt.astimezone(UTC) == session.original_starts_at


def test_ending_the_group_cancels_the_whole_series(coach, member):
    group = open_test_group(coach)
    join(group, member)
    groups.end_group(group, by=coach)
    (email,) = invitations(member.email, "mentoring-group-series-cancelled:")
    calendar, event = the_event(email)
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1 and "RRULE" in event


def test_the_page_link_gives_a_published_copy_for_the_member(client_for, coach, member):
    group = open_test_group(coach)
    join(group, member)
    response = client_for(member).get(f"/coaching/groups/{group.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == group.ics_uid


def test_an_accepted_member_gets_no_calendar_before_consenting(client_for, coach, member):
    group = open_test_group(coach)
    join(group, member, consent=False)
    assert client_for(member).get(f"/coaching/groups/{group.pk}/calendar.ics").status_code == 404


def test_someone_who_joins_later_is_told_of_their_first_session_not_the_groups(coach, member):
    group = open_test_group(coach)  # every two weeks from 2 March 2027, 18:00 in Berlin
    member.timezone = "Europe/Berlin"
    member.save(update_fields=["timezone"])
    with time_machine.travel(datetime(2027, 3, 20, 9, tzinfo=UTC), tick=False):
        join(group, member)
    (email,) = invitations(member.email)
    assert "starting on Tuesday 30 March 2027 at 18:00 (Europe/Berlin)" in email.body_text
    assert email.subject.endswith("from 30 March")
