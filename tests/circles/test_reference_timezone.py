"""Where a circle's series recurs: an in-person circle keeps the wall-clock time of its meeting
place, whatever zones its members' accounts are in; a video circle that of most of its members."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from circles import domain
from circles.models import Circle
from circles.services import scheduling
from tests.circles.circle_people import circle_with_members

pytestmark = pytest.mark.django_db
BEFORE = datetime(2027, 2, 1, 9, tzinfo=UTC)
BERLIN_CAFE = domain.Place(
    name="Café am Neuen See", latitude=52.5103, longitude=13.3474, city="Berlin", country_code="DE"
)


def in_person(circle: Circle, place: domain.Place | None = BERLIN_CAFE) -> Circle:
    circle.format = Circle.Format.IN_PERSON
    circle.set_place(place)
    circle.save()
    return circle


def test_an_in_person_circle_recurs_in_the_zone_of_its_meeting_place():
    circle = in_person(circle_with_members(3, zone="America/New_York"))
    assert scheduling.reference_timezone(circle) == "Europe/Berlin"


def test_a_video_circle_recurs_in_its_members_commonest_zone():
    circle = circle_with_members(3, zone="America/New_York")
    assert scheduling.reference_timezone(circle) == "America/New_York"


def test_an_in_person_circle_without_a_known_place_falls_back_to_its_members_zone():
    circle = in_person(circle_with_members(3, zone="America/New_York"), place=None)
    assert scheduling.reference_timezone(circle) == "America/New_York"


def test_the_series_of_an_in_person_circle_follows_the_places_clock_not_the_members():
    """New York moves its clocks on 14 March 2027, Berlin on 28 March: the meeting stays at
    19:00 in Berlin, so its UTC time changes on the 28th and not on the 14th."""
    with time_machine.travel(BEFORE, tick=False):
        circle = in_person(circle_with_members(3, zone="America/New_York"))
        first = scheduling.offer_candidate_times(circle)[0]  # Tuesday 2 March, 18:00 UTC
        scheduling.pick_meeting_time(circle, candidate=first, by=None)
    circle.refresh_from_db()
    assert circle.timezone == "Europe/Berlin"
    assert circle.first_meeting_at == datetime(2027, 3, 2, 18, 0, tzinfo=UTC)
    starts = list(circle.meetings.order_by("number").values_list("starts_at", flat=True))
    berlin = {when.astimezone(ZoneInfo("Europe/Berlin")).hour for when in starts}
    assert berlin == {19}
    by_day = {when.date(): when.astimezone(UTC).hour for when in starts}
    assert by_day[datetime(2027, 3, 16).date()] == 18  # after New York's change: unmoved
    assert by_day[datetime(2027, 3, 30).date()] == 17  # after Berlin's: an hour earlier in UTC
