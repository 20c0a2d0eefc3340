"""The coach's availability page as a coach reads and fills it: plain settings, bounded limits,
and only the sessions their windows really leave uncovered listed to them."""

from datetime import UTC, date, datetime, time

import pytest

from mentoring.models import Booking, CoachProfile, MentorshipDay, Topic
from mentoring.services import bookings as service
from tests.mentoring.reading import page_text

DAY = date(2027, 3, 18)  # a Thursday
NINE = datetime(2027, 3, 18, 8, 0, tzinfo=UTC)  # 09:00 in Berlin


pytestmark = pytest.mark.usefixtures("clock")


def settings_data(**changes) -> dict:
    data = {
        "form": "settings",
        "settings-accepting_bookings": "on",
        "settings-languages": "English",
        "settings-session_lengths": ["30", "60"],
        "settings-buffer_before_minutes": "0",
        "settings-buffer_after_minutes": "10",
        "settings-notice_hours": "12",
        "settings-horizon_days": "56",
        "settings-max_per_day": "",
        "settings-max_per_week": "",
    }
    return {**data, **{f"settings-{name}": value for name, value in changes.items()}}


def test_a_mentorship_day_session_is_not_listed_as_outside_the_coachs_availability(
    client_for, profile, member
):
    profile.availability_rules.filter(weekday=DAY.weekday()).delete()
    day = MentorshipDay.objects.create(
        coach=profile,
        timezone=profile.timezone,
        day=DAY,
        starts_at=time(9),
        ends_at=time(12),
        session_minutes=45,
    )
    service.book_day_session(day, member=member, starts_at=NINE, agenda="Hiring")
    page = client_for(profile.user).get("/coaching/availability/")
    assert page.context["outside"] == []
    assert "Bookings outside your availability" not in page.content.decode()


def test_the_settings_read_plainly_with_their_units_and_what_an_empty_limit_means(
    client_for, profile
):
    text = page_text(client_for(profile.user).get("/coaching/availability/"))
    for raw in ("Buffer before minutes", "Buffer after minutes", "Max per day", "Max per week"):
        assert raw not in text
    assert "Free time before each session" in text and "Free time after each session" in text
    assert "Most sessions in a day" in text and "Most sessions in a week" in text
    assert text.count("Leave empty for no limit.") == 2
    assert "Minutes kept free" in text


def test_a_coach_saves_limits_and_an_empty_limit_means_no_limit(client_for, profile):
    client = client_for(profile.user)
    client.post("/coaching/availability/", settings_data(max_per_day="2", max_per_week=""))
    profile.refresh_from_db()
    assert (profile.max_per_day, profile.max_per_week) == (2, None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("max_per_day", "0", "Leave it empty for no limit"),
        ("max_per_week", "0", "Leave it empty for no limit"),
        ("max_per_day", "99999999999", "less than or equal to 48"),
        ("max_per_week", "40000", "less than or equal to 336"),
        ("topics", ["99999999999999999999"], "Select a valid choice"),
        ("topics", ["\x00"], "Null characters are not allowed."),
    ],
)
def test_settings_out_of_bounds_are_refused_with_the_reason_and_nothing_changes(
    client_for, profile, field, value, message
):
    Topic.objects.create(name="Hiring", slug="hiring")
    response = client_for(profile.user).post(
        "/coaching/availability/", settings_data(**{field: value}, buffer_after_minutes="30")
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CoachProfile.objects.get().buffer_after_minutes == 0


def test_a_booking_outside_the_windows_is_still_listed(client_for, profile, member):
    booking = service.book_session(profile, member=member, starts_at=NINE, minutes=60, agenda="x")
    profile.availability_rules.filter(weekday=DAY.weekday()).delete()
    page = client_for(profile.user).get("/coaching/availability/")
    assert page.context["outside"] == [booking]
    assert Booking.objects.get().status == Booking.Status.BOOKED


def test_the_weekly_window_form_says_an_end_before_the_start_runs_past_midnight(
    client_for, profile
):
    text = page_text(client_for(profile.user).get("/coaching/availability/"))
    assert "An end before the start runs past midnight." in text


def test_a_window_past_midnight_reads_as_ending_the_next_day(client_for, profile):
    profile.availability_rules.all().delete()
    profile.availability_rules.create(weekday=3, starts_at=time(21), ends_at=time(0, 30))
    text = page_text(client_for(profile.user).get("/coaching/availability/"))
    assert "Thursday 21:00–00:30 the next day" in text


def test_the_coachs_dates_read_as_dates_with_what_they_do(client_for, profile):
    profile.availability_exceptions.create(day=date(2027, 3, 23), kind="day_off")
    profile.availability_exceptions.create(
        day=date(2027, 3, 27), kind="extra", starts_at=time(22), ends_at=time(1)
    )
    text = page_text(client_for(profile.user).get("/coaching/availability/"))
    assert "Tuesday 23 March 2027: day off" in text
    assert "Saturday 27 March 2027: extra window 22:00–01:00 the next day" in text
    assert "2027-03-23" not in text


@pytest.mark.parametrize("day", ["9999-12-31", "2030-01-01"])
def test_a_date_years_ahead_is_refused_as_a_likely_mistyped_year(client_for, profile, day):
    response = client_for(profile.user).post(
        "/coaching/availability/",
        {
            "form": "exception",
            "exception-day": day,
            "exception-kind": "extra",
            "exception-starts_at": "22:00",
            "exception-ends_at": "01:00",
        },
    )
    assert "That date is too far ahead: check the year." in response.content.decode()
    assert not profile.availability_exceptions.exists()
