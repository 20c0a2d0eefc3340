"""The circles admin after composition: meetings with who came, the vote, invitations; what the
product or the members decided is shown, not edited."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from circles.models import Attendance, CircleMember, Meeting
from circles.services import attendance, scheduling
from tests.circles.circle_people import candidate_at, circle_with_members

pytestmark = pytest.mark.django_db
BEFORE = datetime(2027, 2, 1, 9, tzinfo=UTC)


@pytest.fixture
def admin_client(client, organizer):
    client.force_login(organizer)
    return client


@pytest.fixture
def circle():
    with time_machine.travel(BEFORE, tick=False):
        circle = circle_with_members(3)
        early = candidate_at(circle, 2027, 3, 2, 18, 0)
        candidate_at(circle, 2027, 3, 2, 19, 0)
        first, second, third = circle.members.all()
        scheduling.record_votes(circle, member=first, can_attend={early.pk})
        scheduling.record_votes(circle, member=second, can_attend=set())
        scheduling.record_votes(circle, member=third, can_attend={early.pk})
        attendance.record_rsvp(circle.meetings.get(number=0), member=first, rsvp="yes")
    circle.refresh_from_db()
    return circle


def url(name: str, *args) -> str:
    return reverse(f"admin:circles_{name}", args=args)


def test_an_organizer_sees_a_meeting_with_each_members_answer(admin_client, circle):
    meeting = circle.meetings.get(number=0)
    listing = admin_client.get(url("meeting_changelist"))
    page = admin_client.get(url("meeting_change", meeting.pk)).content.decode()
    assert listing.status_code == 200 and "Circle 1 meeting 1" in listing.content.decode()
    assert "Person 000" in page and "Coming" in page
    assert 'name="note"' in page
    assert 'name="starts_at"' not in page and 'name="attendance-0-rsvp"' not in page


def test_the_admin_corrects_a_note_but_cannot_move_a_meeting_behind_the_members_backs(
    admin_client, circle
):
    meeting = circle.meetings.get(number=0)
    (answer,) = Attendance.objects.filter(meeting=meeting)
    later = meeting.starts_at + timedelta(days=1)
    admin_client.post(
        url("meeting_change", meeting.pk),
        {
            "note": "Hiring loops, without names.",
            "starts_at_0": f"{later:%Y-%m-%d}",
            "starts_at_1": f"{later:%H:%M:%S}",
            "status": Meeting.Status.CANCELLED,
            "attendance-TOTAL_FORMS": "1",
            "attendance-INITIAL_FORMS": "1",
            "attendance-MIN_NUM_FORMS": "0",
            "attendance-MAX_NUM_FORMS": "1000",
            "attendance-0-id": str(answer.pk),
            "attendance-0-meeting": str(meeting.pk),
            "attendance-0-rsvp": "no",
        },
    )
    meeting.refresh_from_db()
    answer.refresh_from_db()
    assert meeting.note == "Hiring loops, without names."
    assert (meeting.starts_at, meeting.status) == (meeting.original_starts_at, "planned")
    assert answer.rsvp == "yes"


def test_the_vote_is_shown_with_who_can_make_each_time(admin_client, circle):
    early = circle.candidates.order_by("starts_at").first()
    page = admin_client.get(url("meetingcandidate_change", early.pk)).content.decode()
    assert page.count("Person 00") >= 3
    assert 'name="starts_at' not in page and 'name="votes-0-can_attend"' not in page
    assert admin_client.get(url("meetingcandidate_add")).status_code == 403


def test_consent_and_answers_are_read_only_but_the_deadline_can_be_extended(admin_client, circle):
    member = circle.members.first()
    consented = member.consented_at
    page = admin_client.get(url("circlemember_change", member.pk)).content.decode()
    assert 'name="consented_at' not in page and 'name="status"' not in page
    admin_client.post(
        url("circlemember_change", member.pk),
        {
            "locked": "",
            "respond_by_0": "2027-03-10",
            "respond_by_1": "12:00:00",
            "consented_at_0": "",
            "status": CircleMember.Status.DECLINED,
        },
    )
    member.refresh_from_db()
    assert member.respond_by == datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    assert member.consented_at == consented and member.status == CircleMember.Status.ACCEPTED


def test_a_circles_series_is_shown_but_not_editable(admin_client, circle):
    page = admin_client.get(url("circle_change", circle.pk)).content.decode()
    assert "calendar sequence" in page.lower()
    for field in ("ics_sequence", "first_meeting_at_0", "series_cancelled_at_0", "timezone"):
        assert f'name="{field}"' not in page
    assert 'name="members-0-respond_by_0"' in page
