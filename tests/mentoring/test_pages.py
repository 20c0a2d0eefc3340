"""The mentoring pages: finding a coach, booking through the form, the coach's availability."""

import html
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Email
from mentoring.models import AvailabilityException, AvailabilityRule, Booking, Topic
from mentoring.services import bookings as service
from mentoring.services import reliability
from tests.mentoring.factories import make_coach_profile, make_other_member

SLOT = datetime(2027, 3, 12, 9, 0, tzinfo=UTC)  # 10:00 in Berlin, 04:00 in New York


pytestmark = pytest.mark.usefixtures("clock")


def someone_else_books(profile, starts_at):
    other = make_other_member("first@example.com", timezone="Europe/London")
    return service.book_session(profile, member=other, starts_at=starts_at, minutes=60, agenda="x")


def test_the_coach_page_shows_open_times_in_the_members_timezone(client_for, profile, member):
    member.timezone = "America/New_York"
    member.save(update_fields=["timezone"])
    page = client_for(member).get(f"/coaching/coaches/{profile.pk}/?minutes=60").content.decode()
    assert "America/New_York" in page
    assert "Friday 12 March" in page and ">04:00<" in page


def test_a_slot_link_opens_the_booking_form_for_that_time(client_for, profile, member):
    member.timezone = "America/New_York"
    member.save(update_fields=["timezone"])
    client = client_for(member)
    page = client.get(f"/coaching/coaches/{profile.pk}/?minutes=60").content.decode()
    # The slot's instant in UTC, with nothing in it escaped, under the member's own 04:00.
    slot = r'<a class="slot" href="([^"]+starts_at=2027-03-12T09:00:00Z)">04:00</a>'
    link = re.search(slot, page).group(1)
    form = client.get(html.unescape(link)).content.decode()
    chosen = re.search(r'name="starts_at" value="([^"]+)"', form).group(1)
    client.post(link.split("?")[0], {"starts_at": chosen, "minutes": 60, "agenda": "Hiring"})
    assert Booking.objects.get().starts_at == SLOT


def test_booking_through_the_form_makes_the_booking(client_for, profile, member):
    response = client_for(member).post(
        f"/coaching/coaches/{profile.pk}/book/",
        {"starts_at": SLOT.isoformat(), "minutes": 60, "agenda": "My first VP role"},
    )
    booking = Booking.objects.get()
    assert response.headers["Location"] == f"/coaching/sessions/{booking.pk}/"
    assert booking.starts_at == SLOT


def test_a_booking_form_sent_twice_leads_both_times_to_the_one_booking(client_for, profile, member):
    client = client_for(member)
    url = f"/coaching/coaches/{profile.pk}/book/"
    data = {"starts_at": SLOT.isoformat(), "minutes": 60, "agenda": "My first VP role"}
    client.post(url, data)
    response = client.post(url, data, follow=True)
    booking = Booking.objects.get()
    assert response.redirect_chain == [(f"/coaching/sessions/{booking.pk}/", 302)]
    page = response.content.decode()
    assert "You have already booked this time" in page and "no longer open" not in page


