"""The organizer or the circle's facilitator moves one meeting, or cancels the whole series, from
the circle's page; every member hears of it, and nobody else may do it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar

from circles.models import Meeting
from circles.services import scheduling
from community.models import Email
from tests.circles.circle_people import candidate_at, circle_with_members, user_of

pytestmark = pytest.mark.django_db
BEFORE = datetime(2027, 2, 1, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(BEFORE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def circle():
    """Four New Yorkers meeting every two weeks from Tuesday 2 March 2027, 18:00 in New York."""
    circle = circle_with_members(4, zone="America/New_York")
    first = candidate_at(circle, 2027, 3, 2, 23, 0)
    scheduling.pick_meeting_time(circle, candidate=first, by=None)
    circle.refresh_from_db()
    return circle


@pytest.fixture
def facilitating(client, circle):
    client.force_login(user_of(circle.facilitator))
    return client


def move_url(circle, number: int) -> str:
    return f"/circles/c/{circle.pk}/meetings/{number}/move/"


def test_the_circle_page_offers_its_facilitator_to_move_a_meeting_and_cancel_the_series(
    circle, facilitating
):
    page = facilitating.get(f"/circles/c/{circle.pk}/").content.decode()
    assert move_url(circle, 0) in page and move_url(circle, 1) in page
    assert f"/circles/c/{circle.pk}/cancel-series/" in page


def test_the_move_form_shows_the_meeting_in_the_facilitators_own_time(circle, facilitating):
    page = facilitating.get(move_url(circle, 1)).content.decode()
    assert "Tuesday 16 March 2027, 18:00" in page  # 22:00 UTC, New York on daylight time
    assert 'value="2027-03-16T18:00"' in page


def test_the_facilitator_moves_one_meeting_and_every_member_gets_the_new_time(circle, facilitating):
    response = facilitating.post(move_url(circle, 1), {"starts_at": "2027-03-17T19:30"})
    assert response.status_code == 302
    moved = circle.meetings.get(number=1)
    assert moved.starts_at == datetime(2027, 3, 17, 23, 30, tzinfo=UTC)  # 19:30 EDT
    assert moved.original_starts_at == datetime(2027, 3, 16, 22, 0, tzinfo=UTC)
    assert circle.meetings.get(number=2).starts_at == datetime(2027, 3, 30, 22, 0, tzinfo=UTC)
    emails = Email.objects.filter(key__startswith=f"circle-meeting-moved:{moved.pk}:1:")
    assert emails.count() == 4
    assert all("SEQUENCE:1" in email.attachment_text for email in emails)
    page = facilitating.get(f"/circles/c/{circle.pk}/").content.decode()
    assert "Wednesday 17 March 2027, 19:30" in page


def test_a_time_in_the_past_is_refused_and_nothing_changes(circle, facilitating):
    response = facilitating.post(move_url(circle, 1), {"starts_at": "2027-01-20T18:00"})
    assert response.status_code == 400
    assert "only move to a time in the future" in response.content.decode()
    circle.refresh_from_db()
    assert circle.ics_sequence == 0
    assert circle.meetings.get(number=1).starts_at == datetime(2027, 3, 16, 22, 0, tzinfo=UTC)
    assert not Email.objects.filter(key__startswith="circle-meeting-moved:").exists()


def test_a_held_meeting_cannot_move(circle, facilitating, clock):
    first = circle.meetings.get(number=0)
    clock.move_to(first.starts_at + timedelta(hours=2))
    facilitating.force_login(user_of(circle.facilitator))
    page = facilitating.get(move_url(circle, 0))
    response = facilitating.post(move_url(circle, 0), {"starts_at": "2027-03-20T18:00"})
    assert response.status_code == 400
    assert "has not started can change" in response.content.decode()
    first.refresh_from_db()
    assert first.starts_at == first.original_starts_at
    assert page.status_code == 200


def test_cancelling_the_series_asks_first_then_tells_every_member(circle, facilitating):
    confirmation = facilitating.get(f"/circles/c/{circle.pk}/cancel-series/").content.decode()
    assert "The 13 meetings still to come" in confirmation
    assert "Tuesday 2 March 2027, 18:00" in confirmation
    circle.refresh_from_db()
    assert circle.series_cancelled_at is None  # asking changed nothing

    facilitating.post(f"/circles/c/{circle.pk}/cancel-series/")
    circle.refresh_from_db()
    assert circle.series_cancelled_at == BEFORE
    assert set(circle.meetings.values_list("status", flat=True)) == {Meeting.Status.CANCELLED}
    cancelled = Email.objects.filter(key__startswith=f"circle-series-cancelled:{circle.pk}:")
    assert cancelled.count() == 4
    (event,) = Calendar.from_ical(cancelled.first().attachment_text).walk("VEVENT")
    assert (str(event["UID"]), str(event["STATUS"])) == (circle.ics_uid, "CANCELLED")
    page = facilitating.get(f"/circles/c/{circle.pk}/").content.decode()
    assert "meetings were cancelled." in page and "Move this meeting" not in page


def test_cancelling_twice_says_so_and_sends_nothing_more(circle, facilitating):
    facilitating.post(f"/circles/c/{circle.pk}/cancel-series/")
    response = facilitating.post(f"/circles/c/{circle.pk}/cancel-series/", follow=True)
    assert "already cancelled" in response.content.decode()
    assert Email.objects.filter(key__startswith="circle-series-cancelled:").count() == 4


def test_a_circle_without_meetings_has_no_series_to_cancel(client):
    circle = circle_with_members(3, slug="unscheduled")
    client.force_login(user_of(circle.facilitator))
    response = client.post(f"/circles/c/{circle.pk}/cancel-series/", follow=True)
    assert "no meetings yet" in response.content.decode()
    circle.refresh_from_db()
    assert circle.series_cancelled_at is None and circle.ics_sequence == 0


def test_a_member_who_does_not_facilitate_can_neither_move_nor_cancel(circle, client):
    client.force_login(user_of(circle.members.last()))
    assert client.get(move_url(circle, 1)).status_code == 403
    assert client.post(move_url(circle, 1), {"starts_at": "2027-03-17T19:30"}).status_code == 403
    assert client.post(f"/circles/c/{circle.pk}/cancel-series/").status_code == 403
    circle.refresh_from_db()
    assert circle.ics_sequence == 0 and circle.series_cancelled_at is None
    page = client.get(f"/circles/c/{circle.pk}/").content.decode()
    assert move_url(circle, 1) not in page and "cancel-series" not in page


def test_an_organizer_moves_a_meeting_of_a_circle_they_are_not_in(circle, client, organizer):
    client.force_login(organizer)
    client.post(move_url(circle, 3), {"starts_at": "2027-04-14T18:00"})  # their zone: UTC
    assert circle.meetings.get(number=3).starts_at == datetime(2027, 4, 14, 18, 0, tzinfo=UTC)
