from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from circles import tasks
from circles.models import ReviewEvent, Round
from tests.circles.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizing(client, organizer):
    organizer.timezone = "Europe/Berlin"
    organizer.save()
    client.force_login(organizer)
    return client


def form(**overrides) -> dict:
    return {
        "name": "Spring 2027 circles",
        "description": "Peer circles for engineering leaders.",
        "status": "open",
        "signup_opens_at": "2027-02-01T09:00",
        "signup_closes_at": "2027-02-15T18:00",
        "first_meeting": "2027-03-01",
        "formats_offered": "either",
        "min_size": 6,
        "max_size": 10,
        "target_min_size": 8,
        "target_max_size": 9,
        "min_common_minutes": 60,
        "max_distance_km": 10,
        "max_offset_span_hours": 5,
        "min_group_size": 2,
        **overrides,
    }


def test_the_new_round_form_offers_the_communitys_rules_with_what_they_mean(organizing):
    page = organizing.get("/organize/circles/new/").content.decode()
    assert 'name="min_common_minutes" value="60"' in page
    assert "Some member&#x27;s meeting place is within this distance" in page


def test_an_organizer_opens_a_round_in_their_own_timezone(organizing, organizer):
    response = organizing.post("/organize/circles/new/", form())
    round = Round.objects.get()
    assert response["Location"] == "/organize/circles/spring-2027-circles/"
    assert round.signup_opens_at.isoformat() == "2027-02-01T08:00:00+00:00"  # 09:00 in Berlin
    assert (round.first_meeting, round.created_by) == (date(2027, 3, 1), organizer)
    assert ReviewEvent.objects.filter(round=round, action="round.created").exists()
    assert "Spring 2027 circles" in organizing.get("/organize/circles/").content.decode()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"signup_closes_at": "2027-01-01T09:00"}, "Sign-ups must close after they open."),
        ({"first_meeting": "2027-02-10"}, "The first meeting must come after sign-ups close."),
        ({"min_size": 9}, "Sizes must be in order"),
        ({"min_common_minutes": 45}, "counted in half-hours"),
        ({"max_distance_km": 0}, "more than 0 km"),
    ],
)
def test_a_round_with_rules_that_cannot_hold_is_refused_in_plain_words(
    organizing, overrides, message
):
    response = organizing.post("/organize/circles/new/", form(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Round.objects.exists()


def test_an_organizer_edits_a_rounds_rules_and_the_change_is_recorded(organizing):
    organizing.post("/organize/circles/new/", form())
    round = Round.objects.get()
    organizing.post(f"/organize/circles/{round.slug}/edit/", form(max_distance_km=4, min_size=5))
    round.refresh_from_db()
    assert (round.rules().max_distance_km, round.rules().min_size) == (4, 5)
    event = ReviewEvent.objects.get(action="round.updated")
    assert set(event.details["changed"]) == {"max_distance_km", "min_size"}


def test_a_round_past_sign_ups_keeps_its_status_out_of_the_form(organizing):
    organizing.post("/organize/circles/new/", form())
    round = Round.objects.get()
    Round.objects.filter(pk=round.pk).update(status=Round.Status.REVIEWED)
    page = organizing.get(f"/organize/circles/{round.slug}/edit/").content.decode()
    assert 'name="status"' not in page
    organizing.post(f"/organize/circles/{round.slug}/edit/", form(status="draft"))
    round.refresh_from_db()
    assert round.status == Round.Status.REVIEWED


def test_two_rounds_with_one_name_get_distinct_addresses(organizing):
    organizing.post("/organize/circles/new/", form())
    organizing.post("/organize/circles/new/", form())
    assert sorted(Round.objects.values_list("slug", flat=True)) == [
        "spring-2027-circles",
        "spring-2027-circles-2",
    ]


def test_the_round_pages_ask_the_database_the_same_whatever_the_number_of_sign_ups(organizing):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.circles.factories import make_round, make_signup

    round = make_round()
    counts = []
    for total in (1, 30):
        while round.signups.count() < total:
            make_signup(round, email=f"p{round.signups.count()}@example.com")
        with CaptureQueriesContext(connection) as queries:
            organizing.get(f"/organize/circles/{round.slug}/")
            organizing.get("/organize/circles/")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_moving_the_first_meeting_across_a_clock_change_keeps_everyones_own_hours(organizing):
    from tests.circles.factories import make_signup

    organizing.post("/organize/circles/new/", form(first_meeting="2027-03-01"))
    round = Round.objects.get()
    monday_evening = [{"day": "Mon", "start": "18:00", "end": "19:00"}]
    signup = make_signup(
        round,
        raw={"availability": monday_evening},
        timezone="Europe/Berlin",
        utc_offset_minutes=60,
        slots=[34, 35],  # 17:00-18:00 UTC in winter
    )
    organizing.post(f"/organize/circles/{round.slug}/edit/", form(first_meeting="2027-04-05"))
    signup.refresh_from_db()
    assert (signup.slots, signup.utc_offset_minutes) == ([32, 33], 120)  # 16:00 UTC in summer


def test_a_round_whose_sign_up_window_ended_is_closed_by_the_periodic_sweep(organizing, settings):
    closing = timezone.now() + timedelta(days=2)
    due = make_round(signup_closes_at=closing)
    later = make_round(name="Later", slug="later", signup_closes_at=closing + timedelta(days=7))
    draft = make_round(
        name="Draft", slug="draft", status=Round.Status.DRAFT, signup_closes_at=closing
    )
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "circles.tasks.close_due_rounds" in schedule

    assert tasks.close_due_rounds() == 0  # nothing is due yet
    with time_machine.travel(closing + timedelta(seconds=30)):
        assert tasks.close_due_rounds() == 1
        assert tasks.close_due_rounds() == 0  # a second sweep finds nothing left to close
        page = organizing.get(f"/organize/circles/{due.slug}/").content.decode()

    statuses = dict(Round.objects.values_list("slug", "status"))
    assert statuses == {due.slug: "closed", later.slug: "open", draft.slug: "draft"}
    assert "Sign-ups closed" in page and "Open for sign-ups" not in page
    event = ReviewEvent.objects.get(round=due, action="round.closed")
    assert event.actor is None
