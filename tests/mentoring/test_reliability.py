"""Reliability: each side's own record, the organizers' page of everyone's, pausing a member (who is
told by email, as they are when the pause is lifted)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Email
from mentoring.models import Booking, BookingPause
from mentoring.services import bookings as service
from mentoring.services import reliability
from tests.mentoring.factories import NOW, make_booking, make_other_member

SLOT = datetime(2027, 3, 12, 9, 0, tzinfo=UTC)


pytestmark = pytest.mark.usefixtures("clock")


def past_session(profile, member, *, days_ago: int, status: str) -> Booking:
    return make_booking(profile, member, NOW - timedelta(days=days_ago), status=status)


def test_a_members_record_counts_held_late_cancellations_and_no_shows(profile, member, clock):
    past_session(profile, member, days_ago=9, status=Booking.Status.HELD)
    past_session(profile, member, days_ago=8, status=Booking.Status.MEMBER_NO_SHOW)
    past_session(profile, member, days_ago=7, status=Booking.Status.COACH_NO_SHOW)
    early = service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    service.cancel_booking(early, by=member)  # two days ahead: in time
    late = service.book_session(
        profile, member=member, starts_at=SLOT + timedelta(days=1), minutes=60, agenda="x"
    )
    clock.move_to(late.starts_at - timedelta(hours=2))
    service.cancel_booking(late, by=profile.user, reason="Ill")  # late, but the coach's
    assert reliability.record_for(member, side="member") == {
        "held": 1,
        "late_cancellations": 0,
        "no_shows": 1,
    }
    assert reliability.record_for(profile.user, side="coach") == {
        "held": 1,
        "late_cancellations": 1,
        "no_shows": 1,
    }


def test_each_person_sees_their_own_record_on_their_sessions_page(client_for, profile, member):
    past_session(profile, member, days_ago=8, status=Booking.Status.MEMBER_NO_SHOW)
    page = client_for(member).get("/coaching/sessions/").content.decode()
    assert "Your record as a member:" in page and "1 no-show." in page
    assert "Your record as a coach" not in page
    page = client_for(profile.user).get("/coaching/sessions/").content.decode()
    assert "Your record as a coach:" in page and "0 no-shows." in page


def test_the_organizers_page_lists_everyone_in_a_flat_number_of_queries(
    client_for, organizer, profile, member
):
    client = client_for(organizer)
    past_session(profile, member, days_ago=8, status=Booking.Status.MEMBER_NO_SHOW)
    past_session(profile, member, days_ago=7, status=Booking.Status.MEMBER_NO_SHOW)
    client.get("/organize/coaching/reliability/")
    with CaptureQueriesContext(connection) as few:
        page = client.get("/organize/coaching/reliability/").content.decode()
    assert "Maya Member" in page and 'class="flagged"' in page
    for n in range(6):
        other = make_other_member(f"m{n}@example.com")
        past_session(profile, other, days_ago=10 + n, status=Booking.Status.HELD)
        if n % 2:
            BookingPause.objects.create(member=other, paused_by=organizer)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/organize/coaching/reliability/").content.decode()
    assert page.count("<tr") == 1 + 7
    assert len(many) == len(few)
    coaches = client.get("/organize/coaching/reliability/?side=coach").content.decode()
    assert "Colin Coach" in coaches and "Maya Member" not in coaches


def test_a_paused_member_is_refused_a_booking_until_unpaused(
    client_for, organizer, profile, member
):
    client_for(organizer).post(
        f"/organize/coaching/members/{member.pk}/pause/", {"reason": "Three no-shows"}
    )
    with pytest.raises(ValidationError) as refusal:
        service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    assert "paused" in refusal.value.messages[0]
    response = client_for(member).post(
        f"/coaching/coaches/{profile.pk}/book/",
        {"starts_at": SLOT.isoformat(), "minutes": 60, "agenda": "Let me in"},
    )
    assert "Your coaching bookings are paused" in response.content.decode()
    client_for(organizer).post(f"/organize/coaching/members/{member.pk}/unpause/")
    assert service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")


def test_members_and_coaches_cannot_pause_anyone(client_for, profile, member):
    response = client_for(profile.user).post(f"/organize/coaching/members/{member.pk}/pause/")
    assert response.status_code == 403
    assert not BookingPause.objects.exists()


def pause_emails(member):
    return Email.objects.filter(to=member.email, key__startswith="mentoring:pause:").order_by("pk")


def test_a_paused_member_is_emailed_the_reason_and_what_it_means_once(
    client_for, organizer, member, settings
):
    settings.CONTACT_EMAIL = "organizers@roundtable.example.com"
    client = client_for(organizer)
    pause = f"/organize/coaching/members/{member.pk}/pause/"
    first = client.post(pause, {"reason": "Three no-shows"}, follow=True).content.decode()
    again = client.post(pause, {"reason": "Three no-shows"}, follow=True).content.decode()
    assert "can no longer book sessions. We have emailed them." in first
    assert "was paused already" in again and "We have emailed them" not in again
    email = pause_emails(member).get()
    assert email.subject == "Your coaching bookings are paused"
    assert email.user == member and not email.about.exists()
    assert "Reason: Three no-shows" in email.body_text
    assert "you cannot book a session with a coach" in email.body_text
    assert "The sessions you already hold stay booked" in email.body_text
    assert "organizers@roundtable.example.com" in email.body_text
    assert 'href="mailto:organizers@roundtable.example.com"' in email.body_html


def test_lifting_a_pause_emails_the_member_once(client_for, organizer, member):
    reliability.pause_member(member, by=organizer, reason="Two no-shows")
    client = client_for(organizer)
    client.post(f"/organize/coaching/members/{member.pk}/unpause/")
    response = client.post(f"/organize/coaching/members/{member.pk}/unpause/", follow=True)
    assert "Maya Member was not paused." in response.content.decode()
    assert [email.subject for email in pause_emails(member)] == [
        "Your coaching bookings are paused",
        "You can book coaching sessions again",
    ]
    assert "/coaching/" in pause_emails(member).last().body_text


def test_a_member_paused_again_after_a_lift_is_told_again(organizer, member):
    reliability.pause_member(member, by=organizer, reason="Two no-shows")
    reliability.unpause_member(member, by=organizer)
    reliability.pause_member(member, by=organizer, reason="Another no-show")
    reliability.pause_member(member, by=organizer, reason="Another no-show")
    bodies = [email.body_text for email in pause_emails(member)]
    assert len(bodies) == 3
    assert "Reason: Two no-shows" in bodies[0] and "Reason: Another no-show" in bodies[2]


def test_a_refused_pause_emails_nobody(organizer):
    with pytest.raises(ValidationError):
        reliability.pause_member(organizer, by=organizer)
    assert not BookingPause.objects.exists() and not pause_emails(organizer).exists()


def test_a_paused_member_keeps_their_sessions_and_may_still_move_them_or_take_an_offer(
    organizer, profile, member
):
    """What the email tells them: only new bookings are stopped."""
    held = service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    reliability.pause_member(member, by=organizer, reason="Two no-shows")
    held.refresh_from_db()
    assert held.status == Booking.Status.BOOKED
    moved = service.reschedule_booking(held, by=member, starts_at=SLOT + timedelta(hours=2))
    assert moved.starts_at == SLOT + timedelta(hours=2)
    offered = service.offer_session(
        profile, member=member, starts_at=SLOT + timedelta(days=1), minutes=60, agenda="Follow up"
    )
    assert offered.is_booked


def test_only_members_can_be_paused_and_nobody_else_is_emailed(client_for, organizer, applicant):
    response = client_for(organizer).post(
        f"/organize/coaching/members/{applicant.pk}/pause/", {"reason": "No-shows"}
    )
    assert response.status_code == 302
    assert not BookingPause.objects.exists() and not pause_emails(applicant).exists()


def test_a_pause_reason_too_long_is_refused_rather_than_dropped(client_for, organizer, member):
    client = client_for(organizer)
    response = client.post(f"/organize/coaching/members/{member.pk}/pause/", {"reason": "x" * 301})
    assert "at most 300 characters" in client.get(response.headers["Location"]).content.decode()
    assert not BookingPause.objects.exists() and not pause_emails(member).exists()
