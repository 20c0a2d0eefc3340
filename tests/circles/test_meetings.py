"""A circle's meetings: the vote on its time, the pick, RSVP (also by signed link), the emails
that reach every member when a meeting changes, the reminder, and who came."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError

from circles import tasks
from circles.models import Attendance, Circle, Meeting
from circles.services import attendance, meetings, scheduling
from circles.services.attendance import rsvp_token
from community.models import Email
from tests.circles.circle_people import candidate_at, circle_with_members, user_of

pytestmark = pytest.mark.django_db
BEFORE = datetime(2027, 2, 1, 9, tzinfo=UTC)  # a month before the round's first meeting


@pytest.fixture
def circle():
    with time_machine.travel(BEFORE, tick=False):
        yield circle_with_members(4)


def vote(circle, member, *candidates):
    scheduling.record_votes(circle, member=member, can_attend={c.pk for c in candidates})


def emails_of(template_key: str) -> list[Email]:
    return list(Email.objects.filter(key__startswith=template_key).order_by("to"))


def test_offering_times_draws_three_to_five_candidates_and_opens_the_vote(circle):
    with time_machine.travel(BEFORE, tick=False):
        candidates = scheduling.offer_candidate_times(circle)
    circle.refresh_from_db()
    assert 3 <= len(candidates) <= 5
    assert all(c.starts_at.weekday() == 1 and 18 <= c.starts_at.hour < 20 for c in candidates)
    assert circle.voting_closes_at == BEFORE + timedelta(days=4)
    assert circle.timezone == "Europe/London"  # every member's zone


def test_the_time_most_can_make_is_picked_once_every_member_has_voted(circle):
    early, late = candidate_at(circle, 2027, 3, 2, 18, 0), candidate_at(circle, 2027, 3, 2, 19, 0)
    first, second, third, fourth = circle.members.all()
    with time_machine.travel(BEFORE, tick=False):
        vote(circle, first, early, late)
        vote(circle, second, late)
        vote(circle, third, late)
        circle.refresh_from_db()
        assert circle.first_meeting_at is None  # one member has not voted yet
        vote(circle, fourth, early)
    circle.refresh_from_db()
    assert circle.first_meeting_at == late.starts_at
    assert circle.meetings.count() == 13  # every 2 weeks for six months
    assert len(emails_of(f"circle-series:{circle.pk}:0:")) == 4


def test_past_the_voting_deadline_the_beat_picks_the_best_time_with_the_votes_it_has(circle):
    with time_machine.travel(BEFORE, tick=False):
        candidates = scheduling.offer_candidate_times(circle)
        vote(circle, circle.members.first(), candidates[2])
        assert tasks.pick_meeting_times() == 0
    with time_machine.travel(BEFORE + timedelta(days=4, minutes=1), tick=False):
        assert tasks.pick_meeting_times() == 1
        assert tasks.pick_meeting_times() == 0
    circle.refresh_from_db()
    assert circle.first_meeting_at == candidates[2].starts_at


def test_the_facilitator_picks_a_time_and_a_second_pick_is_refused(circle, client):
    early, late = candidate_at(circle, 2027, 3, 2, 18, 0), candidate_at(circle, 2027, 3, 2, 19, 0)
    client.force_login(user_of(circle.facilitator))
    with time_machine.travel(BEFORE, tick=False):
        client.post(f"/circles/c/{circle.pk}/pick/", {"candidate": early.pk})
        client.post(f"/circles/c/{circle.pk}/pick/", {"candidate": late.pk})
    circle.refresh_from_db()
    assert circle.first_meeting_at == early.starts_at
    assert circle.meetings.count() == 13


def test_a_member_who_is_not_the_facilitator_cannot_pick_the_time(circle, client):
    early = candidate_at(circle, 2027, 3, 2, 18, 0)
    client.force_login(user_of(circle.members.last()))
    response = client.post(f"/circles/c/{circle.pk}/pick/", {"candidate": early.pk})
    assert response.status_code == 403
    circle.refresh_from_db()
    assert circle.first_meeting_at is None


def test_a_member_of_another_circle_cannot_see_or_vote_on_this_one(circle, client, member):
    early = candidate_at(circle, 2027, 3, 2, 18, 0)
    client.force_login(member)
    assert client.get(f"/circles/c/{circle.pk}/").status_code == 404
    assert client.post(f"/circles/c/{circle.pk}/vote/", {"can_attend": early.pk}).status_code == 404
    assert not early.votes.exists()


def picked(circle):
    with time_machine.travel(BEFORE, tick=False):
        scheduling.pick_meeting_time(
            circle, candidate=candidate_at(circle, 2027, 3, 2, 18, 0), by=None
        )
    circle.refresh_from_db()
    return circle


def test_a_signed_link_records_the_answer_it_names_for_its_member(circle, client):
    circle = picked(circle)
    meeting, member = circle.meetings.get(number=0), circle.members.last()
    token = rsvp_token(meeting, member, "no")
    with time_machine.travel(BEFORE, tick=False):
        page = client.get(f"/circles/rsvp/{token}/")
        assert not Attendance.objects.exists()  # following a link records nothing by itself
        client.post(f"/circles/rsvp/{token}/")
    assert page.status_code == 200
    assert Attendance.objects.get(meeting=meeting, member=member).rsvp == "no"


def test_a_tampered_rsvp_link_changes_nothing_and_says_why(circle, client):
    circle = picked(circle)
    meeting, member = circle.meetings.get(number=0), circle.members.last()
    token = rsvp_token(meeting, member, "no")
    other = rsvp_token(meeting, circle.members.first(), "yes")
    forged = token.split(":")[0] + ":" + other.split(":", 1)[1]  # one's data, another's signature
    answer = signing.b64_encode(json.dumps([meeting.pk, member.pk, "yes"]).encode()).decode()
    changed = answer + ":" + token.split(":", 1)[1]  # the answer changed, the signature kept
    with time_machine.travel(BEFORE, tick=False):
        for bad in (forged, token[:-2], changed):
            response = client.post(f"/circles/rsvp/{bad}/")
            assert response.status_code == 400
            assert b"not valid" in response.content
    assert not Attendance.objects.exists()


def test_an_rsvp_link_no_longer_answers_once_the_meeting_has_started(circle, client):
    circle = picked(circle)
    meeting, member = circle.meetings.get(number=0), circle.members.last()
    with time_machine.travel(meeting.starts_at + timedelta(minutes=5), tick=False):
        response = client.post(f"/circles/rsvp/{rsvp_token(meeting, member, 'yes')}/")
    assert b"has started" in response.content
    assert not Attendance.objects.exists()


def test_a_member_answers_on_the_page_and_changes_their_mind(circle, client):
    circle = picked(circle)
    member = circle.members.last()
    client.force_login(user_of(member))
    with time_machine.travel(BEFORE, tick=False):
        client.post(f"/circles/c/{circle.pk}/rsvp/", {"rsvp": "yes"})
        client.post(f"/circles/c/{circle.pk}/rsvp/", {"rsvp": "no"})
    assert list(Attendance.objects.values_list("member", "rsvp")) == [(member.pk, "no")]


def test_the_reminder_goes_once_per_member_a_day_before_with_links_bound_to_each(circle, client):
    circle = picked(circle)
    meeting = circle.meetings.get(number=0)
    with time_machine.travel(meeting.starts_at - timedelta(hours=30), tick=False):
        assert tasks.send_meeting_reminders() == 0
    with time_machine.travel(meeting.starts_at - timedelta(hours=23), tick=False):
        assert tasks.send_meeting_reminders() == 1
        assert tasks.send_meeting_reminders() == 0
        assert meetings.send_meeting_reminder(meeting.pk) is False
        reminders = emails_of(f"circle-meeting-reminder:{meeting.pk}:")
        assert len(reminders) == 4
        link = reminders[0].body_text.split("Can't come? ")[1].split()[0]
        client.post(link.removeprefix("http://127.0.0.1:8000"))
    recipient = circle.members.get(signup__user__email=reminders[0].to)
    assert Attendance.objects.get(meeting=meeting).member == recipient


def test_a_moved_meeting_reaches_every_member_with_a_new_sequence(circle):
    circle = picked(circle)
    meeting = circle.meetings.get(number=1)
    with time_machine.travel(BEFORE, tick=False):
        meetings.move_meeting(meeting, starts_at=meeting.starts_at + timedelta(days=1), by=None)
    circle.refresh_from_db()
    moved = emails_of(f"circle-meeting-moved:{meeting.pk}:1:")
    assert circle.ics_sequence == 1
    assert sorted(e.to for e in moved) == sorted(
        circle.members.values_list("signup__user__email", flat=True)
    )
    assert all("SEQUENCE:1" in e.attachment_text for e in moved)
    assert "Wednesday 17 March 2027 at 18:00" in moved[0].body_text  # London, still GMT


def test_a_cancelled_meeting_reaches_every_member_and_is_not_the_next_one(circle, client):
    circle = picked(circle)
    first = circle.meetings.get(number=0)
    client.force_login(user_of(circle.facilitator))
    with time_machine.travel(BEFORE, tick=False):
        client.post(f"/circles/c/{circle.pk}/meetings/0/cancel/")
        assert attendance.next_meeting(circle).number == 1
    first.refresh_from_db()
    cancelled = emails_of(f"circle-meeting-cancelled:{first.pk}:")
    assert first.status == Meeting.Status.CANCELLED
    assert len(cancelled) == 4
    assert all("METHOD:CANCEL" in e.attachment_text for e in cancelled)


def test_cancelling_the_series_cancels_every_meeting_to_come_and_tells_everyone(circle):
    circle = picked(circle)
    with time_machine.travel(BEFORE, tick=False):
        meetings.cancel_series(circle, by=None)
        with pytest.raises(ValidationError):
            meetings.cancel_series(circle, by=None)
    assert not circle.meetings.filter(status=Meeting.Status.PLANNED).exists()
    assert len(emails_of(f"circle-series-cancelled:{circle.pk}:")) == 4


def test_the_facilitator_records_who_came_and_the_meeting_is_held(circle, client):
    circle = picked(circle)
    first = circle.meetings.get(number=0)
    came = list(circle.members.values_list("pk", flat=True)[:3])
    with time_machine.travel(first.starts_at + timedelta(hours=2), tick=False):
        client.force_login(user_of(circle.facilitator))
        client.post(f"/circles/c/{circle.pk}/meetings/0/attendance/", {"present": came})
        client.post(f"/circles/c/{circle.pk}/meetings/0/note/", {"note": "Hiring loops."})
    first.refresh_from_db()
    assert first.status == Meeting.Status.HELD and first.attendance_taken_at
    assert first.note == "Hiring loops."
    attended = dict(first.attendance.values_list("member", "attended"))
    assert attended == {pk: pk in came for pk in circle.members.values_list("pk", flat=True)}


def test_who_came_cannot_be_recorded_before_the_meeting(circle):
    circle = picked(circle)
    with time_machine.travel(BEFORE, tick=False), pytest.raises(ValidationError):
        attendance.record_attendance(circle.meetings.get(number=0), present=set(), by=None)


def test_a_members_votes_and_answers_are_in_their_export_and_gone_when_they_leave(circle):
    from community import privacy

    circle = picked(circle)
    member = circle.members.last()
    with time_machine.travel(BEFORE, tick=False):
        attendance.record_rsvp(circle.meetings.get(number=0), member=member, rsvp="yes")
    export = privacy.export_user(user_of(member))["circles"]
    (place,) = export["sign_ups"][0]["circles"]
    assert [answer["rsvp"] for answer in place["meetings"]] == ["yes"]
    privacy.erase_user(user_of(member))
    assert not Attendance.objects.exists()


def test_the_circle_page_shows_initials_for_members_who_have_not_consented(client):
    with time_machine.travel(BEFORE, tick=False):
        circle = circle_with_members(3, consented=False)
        viewer, other, _ = circle.members.all()
        client.force_login(user_of(viewer))
        page = client.get(f"/circles/c/{circle.pk}/").content.decode()
    assert viewer.signup.name in page  # their own name
    assert other.signup.name not in page and "<strong>P0</strong>" in page


def test_ending_a_circle_cancels_its_meetings_in_every_members_calendar(organizer):
    from circles.services import circle_changes

    circle = circle_with_members(3)
    circle.status = Circle.Status.ACTIVE
    circle.save(update_fields=["status"])
    with time_machine.travel(datetime(2027, 2, 20, 12, tzinfo=UTC), tick=False):
        scheduling.pick_meeting_time(
            circle, candidate=candidate_at(circle, 2027, 3, 2, 18, 0), by=None
        )
        circle_changes.end_circle(circle, reason="Everyone moved on.", by=organizer)

    cancelled = emails_of(f"circle-series-cancelled:{circle.pk}:")
    assert len(cancelled) == 3
    assert all("METHOD:CANCEL" in e.attachment_text for e in cancelled)
    assert not circle.meetings.filter(status=Meeting.Status.PLANNED).exists()