def test_a_taken_slot_is_refused_with_the_next_free_times(client_for, profile, member):
    someone_else_books(profile, SLOT)
    response = client_for(member).post(
        f"/coaching/coaches/{profile.pk}/book/",
        {"starts_at": SLOT.isoformat(), "minutes": 60, "agenda": "Me too"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "no longer open" in page and "Pick one of the next free times" in page
    assert Booking.objects.count() == 1


def test_a_refused_booking_offers_the_next_free_times_and_keeps_what_was_written(
    client_for, profile, member
):
    someone_else_books(profile, SLOT)
    client = client_for(member)
    url = f"/coaching/coaches/{profile.pk}/book/"
    page = client.post(
        url, {"starts_at": SLOT.isoformat(), "minutes": 60, "agenda": "Hiring my first VP"}
    ).content.decode()
    assert "Hiring my first VP" in page
    offered = re.findall(r'type="radio" name="starts_at" value="([^"]+)"', page)
    assert offered and SLOT.isoformat() not in offered
    assert page.count('name="starts_at"') == len(offered)  # the taken time is not sent again
    client.post(url, {"starts_at": offered[0], "minutes": 60, "agenda": "Hiring my first VP"})
    assert Booking.objects.filter(member=member, starts_at=offered[0]).exists()


def test_a_link_to_a_taken_time_says_so_before_the_member_writes_anything(
    client_for, profile, member
):
    someone_else_books(profile, SLOT)
    client = client_for(member)
    url = f"/coaching/coaches/{profile.pk}/book/"
    page = client.get(url, {"minutes": 60, "starts_at": "2027-03-12T09:00:00Z"}).content.decode()
    assert "That time is not open" in page
    assert "<textarea" not in page
    link = re.search(r'<ul class="next-slots"><li><a href="([^"]+)"', page).group(1)
    assert "<textarea" in client.get(html.unescape(link)).content.decode()


def test_the_booking_form_without_a_time_points_back_to_the_open_times(client_for, profile, member):
    page = client_for(member).get(f"/coaching/coaches/{profile.pk}/book/?starts_at=x")
    text = page.content.decode()
    assert "This link does not name a time that can be booked." in text
    assert "<textarea" not in text
    assert f'href="/coaching/coaches/{profile.pk}/"' in text


def test_a_member_cannot_open_another_members_booking(client_for, profile, member):
    other = make_other_member("other@example.com")
    booking = service.book_session(profile, member=other, starts_at=SLOT, minutes=60, agenda="x")
    assert client_for(member).get(f"/coaching/sessions/{booking.pk}/").status_code == 404
    assert client_for(other).get(f"/coaching/sessions/{booking.pk}/").status_code == 200


def test_the_coach_list_filters_by_topic_and_language(client_for, profile, member):
    hiring = Topic.objects.create(name="Hiring", slug="hiring")
    profile.topics.add(hiring)
    french = make_coach_profile(make_other_member("fr@example.com"), languages="French")
    client = client_for(member)
    by_topic = client.get("/coaching/?topic=hiring").context["coaches"]
    by_language = client.get("/coaching/?language=french").context["coaches"]
    assert list(by_topic) == [profile] and list(by_language) == [french]


def test_the_coach_list_makes_the_same_queries_for_many_coaches(client_for, profile, member):
    client = client_for(member)
    client.get("/coaching/")
    with CaptureQueriesContext(connection) as few:
        client.get("/coaching/")
    for n in range(8):
        make_coach_profile(make_other_member(f"coach{n}@example.com")).topics.add(
            Topic.objects.get_or_create(name=f"Topic {n}", slug=f"topic-{n}")[0]
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/coaching/")
    assert len(many) == len(few)


def test_a_coach_adds_a_weekly_window_on_their_page(client_for, coach):
    client = client_for(coach)
    response = client.post(
        "/coaching/availability/",
        {"form": "rule", "rule-weekday": 1, "rule-starts_at": "18:00", "rule-ends_at": "20:00"},
    )
    assert response.status_code == 302
    rule = AvailabilityRule.objects.get(coach__user=coach)
    assert (rule.weekday, rule.starts_at, rule.ends_at) == (1, time(18), time(20))


@pytest.mark.parametrize(
    "data",
    [
        {"form": "rule", "rule-weekday": 1, "rule-starts_at": "18:00", "rule-ends_at": "20:00"},
        {"form": "exception", "exception-day": "2027-03-15", "exception-kind": "day_off"},
        {
            "form": "exception",
            "exception-day": "2027-03-15",
            "exception-kind": "extra",
            "exception-starts_at": "18:00",
            "exception-ends_at": "20:00",
        },
    ],
)
def test_a_window_or_date_sent_twice_is_kept_once(client_for, coach, data):
    client = client_for(coach)
    client.post("/coaching/availability/", data)
    client.post("/coaching/availability/", data)
    rules = AvailabilityRule.objects.filter(coach__user=coach)
    dates = AvailabilityException.objects.filter(coach__user=coach)
    assert rules.count() + dates.count() == 1


def test_bookings_a_rule_change_leaves_uncovered_are_listed_to_the_coach(
    client_for, profile, member
):
    booking = service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    profile.availability_rules.filter(weekday=SLOT.weekday()).delete()
    page = client_for(profile.user).get("/coaching/availability/").content.decode()
    assert "Bookings outside your availability" in page
    assert f"/coaching/sessions/{booking.pk}/" in page
    assert Booking.objects.get().status == Booking.Status.BOOKED  # never dropped


def test_a_member_moves_their_session_from_its_page(client_for, profile, member):
    booking = service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    later = SLOT + timedelta(days=1)
    response = client_for(member).post(
        f"/coaching/sessions/{booking.pk}/move/", {"starts_at": later.isoformat()}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.starts_at, booking.sequence) == (later, 1)


def test_a_move_form_sent_twice_moves_the_session_and_tells_both_sides_once(
    client_for, profile, member
):
    booking = service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    client = client_for(member)
    url = f"/coaching/sessions/{booking.pk}/move/"
    page = client.get(url).content.decode()
    assert f'value="{SLOT.isoformat()}"' not in page  # the time it is at is not offered
    later = SLOT + timedelta(days=1)
    client.post(url, {"starts_at": later.isoformat()})
    response = client.post(url, {"starts_at": later.isoformat()})
    assert "The session is already at that time." in response.content.decode()
    booking.refresh_from_db()
    assert (booking.starts_at, booking.sequence, booking.rescheduled_from) == (later, 1, SLOT)
    assert Email.objects.filter(key__contains=":rescheduled:").count() == 2


def test_a_cancel_form_sent_twice_says_the_session_is_already_cancelled(
    client_for, profile, member
):
    booking = service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    client = client_for(member)
    client.post(f"/coaching/sessions/{booking.pk}/cancel/")
    page = client.post(f"/coaching/sessions/{booking.pk}/cancel/", follow=True).content.decode()
    assert "This session has already been cancelled." in page
    assert "Only an upcoming session" not in page
    assert Email.objects.filter(key__contains=":cancelled:").count() == 2


@pytest.mark.parametrize("minutes", ["abc", "1e9", "-1", "45", ""])
def test_a_session_length_not_offered_shows_the_shortest_one(client_for, profile, member, minutes):
    response = client_for(member).get(f"/coaching/coaches/{profile.pk}/?minutes={minutes}")
    assert response.status_code == 200
    assert response.context["minutes"] == 30


def test_a_coach_offering_a_follow_up_at_a_length_not_offered_sees_the_shortest_one(
    client_for, profile, member
):
    client = client_for(profile.user)
    response = client.get(f"/coaching/members/{member.pk}/offer/?minutes=abc")
    assert response.status_code == 200 and response.context["minutes"] == 30


def test_a_coach_cannot_open_a_follow_up_for_themselves(client_for, profile):
    response = client_for(profile.user).get(f"/coaching/members/{profile.user.pk}/offer/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rule-weekday": 1, "rule-starts_at": "25:00", "rule-ends_at": "20:00"}, "valid time"),
        ({"rule-weekday": 1, "rule-starts_at": "", "rule-ends_at": ""}, "This field is required."),
        ({"rule-weekday": 9, "rule-starts_at": "18:00", "rule-ends_at": "20:00"}, "valid choice"),
    ],
)
def test_a_weekly_window_with_a_bad_field_is_refused_with_the_reason(
    client_for, coach, data, message
):
    response = client_for(coach).post("/coaching/availability/", {"form": "rule", **data})
    assert message in response.content.decode()
    assert not AvailabilityRule.objects.filter(coach__user=coach).exists()


