"""A mentoring group's page and sessions: the next session in the viewer's timezone, RSVP, the
shared note, the coach's record of who came, and who may see any of it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mentoring.models import GroupSession, SessionAttendance
from mentoring.services import group_sessions
from tests.mentoring.groups_people import FIRST, join, members, open_test_group

pytestmark = pytest.mark.django_db
BEFORE = datetime(2027, 2, 1, 9, tzinfo=UTC)
AFTER_FIRST = FIRST + timedelta(hours=2)


@pytest.fixture
def group(coach):
    with time_machine.travel(BEFORE, tick=False):
        return open_test_group(coach)


@pytest.fixture
def joined(group, member):
    with time_machine.travel(BEFORE, tick=False):
        return join(group, member)


def page(client, group):
    return client.get(f"/coaching/groups/{group.pk}/")


@time_machine.travel(BEFORE, tick=False)
def test_a_member_answers_for_the_next_session_and_may_change_their_mind(group, joined):
    session = group_sessions.next_session(group)
    group_sessions.record_rsvp(session, membership=joined, rsvp="yes")
    group_sessions.record_rsvp(session, membership=joined, rsvp="no")
    assert SessionAttendance.objects.get(session=session, membership=joined).rsvp == "no"


@time_machine.travel(BEFORE, tick=False)
def test_an_accepted_member_who_has_not_consented_cannot_answer(group, member):
    membership = join(group, member, consent=False)
    with pytest.raises(ValidationError, match="members"):
        group_sessions.record_rsvp(group.sessions.first(), membership=membership, rsvp="yes")


@time_machine.travel(AFTER_FIRST, tick=False)
def test_no_answer_is_taken_for_a_session_that_has_started(group, joined):
    with pytest.raises(ValidationError, match="started"):
        group_sessions.record_rsvp(group.sessions.get(number=0), membership=joined, rsvp="yes")


@time_machine.travel(AFTER_FIRST, tick=False)
def test_members_and_the_coach_share_one_note_per_session(group, joined, coach, member):
    session = group.sessions.get(number=0)
    group_sessions.save_session_note(session, note="Everyone brought a reorg plan.", by=member)
    group_sessions.save_session_note(session, note="Plans, and a follow-up for Maya.", by=coach)
    session.refresh_from_db()
    assert session.note == "Plans, and a follow-up for Maya." and session.note_updated_by == coach
    (outsider,) = members(1)
    with pytest.raises(ValidationError, match="coach and members"):
        group_sessions.save_session_note(session, note="Hi", by=outsider)


@time_machine.travel(AFTER_FIRST, tick=False)
def test_the_coach_records_who_came_and_the_session_is_held(group, joined, coach, member):
    (absent,) = members(1)
    with time_machine.travel(BEFORE, tick=False):
        other = join(group, absent)
    session = group.sessions.get(number=0)
    with pytest.raises(ValidationError, match="coach"):
        group_sessions.record_attendance(session, present={joined.pk}, by=member)
    group_sessions.record_attendance(session, present={joined.pk}, by=coach)
    session.refresh_from_db()
    assert session.status == GroupSession.Status.HELD and session.attendance_taken_at
    came = dict(session.attendance.values_list("membership_id", "attended"))
    assert came == {joined.pk: True, other.pk: False}


@time_machine.travel(BEFORE, tick=False)
def test_attendance_waits_for_the_session_to_start(group, joined, coach):
    with pytest.raises(ValidationError, match="started"):
        group_sessions.record_attendance(group.sessions.first(), present=set(), by=coach)


@time_machine.travel(BEFORE, tick=False)
def test_the_page_shows_the_next_session_in_the_viewers_timezone(client_for, group, joined, member):
    member.timezone = "Asia/Tokyo"
    member.save(update_fields=["timezone"])
    response = page(client_for(member), group)
    # 17:00 UTC on 2 March is 02:00 on 3 March in Tokyo.
    assert "Wednesday 3 March 2027, 02:00" in response.content.decode()
    assert "Asia/Tokyo" in response.content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_the_page_lists_members_who_consented_only(client_for, group, joined, coach):
    (waiting,) = members(1)
    join(group, waiting, consent=False)
    html = page(client_for(coach), group).content.decode()
    assert str(joined.user) in html
    assert "1 accepted member still to confirm" in html
    waiting_html = page(client_for(waiting), group).content.decode()
    assert "Confirm you are joining" in waiting_html and str(joined.user) not in waiting_html


@time_machine.travel(BEFORE, tick=False)
def test_rsvp_through_the_page(client_for, group, joined, member):
    client = client_for(member)
    response = client.post(f"/coaching/groups/{group.pk}/rsvp/", {"rsvp": "yes"}, follow=True)
    assert "You said you are coming." in response.content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_another_member_gets_a_404_and_someone_who_asked_is_not_let_in(client_for, group):
    (stranger, asking) = members(2)
    from mentoring.services import groups

    groups.request_to_join(group, member=asking, note="Please")
    assert page(client_for(stranger), group).status_code == 404
    assert page(client_for(asking), group).status_code == 404


@time_machine.travel(BEFORE, tick=False)
def test_the_coach_accepts_from_the_page(client_for, group, coach):
    from mentoring.services import groups

    (asking,) = members(1)
    request = groups.request_to_join(group, member=asking, note="I run three teams.")
    html = page(client_for(coach), group).content.decode()
    assert "I run three teams." in html
    client_for(coach).post(f"/coaching/groups/{group.pk}/requests/{request.pk}/accept/")
    request.refresh_from_db()
    assert request.is_accepted


# The new-group form as a coach fills it in: eight fortnightly sessions from 2 March 2027.
GROUP_FORM = {
    "topic": "First-time VPs",
    "description": "For new VPs of Engineering.",
    "format": "video",
    "place": "",
    "first_session_at": "2027-03-02T18:00",
    "every_weeks": "2",
    "session_minutes": "60",
    "sessions": "8",
    "capacity": "6",
}


def test_a_coach_opens_a_group_from_the_form_in_their_own_timezone(client_for, coach):
    from tests.mentoring.factories import make_coach_profile

    make_coach_profile(coach, timezone="Europe/Berlin")
    with time_machine.travel(BEFORE, tick=False):
        response = client_for(coach).post("/coaching/groups/new/", GROUP_FORM)
    group = coach.coach_profile.groups.get()
    assert response.status_code == 302 and response["Location"] == f"/coaching/groups/{group.pk}/"
    assert group.first_session_at == datetime(2027, 3, 2, 17, tzinfo=UTC)
    assert group.sessions.count() == 8


def test_the_group_list_shows_open_and_own_groups_in_a_constant_number_of_queries(
    client_for, coach, member
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(BEFORE, tick=False):
        mine = open_test_group(coach, topic="Mine")
        join(mine, member, consent=False)
        open_test_group(coach, topic="Open one")
        client = client_for(member)
        client.get("/coaching/groups/")
        with CaptureQueriesContext(connection) as few:
            html = client.get("/coaching/groups/").content.decode()
        assert "Open one" in html and "confirm you are joining" in html
        open_test_group(coach, topic="Another open one")
        with CaptureQueriesContext(connection) as more:
            html = client.get("/coaching/groups/").content.decode()
    assert "Another open one" in html
    # The group the member is in is not offered to join again.
    assert html.count("Mine") == 1
    assert len(more) == len(few)


@time_machine.travel(BEFORE, tick=False)
def test_the_coach_ends_the_group_and_a_member_leaves_from_the_pages(client_for, coach, member):
    group = open_test_group(coach)
    join(group, member)
    response = client_for(member).post(f"/coaching/groups/{group.pk}/leave/", follow=True)
    assert f"You have left {group}." in response.content.decode()
    assert page(client_for(member), group).status_code == 404
    response = client_for(coach).post(f"/coaching/groups/{group.pk}/end/", follow=True)
    assert "The group has ended" in response.content.decode()
    group.refresh_from_db()
    assert group.ended_at is not None


@pytest.mark.parametrize(
    ("first", "error"),
    [
        ("9999-12-31T23:30", "Plan the first session at most a year ahead."),
        ("2027-01-31T09:00", "The first session has to be in the future."),
    ],
)
def test_the_form_refuses_a_first_session_in_the_past_or_years_ahead_next_to_the_field(
    client_for, coach, first, error
):
    with time_machine.travel(BEFORE, tick=False):
        response = client_for(coach).post(
            "/coaching/groups/new/", {**GROUP_FORM, "first_session_at": first}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["first_session_at"] == [error]
    assert not coach.coach_profile.groups.exists()


@time_machine.travel(BEFORE, tick=False)
def test_an_ended_groups_page_offers_no_consent_requests_or_leaving(client_for, group, coach):
    from mentoring.services import groups

    accepted, asking = members(2)
    join(group, accepted, consent=False)
    groups.request_to_join(group, member=asking, note="Please")
    groups.end_group(group, by=coach)
    html = page(client_for(accepted), group).content.decode()
    assert "This group ended on" in html
    assert "Confirm you are joining" not in html and "Leave the group" not in html
    coach_html = page(client_for(coach), group).content.decode()
    assert "Requests to join" not in coach_html and "End the group" not in coach_html


@time_machine.travel(BEFORE, tick=False)
def test_an_answer_that_is_neither_yes_nor_no_is_refused_for_what_it_is(client_for, group, joined):
    client = client_for(joined.user)
    response = client.post(f"/coaching/groups/{group.pk}/rsvp/", {"rsvp": "maybe"}, follow=True)
    html = response.content.decode()
    assert "Answer yes or no." in html and "There is no session" not in html
    assert not SessionAttendance.objects.filter(membership=joined).exists()


@time_machine.travel(BEFORE, tick=False)
def test_a_full_group_is_listed_as_full_and_offers_no_request_form(client_for, coach):
    full = open_test_group(coach, topic="Two leaders only", capacity=2)
    for peer in members(2):
        join(full, peer)
    (outsider,) = members(1, start=5)
    client = client_for(outsider)
    listing = client.get("/coaching/groups/").content.decode()
    assert "Two leaders only" in listing and "Full: every place is taken." in listing
    join_page = client.get(f"/coaching/groups/{full.pk}/join/").content.decode()
    assert "Full: every place is taken." in join_page and "Ask to join" not in join_page


@time_machine.travel(BEFORE, tick=False)
def test_withdrawing_a_request_says_so_rather_than_that_they_left(client_for, group):
    from mentoring.services import groups

    (asking,) = members(1)
    groups.request_to_join(group, member=asking, note="Please")
    client = client_for(asking)
    html = client.post(f"/coaching/groups/{group.pk}/leave/", follow=True).content.decode()
    assert f"Your request to join {group} is withdrawn." in html
    assert "You have left" not in html


@time_machine.travel(BEFORE, tick=False)
def test_a_decline_whose_reason_cannot_be_kept_is_refused_not_sent_without_it(
    client_for, group, coach
):
    from community.models import Email
    from mentoring.services import groups

    (asking,) = members(1)
    request = groups.request_to_join(group, member=asking, note="Please")
    client = client_for(coach)
    url = f"/coaching/groups/{group.pk}/requests/{request.pk}/decline/"
    html = client.post(url, {"reason": "x" * 1001}, follow=True).content.decode()
    assert "at most 1000 characters" in html
    request.refresh_from_db()
    assert request.status == request.Status.REQUESTED
    assert not Email.objects.filter(key__startswith="mentoring-group-declined:").exists()


@time_machine.travel(BEFORE, tick=False)
def test_someone_who_said_yes_and_then_left_is_no_longer_counted_as_coming(
    client_for, group, joined, coach
):
    from mentoring.services import groups

    (leaving,) = members(1)
    gone = join(group, leaving)
    session = group_sessions.next_session(group)
    group_sessions.record_rsvp(session, membership=joined, rsvp="yes")
    group_sessions.record_rsvp(session, membership=gone, rsvp="yes")
    groups.leave_group(gone, by=leaving)
    html = page(client_for(coach), group).content.decode()
    assert "1 coming, 0 not coming." in html


@time_machine.travel(BEFORE, tick=False)
def test_the_page_says_how_far_the_series_runs_past_the_sessions_it_lists(
    client_for, coach, member
):
    six = open_test_group(coach)  # every two weeks from 2 March: the page lists five of six
    join(six, member)
    text = page(client_for(member), six).content.decode()
    assert "And more, until" in text and "Tuesday 11 May 2027</time>" in text
    five = open_test_group(coach, topic="Five sessions", sessions=5)
    join(five, member)
    assert "And more, until" not in page(client_for(member), five).content.decode()
