"""Mentoring groups flagged to organizers: under three members once the first session is near,
or two sessions missed; the organizers' list and the weekly digest say why."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Email
from mentoring.services import group_sessions
from mentoring.services.group_health import flagged_groups, send_groups_digest
from tests.mentoring.groups_people import FIRST, join, members, open_test_group

pytestmark = pytest.mark.django_db
BEFORE = datetime(2027, 2, 1, 9, tzinfo=UTC)


def a_group(coach, *, joined: int = 3, **fields):
    with time_machine.travel(BEFORE, tick=False):
        group = open_test_group(coach, **fields)
        for user in members(joined):
            join(group, user)
    return group


def reasons(now) -> dict[str, list[str]]:
    return {flag.group.topic: flag.reasons for flag in flagged_groups(now=now)}


def test_a_new_group_gathering_members_is_not_flagged_yet(coach):
    a_group(coach, joined=1)
    assert reasons(BEFORE) == {}


def test_a_group_under_three_members_is_flagged_once_its_first_session_is_near(coach):
    group = a_group(coach, joined=2)
    assert reasons(FIRST - timedelta(days=3)) == {group.topic: ["Only 2 members."]}


def test_a_group_with_three_members_that_holds_its_sessions_is_not_flagged(coach):
    group = a_group(coach, joined=3)
    for session in group.sessions.filter(starts_at__lt=FIRST + timedelta(weeks=5)):
        with time_machine.travel(session.starts_at + timedelta(hours=1), tick=False):
            group_sessions.record_attendance(session, present=set(), by=coach)
    assert reasons(FIRST + timedelta(weeks=5)) == {}


def test_one_missed_session_is_not_a_flag_but_two_are(coach):
    group = a_group(coach, joined=4)
    # Sessions every two weeks from FIRST; none recorded.
    after_one = FIRST + timedelta(days=3)
    after_two = FIRST + timedelta(weeks=2, days=3)
    assert reasons(after_one) == {}
    assert reasons(after_two) == {group.topic: ["Missed 2 sessions: nobody recorded who came."]}


def test_a_cancelled_session_is_not_missed_and_an_ended_group_is_not_flagged(coach):
    group = a_group(coach, joined=1)
    with time_machine.travel(BEFORE, tick=False):
        from mentoring.services import groups

        groups.end_group(group, by=coach)
    assert reasons(FIRST + timedelta(weeks=8)) == {}


def test_the_organizers_list_says_why_in_a_constant_number_of_queries(client_for, coach, organizer):
    a_group(coach, joined=1, topic="Small one")
    now = FIRST + timedelta(days=1)
    with time_machine.travel(now, tick=False):
        client = client_for(organizer)
        client.get("/organize/mentoring-groups/")  # warm up the session and permissions
        with CaptureQueriesContext(connection) as few:
            response = client.get("/organize/mentoring-groups/")
        assert "Small one" in response.content.decode()
        assert "Only 1 member." in response.content.decode()
        a_group(coach, joined=0, topic="Empty one")
        with CaptureQueriesContext(connection) as more:
            response = client.get("/organize/mentoring-groups/")
    assert "Empty one" in response.content.decode()
    assert len(more) == len(few)


def test_the_weekly_digest_goes_to_each_organizer_once(coach, organizer):
    a_group(coach, joined=2, topic="Two people")
    now = FIRST + timedelta(days=1)
    assert send_groups_digest(now=now) == 1
    assert send_groups_digest(now=now + timedelta(hours=3)) == 1
    (digest,) = Email.objects.filter(key__startswith="mentoring-groups-digest:")
    assert digest.to == organizer.email
    assert "Two people" in digest.body_text and "Only 2 members." in digest.body_text


def test_no_digest_when_no_group_is_flagged(coach, organizer):
    a_group(coach, joined=3)
    assert send_groups_digest(now=BEFORE) == 0
    assert not Email.objects.filter(key__startswith="mentoring-groups-digest:").exists()


def test_the_coach_records_each_missed_session_from_the_page_and_the_flag_clears(client_for, coach):
    group = a_group(coach, joined=3)
    (first_member, *_) = group_sessions.joined_members(group)
    later = FIRST + timedelta(weeks=4, days=3)  # three sessions passed, none recorded
    assert reasons(later) == {group.topic: ["Missed 3 sessions: nobody recorded who came."]}
    with time_machine.travel(later, tick=False):
        client = client_for(coach)
        html = client.get(f"/coaching/groups/{group.pk}/").content.decode()
        assert "Earlier sessions without a record of who came" in html
        assert "Tuesday 2 March" in html and "Tuesday 16 March" in html
        for number in (0, 1):
            response = client.post(
                f"/coaching/groups/{group.pk}/sessions/{number}/attendance/",
                {"present": [first_member.pk]},
            )
            assert response.status_code == 302
        html = client.get(f"/coaching/groups/{group.pk}/").content.decode()
        assert "Earlier sessions without a record of who came" not in html
    assert reasons(later) == {}
    assert group.sessions.get(number=1).attendance.get(membership=first_member).attended