def test_a_bad_date_exception_is_refused_with_the_reason(client_for, coach):
    response = client_for(coach).post(
        "/coaching/availability/",
        {"form": "exception", "exception-day": "garbage", "exception-kind": "day_off"},
    )
    assert "Enter a valid date." in response.content.decode()
    assert not AvailabilityException.objects.filter(coach__user=coach).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"form": "rule", "rule-weekday": 1, "rule-starts_at": "18:00", "rule-ends_at": "18:00"},
            "A window needs an end different from its start.",
        ),
        (
            {
                "form": "exception",
                "exception-day": "2027-03-20",
                "exception-kind": "extra",
                "exception-starts_at": "10:00",
            },
            "An extra window needs a start and an end.",
        ),
    ],
)
def test_an_empty_window_is_refused_once_in_plain_words(client_for, coach, data, message):
    page = client_for(coach).post("/coaching/availability/", data).content.decode()
    assert page.count(message) == 1
    assert "Constraint" not in page


def test_a_session_cancelled_ahead_of_its_time_stays_on_the_sessions_page(
    client_for, profile, member
):
    booking = service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    service.cancel_booking(booking, by=member)
    page = client_for(member).get("/coaching/sessions/")
    assert list(page.context["past"]) == [booking]
    assert f"/coaching/sessions/{booking.pk}/" in page.content.decode()


