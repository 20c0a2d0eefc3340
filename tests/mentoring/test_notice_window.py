"""The members' notice window on a session's pages: once it has begun the member is told why they
can no longer move or cancel, instead of being offered controls that can only be refused; the
coach keeps both."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from community.models import Email
from mentoring.models import Booking, MentorshipDay
from mentoring.services import bookings as service
from mentoring.services.reminders import send_due_reminders
from tests.mentoring.reading import page_text

SLOT = datetime(2027, 3, 12, 9, 0, tzinfo=UTC)  # Friday 10:00 in Berlin
INSIDE = SLOT - timedelta(hours=23)  # the window is 24 hours
EXPLANATION = "The session starts in less than 24 hours, so it can no longer be"


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def booking(profile, member):
    return service.book_session(
        profile, member=member, starts_at=SLOT, minutes=60, agenda="Hiring my first manager"
    )


def offers_move(page: str, booking) -> bool:
    return f'href="/coaching/sessions/{booking.pk}/move/"' in page


def offers_cancel(page: str, booking) -> bool:
    return f'action="/coaching/sessions/{booking.pk}/cancel/"' in page


def test_outside_the_window_the_member_may_move_or_cancel_from_the_session_page(
    client_for, member, booking
):
    page = client_for(member).get(f"/coaching/sessions/{booking.pk}/").content.decode()
    assert offers_move(page, booking) and offers_cancel(page, booking)
    assert EXPLANATION not in page


def test_inside_the_window_the_member_is_told_why_instead_of_offered_move_and_cancel(
    client_for, member, booking, clock, settings
):
    settings.CONTACT_EMAIL = "organizers@roundtable.example.com"
    clock.move_to(INSIDE)
    response = client_for(member).get(f"/coaching/sessions/{booking.pk}/")
    page = response.content.decode()
    assert not offers_move(page, booking) and not offers_cancel(page, booking)
    assert (
        f"{EXPLANATION} moved or cancelled here. Write to Colin Coach if something has come up"
        in page_text(response)
    )
    assert 'href="mailto:organizers@roundtable.example.com"' in page


def test_the_move_link_inside_the_window_shows_the_explanation_instead_of_times(
    client_for, member, booking, clock
):
    clock.move_to(INSIDE)
    response = client_for(member).get(f"/coaching/sessions/{booking.pk}/move/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="starts_at"' not in page and "Move to this time" not in page
    assert f"{EXPLANATION} moved or cancelled here." in page_text(response)


def test_a_crafted_move_or_cancel_by_the_member_inside_the_window_is_still_refused(
    client_for, member, booking, clock
):
    clock.move_to(INSIDE)
    client = client_for(member)
    later = (SLOT + timedelta(days=1)).isoformat()
    moved = client.post(f"/coaching/sessions/{booking.pk}/move/", {"starts_at": later})
    assert moved.status_code == 400
    assert "up to 24 hours before they start" in moved.content.decode()
    cancelled = client.post(f"/coaching/sessions/{booking.pk}/cancel/", {"reason": ""}, follow=True)
    assert "up to 24 hours before they start" in cancelled.content.decode()
    booking.refresh_from_db()
    assert (booking.status, booking.starts_at, booking.sequence) == (Booking.Status.BOOKED, SLOT, 0)


def test_the_coach_keeps_both_actions_inside_the_window(client_for, profile, booking, clock):
    clock.move_to(SLOT - timedelta(hours=1))
    client = client_for(profile.user)
    page = client.get(f"/coaching/sessions/{booking.pk}/").content.decode()
    assert offers_move(page, booking) and offers_cancel(page, booking)
    assert EXPLANATION not in page
    move_page = client.get(f"/coaching/sessions/{booking.pk}/move/").content.decode()
    assert 'name="starts_at"' in move_page and EXPLANATION not in move_page


def test_a_follow_up_inside_the_window_can_still_be_declined_but_not_moved(
    client_for, profile, member, clock
):
    offer = service.offer_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    clock.move_to(INSIDE)
    response = client_for(member).get(f"/coaching/sessions/{offer.pk}/")
    page = response.content.decode()
    assert offers_cancel(page, offer) and "Decline the follow-up" in page
    assert not offers_move(page, offer)
    assert f"{EXPLANATION} moved here." in page_text(response)
    assert "move or decline it" not in page and "decline it" in page


def test_a_mentorship_day_session_inside_the_window_can_no_longer_be_cancelled_here(
    client_for, profile, member, clock
):
    day = MentorshipDay.objects.create(
        coach=profile,
        timezone=profile.timezone,
        day=date(2027, 3, 12),
        starts_at=time(10),
        ends_at=time(12),
        session_minutes=60,
    )
    session = service.book_day_session(day, member=member, starts_at=SLOT, agenda="Scaling")
    clock.move_to(INSIDE)
    response = client_for(member).get(f"/coaching/sessions/{session.pk}/")
    assert not offers_cancel(response.content.decode(), session)
    assert f"{EXPLANATION} cancelled here." in page_text(response)


def test_the_reminders_inside_the_window_do_not_invite_the_member_to_move_or_cancel(
    member, profile, booking, clock
):
    clock.move_to(INSIDE)
    send_due_reminders()
    to_member = Email.objects.get(to=member.email, key__contains="reminder")
    to_coach = Email.objects.get(to=profile.user.email, key__contains="reminder")
    assert "move or cancel" not in to_member.body_text + to_member.body_html
    assert f"/coaching/sessions/{booking.pk}/" in to_member.body_text
    assert "to move or cancel it" in to_coach.body_text
