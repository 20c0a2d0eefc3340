"""Mentorship days: a whole day sliced into sessions with breaks, booked by several members and
announced once to the members whose topics match."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from community.models import Email
from mentoring import slots
from mentoring.calendar import booking_ics
from mentoring.models import Booking, MentorshipDay, Topic
from mentoring.services import bookings as service
from mentoring.services import reliability
from mentoring.services.mentorship_days import announce_mentorship_day, slices_of
from tests.circles.factories import make_round, make_signup
from tests.mentoring.factories import make_coach_profile, make_other_member
from tests.mentoring.reading import page_text

DAY = date(2027, 3, 18)  # a Thursday
NINE = datetime(2027, 3, 18, 8, 0, tzinfo=UTC)  # 09:00 in Berlin


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def profile(coach):
    profile = make_coach_profile(coach)
    hiring = Topic.objects.create(name="Hiring", slug="hiring")
    profile.topics.add(hiring)
    return profile


def make_day(profile, **fields) -> MentorshipDay:
    values = {"day": DAY, "starts_at": time(9), "ends_at": time(12), "session_minutes": 45}
    values["timezone"] = profile.timezone
    return MentorshipDay.objects.create(coach=profile, **{**values, **fields})


def test_a_day_is_sliced_into_back_to_back_sessions_with_breaks():
    slices = slots.day_slices(
        DAY,
        time(9),
        time(12),
        timezone="Europe/Berlin",
        length=timedelta(minutes=45),
        gap=timedelta(minutes=15),
    )
    assert slices == [
        (NINE + timedelta(hours=h), NINE + timedelta(hours=h, minutes=45)) for h in range(3)
    ]


def test_a_day_keeps_its_wall_clock_times_after_the_clocks_change():
    slices = slots.day_slices(
        date(2027, 3, 29),  # the Monday after Europe moved to summer time
        time(9),
        time(10),
        timezone="Europe/Berlin",
        length=timedelta(minutes=60),
        gap=timedelta(),
    )
    assert slices == [(datetime(2027, 3, 29, 7, tzinfo=UTC), datetime(2027, 3, 29, 8, tzinfo=UTC))]


def test_a_coach_plans_a_day_and_matching_members_are_told_once(
    client_for, profile, django_capture_on_commit_callbacks
):
    round = make_round()
    keen = make_other_member("keen@example.com", timezone="America/New_York")
    make_signup(round, user=keen, email=keen.email, topics="hiring senior engineers")
    bored = make_other_member("bored@example.com")
    make_signup(round, user=bored, email=bored.email, topics="cloud costs")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(profile.user).post(
            "/coaching/days/new/",
            {
                "day": "2027-03-18",
                "starts_at": "09:00",
                "ends_at": "12:00",
                "session_minutes": 45,
                "break_minutes": 15,
                "description": "Bring your hiring plans",
            },
        )
    day = MentorshipDay.objects.get()
    assert response.headers["Location"] == f"/coaching/days/{day.pk}/"
    assert day.timezone == "Europe/Berlin"  # the coach's, kept if they move
    assert list(day.topics.values_list("name", flat=True)) == ["Hiring"]  # the coach's own
    announced = Email.objects.filter(key__startswith=f"mentoring:day:{day.pk}:")
    assert [email.to for email in announced] == [keen.email]
    # 09:00 in Berlin is 04:00 in New York, where the member lives.
    assert "Thursday 18 March 2027, 04:00" in announced.get().body_text
    assert announce_mentorship_day(day.pk) == 0
    assert announced.count() == 1


def test_a_day_past_the_members_midnight_is_announced_with_the_date_it_ends(profile):
    far = make_other_member("far@example.com", timezone="Pacific/Auckland")
    make_signup(make_round(), user=far, email=far.email, topics="hiring senior engineers")
    day = make_day(profile, starts_at=time(10), ends_at=time(13))
    day.topics.set(profile.topics.all())
    announce_mentorship_day(day.pk)
    email = Email.objects.get(to=far.email)
    when = "Thursday 18 March 2027, 22:00–Friday 19 March, 00:45 NZDT"
    assert when in email.body_text and when in email.body_html


def test_a_day_too_short_for_one_session_is_refused(client_for, profile):
    response = client_for(profile.user).post(
        "/coaching/days/new/",
        {
            "day": "2027-03-18",
            "starts_at": "09:00",
            "ends_at": "09:30",
            "session_minutes": 45,
            "break_minutes": 15,
        },
    )
    assert "too short" in response.content.decode()
    assert not MentorshipDay.objects.exists()


def test_several_members_book_the_days_sessions_and_none_twice(profile, member):
    day = make_day(profile)
    other = make_other_member("other@example.com")
    first = service.book_day_session(day, member=member, starts_at=NINE, agenda="Offers")
    second = service.book_day_session(
        day, member=other, starts_at=NINE + timedelta(hours=1), agenda="Interviews"
    )
    assert (first.ends_at, second.blocked_from) == (
        NINE + timedelta(minutes=45),
        NINE + timedelta(hours=1),
    )
    with pytest.raises(ValidationError, match="no longer open"):
        service.book_day_session(day, member=other, starts_at=NINE, agenda="Me too")
    with pytest.raises(ValidationError, match="Pick one"):
        service.book_day_session(
            day, member=other, starts_at=NINE + timedelta(minutes=30), agenda="Off the grid"
        )
    assert [s.open for s in slices_of(day)] == [False, False, True]
    assert Email.objects.filter(to=member.email, key__contains=":booked:").exists()


def test_a_regular_booking_in_the_day_closes_the_session_it_overlaps(profile, member):
    day = make_day(profile)
    service.book_session(profile, member=member, starts_at=NINE, minutes=30, agenda="Early")
    assert [s.open for s in slices_of(day)] == [False, True, True]


def test_members_see_the_days_on_the_coach_list_in_a_flat_number_of_queries(
    client_for, profile, member
):
    member.timezone = "Europe/Berlin"
    member.save(update_fields=["timezone"])
    make_day(profile)
    client = client_for(member)
    with CaptureQueriesContext(connection) as one:
        page = client.get("/coaching/").content.decode()
    assert "Mentorship days" in page and "Thursday 18 March, 09:00" in page
    for n in range(3):
        other = make_coach_profile(make_other_member(f"coach{n}@example.com"))
        make_day(other)
    with CaptureQueriesContext(connection) as four:
        client.get("/coaching/")
    assert len(four) == len(one)


def test_the_day_page_shows_the_sessions_in_the_members_zone_and_books_one(
    client_for, profile, member
):
    member.timezone = "America/New_York"
    member.save(update_fields=["timezone"])
    day = make_day(profile)
    client = client_for(member)
    assert "04:00–04:45" in client.get(f"/coaching/days/{day.pk}/").content.decode()
    response = client.post(
        f"/coaching/days/{day.pk}/", {"starts_at": NINE.isoformat(), "agenda": "Scaling"}
    )
    booking = Booking.objects.get()
    assert response.headers["Location"] == f"/coaching/sessions/{booking.pk}/"
    assert booking.mentorship_day == day


def test_a_session_past_the_members_midnight_is_shown_on_its_own_date(client_for, profile, member):
    member.timezone = "Pacific/Auckland"  # 12 hours ahead of Berlin in March
    member.save(update_fields=["timezone"])
    day = make_day(profile, starts_at=time(10), ends_at=time(13))
    other = make_other_member("other@example.com")
    service.book_day_session(day, member=other, starts_at=NINE + timedelta(hours=3), agenda="x")
    text = page_text(client_for(member).get(f"/coaching/days/{day.pk}/"))
    assert "Thursday 18 March 2027 22:00–22:45 23:00–23:45" in text
    assert "Friday 19 March, 00:00–00:45: Taken" in text


def test_a_day_booking_sent_twice_leads_both_times_to_the_one_session(client_for, profile, member):
    day = make_day(profile)
    client = client_for(member)
    data = {"starts_at": NINE.isoformat(), "agenda": "Scaling"}
    client.post(f"/coaching/days/{day.pk}/", data)
    response = client.post(f"/coaching/days/{day.pk}/", data, follow=True)
    booking = Booking.objects.get()
    assert response.redirect_chain == [(f"/coaching/sessions/{booking.pk}/", 302)]
    assert "You have already booked this time" in page_text(response)
    assert Email.objects.filter(key__contains=":booked:").count() == 2


def test_the_member_sees_their_own_session_of_the_day_as_theirs_not_taken(
    client_for, profile, member
):
    member.timezone = "Europe/Berlin"
    member.save(update_fields=["timezone"])
    day = make_day(profile)
    mine = service.book_day_session(day, member=member, starts_at=NINE, agenda="x")
    page = client_for(member).get(f"/coaching/days/{day.pk}/")
    assert "09:00–09:45: your session" in page_text(page)
    assert f'href="/coaching/sessions/{mine.pk}/"' in page.content.decode()
    other = client_for(make_other_member("other@example.com", timezone="Europe/Berlin"))
    assert "09:00–09:45: Taken" in page_text(other.get(f"/coaching/days/{day.pk}/"))


def test_a_paused_member_sees_the_day_without_a_booking_form_and_why(
    client_for, profile, member, organizer
):
    day = make_day(profile)
    reliability.pause_member(member, by=organizer, reason="No-shows")
    page = client_for(member).get(f"/coaching/days/{day.pk}/").content.decode()
    assert "Your coaching bookings are paused" in page
    assert "Book this session" not in page
    assert "None of the day's sessions can be booked any more." not in page


def test_a_day_ending_before_it_starts_is_refused_once_in_plain_words(client_for, profile):
    message = "A mentorship day ends after it starts, on the same date."
    page = (
        client_for(profile.user)
        .post(
            "/coaching/days/new/",
            {
                "day": "2027-03-18",
                "starts_at": "12:00",
                "ends_at": "09:00",
                "session_minutes": 45,
                "break_minutes": 15,
            },
        )
        .content.decode()
    )
    assert page.count(message) == 1 and "Constraint" not in page
    assert not MentorshipDay.objects.exists()


def test_a_day_session_that_is_not_one_of_the_offered_times_is_refused_with_the_reason(
    client_for, profile, member
):
    day = make_day(profile)
    response = client_for(member).post(
        f"/coaching/days/{day.pk}/", {"starts_at": "garbage", "agenda": "Scaling"}
    )
    assert "Pick one of the times offered." in response.content.decode()
    assert not Booking.objects.exists()


def test_a_day_session_at_the_end_of_the_calendar_is_refused_with_the_reason(
    client_for, profile, member
):
    day = make_day(profile)
    response = client_for(member).post(
        f"/coaching/days/{day.pk}/", {"starts_at": "9999-12-31T23:30:00+00:00", "agenda": "x"}
    )
    assert "Pick one of the times offered." in response.content.decode()
    assert not Booking.objects.exists()


def test_a_day_that_has_ended_leaves_the_coach_list(client_for, profile, member, clock):
    make_day(profile)  # 09:00 to 12:00 in Berlin
    client = client_for(member)
    clock.move_to(datetime(2027, 3, 18, 10, 0, tzinfo=UTC))  # 11:00 in Berlin
    assert list(client.get("/coaching/").context["days"]) != []
    clock.move_to(datetime(2027, 3, 18, 11, 30, tzinfo=UTC))  # 12:30 in Berlin
    assert list(client.get("/coaching/").context["days"]) == []


def test_an_ended_days_place_on_the_coach_list_goes_to_the_next_day(
    client_for, profile, member, clock
):
    for offset in range(8):  # today's and the seven after it; the list shows six
        make_day(profile, day=DAY + timedelta(days=offset))
    clock.move_to(datetime(2027, 3, 18, 11, 30, tzinfo=UTC))  # today's is over
    days = client_for(member).get("/coaching/").context["days"]
    assert [day.day.day for day in days] == [19, 20, 21, 22, 23, 24]


def test_the_day_page_tells_sessions_too_soon_started_or_over_from_booked_ones(
    client_for, profile, member, clock
):
    member.timezone = "Europe/Berlin"
    member.save(update_fields=["timezone"])
    day = make_day(profile)  # 09:00, 10:00 and 11:00 in Berlin; two hours' notice
    other = make_other_member("other@example.com")
    service.book_day_session(day, member=other, starts_at=NINE + timedelta(hours=1), agenda="x")
    client = client_for(member)

    clock.move_to(NINE + timedelta(minutes=10))
    page = client.get(f"/coaching/days/{day.pk}/")
    assert "09:00–09:45: Started 10:00–10:45: Taken 11:00–11:45: Too soon to book" in page_text(
        page
    )
    assert "Book this session" not in page.content.decode()
    assert "None of the day's sessions can be booked any more." in page_text(page)

    clock.move_to(NINE + timedelta(minutes=50))
    assert "09:00–09:45: Over 10:00–10:45: Taken" in page_text(
        client.get(f"/coaching/days/{day.pk}/")
    )
    assert [s.state for s in slices_of(day)] == ["over", "taken", "too_soon"]


def test_the_day_page_offers_open_sessions_and_marks_the_booked_one_taken(
    client_for, profile, member
):
    member.timezone = "Europe/Berlin"
    member.save(update_fields=["timezone"])
    day = make_day(profile)
    other = make_other_member("other@example.com")
    service.book_day_session(day, member=other, starts_at=NINE, agenda="x")
    page = client_for(member).get(f"/coaching/days/{day.pk}/")
    assert "09:00–09:45: Taken" in page_text(page)
    assert page.content.decode().count('name="starts_at"') == 2
    assert "Book this session" in page.content.decode()


def test_a_day_sessions_invitation_keeps_the_zone_the_day_was_planned_in(profile, member):
    day = make_day(profile)  # planned in Berlin, the coach's zone then
    booking = service.book_day_session(day, member=member, starts_at=NINE, agenda="x")
    profile.user.timezone = "America/New_York"  # the coach moves afterwards
    profile.user.save(update_fields=["timezone"])
    booking.refresh_from_db()
    calendar = Calendar.from_ical(booking_ics(booking, method="REQUEST"))
    start = calendar.walk("VEVENT")[0].decoded("DTSTART")
    assert (str(start.tzinfo), start.hour) == ("Europe/Berlin", 9)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