def test_a_cancellation_reason_too_long_is_refused_and_the_session_kept(
    client_for, profile, member
):
    booking = service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    client = client_for(member)
    response = client.post(f"/coaching/sessions/{booking.pk}/cancel/", {"reason": "x" * 1001})
    assert "at most 1000 characters" in client.get(response.headers["Location"]).content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_recording_how_a_session_went_is_confirmed(client_for, profile, member, clock):
    booking = service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    clock.move_to(SLOT + timedelta(minutes=70))
    client = client_for(profile.user)
    response = client.post(f"/coaching/sessions/{booking.pk}/outcome/", {"status": "held"})
    assert "Recorded: held." in client.get(response.headers["Location"]).content.decode()


def test_once_the_coach_has_recorded_the_session_the_member_is_told_whom_to_write_to(
    client_for, profile, member, clock, settings
):
    booking = service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    clock.move_to(SLOT + timedelta(minutes=70))
    client_for(profile.user).post(
        f"/coaching/sessions/{booking.pk}/outcome/", {"status": "member_no_show"}
    )
    page = client_for(member).get(f"/coaching/sessions/{booking.pk}/").content.decode()
    assert "has recorded how this session went" in page
    assert settings.CONTACT_EMAIL in page
    assert 'value="coach_no_show"' not in page


@pytest.mark.parametrize("starts_at", ["9999-12-31T23:30:00+00:00", "0001-01-01T00:00:00+00:00"])
def test_a_start_at_the_ends_of_the_calendar_is_refused_with_the_reason(
    client_for, profile, member, starts_at
):
    client = client_for(member)
    url = f"/coaching/coaches/{profile.pk}/book/"
    assert client.get(url, {"minutes": 60, "starts_at": starts_at}).status_code == 200
    response = client.post(url, {"starts_at": starts_at, "minutes": 60, "agenda": "x"})
    assert "Pick one of the times offered." in response.content.decode()
    assert not Booking.objects.exists()


def test_the_coach_page_shows_the_allowance_and_when_it_is_used_up(
    client_for, profile, member, settings
):
    settings.MENTORING_MAX_UPCOMING = 1
    client = client_for(member)
    page = client.get(f"/coaching/coaches/{profile.pk}/").content.decode()
    assert "a member may hold 1 at once and book 4 a month" in page
    assert "once one of yours has taken place" not in page
    service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    page = client.get(f"/coaching/coaches/{profile.pk}/").content.decode()
    assert "once one of yours has taken place" in page


def test_the_coach_page_tells_a_paused_member_before_they_pick_a_time(
    client_for, profile, member, organizer
):
    reliability.pause_member(member, by=organizer, reason="No-shows")
    page = client_for(member).get(f"/coaching/coaches/{profile.pk}/").content.decode()
    assert "Your coaching bookings are paused" in page


def test_a_day_off_on_a_date_already_past_is_refused(client_for, coach):
    response = client_for(coach).post(
        "/coaching/availability/",
        {"form": "exception", "exception-day": "2026-03-20", "exception-kind": "day_off"},
    )
    assert "That date has passed" in response.content.decode()
    assert not AvailabilityException.objects.filter(coach__user=coach).exists()


def test_an_extra_window_without_times_is_refused_in_one_message(client_for, coach):
    page = (
        client_for(coach)
        .post(
            "/coaching/availability/",
            {"form": "exception", "exception-day": "2027-03-20", "exception-kind": "extra"},
        )
        .content.decode()
    )
    assert page.count("An extra window needs a start and an end.") == 1
    assert not AvailabilityException.objects.filter(coach__user=coach).exists()


def test_removing_a_weekly_window_is_confirmed_and_only_the_coachs_own(client_for, profile):
    other = make_coach_profile(make_other_member("other-coach@example.com"))
    theirs = other.availability_rules.first()
    mine = profile.availability_rules.first()
    client = client_for(profile.user)
    response = client.post(f"/coaching/availability/rules/{mine.pk}/delete/", follow=True)
    assert "The weekly window is removed." in response.content.decode()
    response = client.post(f"/coaching/availability/rules/{theirs.pk}/delete/", follow=True)
    assert "That weekly window was already removed." in response.content.decode()
    assert not AvailabilityRule.objects.filter(pk=mine.pk).exists()
    assert AvailabilityRule.objects.filter(pk=theirs.pk).exists()


def test_removing_a_date_is_confirmed(client_for, profile):
    exception = AvailabilityException.objects.create(
        coach=profile, day=datetime(2027, 3, 20).date(), kind="day_off"
    )
    response = client_for(profile.user).post(
        f"/coaching/availability/exceptions/{exception.pk}/delete/", follow=True
    )
    assert "The date is removed." in response.content.decode()
    assert not AvailabilityException.objects.exists()


def test_the_move_page_offers_times_as_far_ahead_as_the_coach_takes_bookings(
    client_for, profile, member
):
    profile.horizon_days = 70
    profile.save(update_fields=["horizon_days"])
    booking = service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    in_nine_weeks = SLOT + timedelta(weeks=9)  # Friday 14 May, 11:00 in Berlin (summer time)
    client = client_for(member)
    page = client.get(f"/coaching/sessions/{booking.pk}/move/").content.decode()
    assert f'value="{(SLOT + timedelta(weeks=1)).isoformat()}"' in page
    assert f'value="{in_nine_weeks.isoformat()}"' not in page  # four weeks at a time
    assert 'href="?page=2" rel="next">Later times</a>' in page
    page = client.get(f"/coaching/sessions/{booking.pk}/move/?page=3").content.decode()
    assert f'value="{in_nine_weeks.isoformat()}"' in page
    assert f'value="{(SLOT + timedelta(weeks=11)).isoformat()}"' not in page
    # A time picked on a later page moves the session, as the form posts to that page.
    response = client.post(
        f"/coaching/sessions/{booking.pk}/move/?page=3", {"starts_at": in_nine_weeks.isoformat()}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == in_nine_weeks


def test_the_coach_page_offers_times_as_far_ahead_as_the_coach_takes_bookings(
    client_for, profile, member
):
    profile.horizon_days = 70
    profile.save(update_fields=["horizon_days"])
    client = client_for(member)
    page = client.get(f"/coaching/coaches/{profile.pk}/?minutes=60").content.decode()
    assert "up to 70 days ahead" in page and "Weeks 1–4" in page
    assert "Friday 12 March" in page and "Friday 14 May" not in page  # four weeks at a time
    assert 'href="?minutes=60&amp;page=2" rel="next">Later times</a>' in page
    page = client.get(f"/coaching/coaches/{profile.pk}/?minutes=60&page=3").content.decode()
    assert "Weeks 9–12" in page and "Later times" not in page
    assert 'href="?minutes=60&amp;page=2" rel="prev">Earlier times</a>' in page
    assert "Friday 14 May" in page and "Friday 21 May" not in page
    # A page past the horizon, or not a number, shows a stretch that exists.
    assert "Weeks 9–12" in client.get(f"/coaching/coaches/{profile.pk}/?page=99").content.decode()
    assert "Weeks 1–4" in client.get(f"/coaching/coaches/{profile.pk}/?page=x").content.decode()


def test_a_paused_member_sees_the_open_times_without_booking_links(
    client_for, profile, member, organizer
):
    reliability.pause_member(member, by=organizer, reason="No-shows")
    page = client_for(member).get(f"/coaching/coaches/{profile.pk}/?minutes=60").content.decode()
    assert "Your coaching bookings are paused" in page
    assert "Friday 12 March" in page and "You can pick one once you can book again." in page
    assert f"/coaching/coaches/{profile.pk}/book/" not in page


def test_a_member_at_their_allowance_sees_the_open_times_without_booking_links(
    client_for, profile, member, settings
):
    settings.MENTORING_MAX_UPCOMING = 1
    client = client_for(member)
    assert (
        f"/coaching/coaches/{profile.pk}/book/"
        in client.get(f"/coaching/coaches/{profile.pk}/").content.decode()
    )
    service.book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    page = client.get(f"/coaching/coaches/{profile.pk}/").content.decode()
    assert "once one of yours has taken place" in page
    assert f"/coaching/coaches/{profile.pk}/book/" not in page
