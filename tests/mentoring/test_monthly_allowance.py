"""A member who has used a month's sessions is not offered times in that month, counted in their
own timezone; the service refuses a crafted request all the same."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring.models import AvailabilityRule, Booking, MentorshipDay
from mentoring.services import allowance as allowance_service
from mentoring.services import bookings as service
from mentoring.services.mentorship_days import slices_of
from tests.mentoring.factories import NOW, make_booking, make_coach_profile, make_other_member
from tests.mentoring.reading import page_text

# The coach is in Berlin (09:00-17:00 every day, 07:00-15:00 UTC once summer time starts on
# 28 March). In Auckland (UTC+13) April begins at 11:00 UTC on 31 March, in the middle of the
# coach's day; in UTC it begins on 1 April.
APRIL_IN_AUCKLAND = datetime(2027, 3, 31, 11, 0, tzinfo=UTC)  # 13:00 in Berlin
LAST_HOUR_OF_MARCH_IN_AUCKLAND = datetime(2027, 3, 31, 10, 0, tzinfo=UTC)
APRIL_IN_UTC = datetime(2027, 4, 1, 7, 0, tzinfo=UTC)  # 09:00 in Berlin
MID_MARCH = datetime(2027, 3, 16, 8, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("clock")


def held_session(profile, member, starts_at) -> Booking:
    return make_booking(profile, member, starts_at, status=Booking.Status.HELD)


def use_up_march(profile, member, *, timezone: str) -> Booking:
    """Three sessions held in March and one ahead: March used up, one upcoming of two."""
    member.timezone = timezone
    member.save(update_fields=["timezone"])
    for day in (2, 3, 4):
        held_session(profile, member, datetime(2027, 3, day, 8, 0, tzinfo=UTC))
    return service.book_session(
        profile,
        member=member,
        starts_at=datetime(2027, 3, 15, 8, 0, tzinfo=UTC),
        minutes=60,
        agenda="Hiring",
    )


def link_to(profile, starts_at: datetime) -> str:
    return f"/coaching/coaches/{profile.pk}/book/?minutes=60&amp;starts_at={starts_at:%Y-%m-%dT%H:%M:%SZ}"


def test_the_months_used_up_are_counted_in_the_members_timezone(profile, member):
    use_up_march(profile, member, timezone="Pacific/Auckland")
    used = allowance_service.used_up_months(member, since=NOW, until=NOW + timedelta(weeks=8))
    assert used.months == {(2027, 3)}
    assert used.holds(LAST_HOUR_OF_MARCH_IN_AUCKLAND) and not used.holds(APRIL_IN_AUCKLAND)


def test_a_cancelled_session_gives_its_place_in_the_month_back(profile, member):
    upcoming = use_up_march(profile, member, timezone="UTC")
    service.cancel_booking(upcoming, by=member)
    assert not allowance_service.used_up_months(member, since=NOW, until=NOW).months


def test_the_service_counts_the_month_in_the_members_timezone_at_the_boundary(profile, member):
    use_up_march(profile, member, timezone="Pacific/Auckland")
    with pytest.raises(ValidationError, match="sessions for that month"):
        service.book_session(
            profile,
            member=member,
            starts_at=LAST_HOUR_OF_MARCH_IN_AUCKLAND,
            minutes=60,
            agenda="x",
        )
    booking = service.book_session(
        profile, member=member, starts_at=APRIL_IN_AUCKLAND, minutes=60, agenda="x"
    )
    assert booking.starts_at == APRIL_IN_AUCKLAND


def test_a_taken_time_is_refused_with_next_free_times_outside_the_used_month(profile, member):
    use_up_march(profile, member, timezone="Pacific/Auckland")
    other = make_other_member("first@example.com")
    service.book_session(profile, member=other, starts_at=APRIL_IN_AUCKLAND, minutes=60, agenda="x")
    with pytest.raises(service.SlotTaken) as refused:
        service.book_session(
            profile, member=member, starts_at=APRIL_IN_AUCKLAND, minutes=60, agenda="x"
        )
    assert refused.value.next_slots
    assert all(slot > APRIL_IN_AUCKLAND for slot in refused.value.next_slots)


def test_the_coach_page_links_no_time_in_the_used_month_and_every_time_in_the_next(
    client_for, profile, member
):
    use_up_march(profile, member, timezone="Pacific/Auckland")
    response = client_for(member).get(f"/coaching/coaches/{profile.pk}/?minutes=60")
    page = response.content.decode()
    assert (
        "You have used your 4 sessions for March, so its times cannot be booked. "
        "Times from April can be booked." in page_text(response)
    )
    assert link_to(profile, APRIL_IN_AUCKLAND) in page
    assert link_to(profile, LAST_HOUR_OF_MARCH_IN_AUCKLAND) not in page
    assert link_to(profile, MID_MARCH) not in page
    # The March times are still shown, under the member's own clock: 23:00 on 31 March.
    assert '<span class="slot">23:00</span>' in page
    first_link = re.search(r'href="[^"]+starts_at=([^"]+)"', page).group(1)
    assert first_link == f"{APRIL_IN_AUCKLAND:%Y-%m-%dT%H:%M:%SZ}"


def test_a_month_after_a_used_one_is_not_said_to_be_bookable_when_it_is_used_up_too(
    client_for, profile, member, settings
):
    settings.MENTORING_MAX_UPCOMING = 10
    use_up_march(profile, member, timezone="Pacific/Auckland")
    for day in (5, 6, 7, 8):  # four of April's (in Auckland) booked too
        starts_at = datetime(2027, 4, day, 7, 0, tzinfo=UTC)
        service.book_session(profile, member=member, starts_at=starts_at, minutes=60, agenda="x")
    response = client_for(member).get(f"/coaching/coaches/{profile.pk}/?minutes=60")
    text = page_text(response)
    assert "You have used your 4 sessions for March, so its times cannot be booked. You" in text
    assert "Times from April" not in text
    assert "for April, so its times cannot be booked. Times from May can be booked." in text
    assert f"/coaching/coaches/{profile.pk}/book/" not in response.content.decode()


def test_a_member_in_utc_has_march_until_the_first_of_april(client_for, profile, member):
    use_up_march(profile, member, timezone="UTC")
    page = client_for(member).get(f"/coaching/coaches/{profile.pk}/?minutes=60").content.decode()
    assert link_to(profile, APRIL_IN_AUCKLAND) not in page  # still March in UTC
    assert link_to(profile, APRIL_IN_UTC) in page


def test_a_member_with_sessions_left_this_month_is_told_nothing_and_offered_every_time(
    client_for, profile, member
):
    member.timezone = "Pacific/Auckland"
    member.save(update_fields=["timezone"])
    held_session(profile, member, datetime(2027, 3, 2, 8, 0, tzinfo=UTC))
    page = client_for(member).get(f"/coaching/coaches/{profile.pk}/?minutes=60").content.decode()
    assert "You have used your" not in page
    assert link_to(profile, MID_MARCH) in page and link_to(profile, APRIL_IN_AUCKLAND) in page


def test_the_coach_page_makes_the_same_queries_however_many_times_and_weeks_it_shows(
    client_for, profile, member, coach
):
    use_up_march(profile, member, timezone="Pacific/Auckland")
    client = client_for(member)
    sparse = make_coach_profile(make_other_member("sparse@example.com"), horizon_days=7)
    AvailabilityRule.objects.filter(coach=sparse).exclude(weekday=3).delete()
    with CaptureQueriesContext(connection) as few:
        assert (
            "You have used your" in client.get(f"/coaching/coaches/{sparse.pk}/").content.decode()
        )
    profile.horizon_days = 84
    profile.save(update_fields=["horizon_days"])
    for page in ("1", "2", "3"):
        with CaptureQueriesContext(connection) as many:
            client.get(f"/coaching/coaches/{profile.pk}/?minutes=30&page={page}")
        assert len(many) == len(few)


def test_a_link_to_a_time_in_the_used_month_says_so_and_offers_times_after_it(
    client_for, profile, member
):
    use_up_march(profile, member, timezone="Pacific/Auckland")
    client = client_for(member)
    url = f"/coaching/coaches/{profile.pk}/book/"
    chosen = f"{LAST_HOUR_OF_MARCH_IN_AUCKLAND:%Y-%m-%dT%H:%M:%SZ}"
    response = client.get(url, {"minutes": 60, "starts_at": chosen})
    page = response.content.decode()
    assert "You have used your 4 sessions for March. Pick a time in another month." in page
    assert ">Book</button>" not in page  # no form to write an agenda into
    offered = re.findall(r'href="[^"]+starts_at=([^"]+)"', page)
    assert offered and all(start >= f"{APRIL_IN_AUCKLAND:%Y-%m-%dT%H:%M:%SZ}" for start in offered)


def test_a_crafted_booking_in_the_used_month_is_refused_and_nothing_booked(
    client_for, profile, member
):
    use_up_march(profile, member, timezone="Pacific/Auckland")
    response = client_for(member).post(
        f"/coaching/coaches/{profile.pk}/book/",
        {"starts_at": LAST_HOUR_OF_MARCH_IN_AUCKLAND.isoformat(), "minutes": 60, "agenda": "x"},
    )
    assert response.status_code == 400
    assert "You have used your 4 sessions for that month." in response.content.decode()
    assert Booking.objects.filter(member=member).count() == 4


def make_day(profile) -> MentorshipDay:
    """A mentorship day on 31 March, 09:00-17:00 in Berlin: it runs into April in Auckland."""
    return MentorshipDay.objects.create(
        coach=profile,
        day=APRIL_IN_AUCKLAND.date(),
        starts_at=time(9),
        ends_at=time(17),
        session_minutes=45,
        timezone=profile.timezone,
    )


def test_the_day_page_offers_only_the_sessions_outside_the_used_month(client_for, profile, member):
    use_up_march(profile, member, timezone="Pacific/Auckland")
    day = make_day(profile)
    response = client_for(member).get(f"/coaching/days/{day.pk}/")
    page = response.content.decode()
    assert "You have used your 4 sessions for March, so its times cannot be booked." in page_text(
        response
    )
    starts = [s.starts_at for s in slices_of(day)]
    assert any(s < APRIL_IN_AUCKLAND for s in starts) and any(
        s >= APRIL_IN_AUCKLAND for s in starts
    )
    for start in starts:
        radio = f'name="starts_at" value="{start.isoformat()}"'
        assert (radio in page) == (start >= APRIL_IN_AUCKLAND)
    assert "Book this session" in page


def test_a_day_all_in_the_used_month_has_no_booking_form_and_says_why(client_for, profile, member):
    use_up_march(profile, member, timezone="UTC")
    day = make_day(profile)
    page = client_for(member).get(f"/coaching/days/{day.pk}/").content.decode()
    assert "You have used your 4 sessions for March" in page
    assert "Book this session" not in page and 'name="starts_at"' not in page
    assert "None of the day's sessions can be booked any more." not in page


def test_a_crafted_day_booking_in_the_used_month_is_refused(client_for, profile, member):
    use_up_march(profile, member, timezone="Pacific/Auckland")
    day = make_day(profile)
    march = slices_of(day)[0].starts_at
    response = client_for(member).post(
        f"/coaching/days/{day.pk}/", {"starts_at": march.isoformat(), "agenda": "x"}
    )
    assert "You have used your 4 sessions for that month." in response.content.decode()
    assert not Booking.objects.filter(mentorship_day=day).exists()


def april_session(profile, member) -> Booking:
    """March used up (in Auckland), and a session held in April."""
    use_up_march(profile, member, timezone="Pacific/Auckland")
    return service.book_session(
        profile, member=member, starts_at=APRIL_IN_AUCKLAND, minutes=60, agenda="x"
    )


def test_a_member_cannot_move_a_session_into_a_month_they_have_used_up(client_for, profile, member):
    april = april_session(profile, member)
    client = client_for(member)
    page = client.get(f"/coaching/sessions/{april.pk}/move/").content.decode()
    assert f'value="{MID_MARCH.isoformat()}"' not in page
    assert "You have used your 4 sessions for March, so the session cannot move into it." in page
    assert f'value="{(APRIL_IN_AUCKLAND + timedelta(days=1)).isoformat()}"' in page
    response = client.post(
        f"/coaching/sessions/{april.pk}/move/", {"starts_at": MID_MARCH.isoformat()}
    )
    assert "You have used your 4 sessions for that month" in response.content.decode()
    april.refresh_from_db()
    assert april.starts_at == APRIL_IN_AUCKLAND and april.sequence == 0


def test_a_member_may_move_a_session_within_its_own_used_up_month(client_for, profile, member):
    march = use_up_march(profile, member, timezone="Pacific/Auckland")
    later = march.starts_at + timedelta(days=1)
    client = client_for(member)
    page = client.get(f"/coaching/sessions/{march.pk}/move/").content.decode()
    assert f'value="{later.isoformat()}"' in page and "cannot move into it" not in page
    response = client.post(f"/coaching/sessions/{march.pk}/move/", {"starts_at": later.isoformat()})
    assert response.status_code == 302
    march.refresh_from_db()
    assert march.starts_at == later


def test_the_coach_may_move_a_session_into_a_month_the_member_has_used_up(
    client_for, profile, member
):
    april = april_session(profile, member)
    client = client_for(profile.user)
    page = client.get(f"/coaching/sessions/{april.pk}/move/").content.decode()
    assert f'value="{MID_MARCH.isoformat()}"' in page and "cannot move into it" not in page
    service.reschedule_booking(april, by=profile.user, starts_at=MID_MARCH, reason="Travelling")
    april.refresh_from_db()
    assert april.starts_at == MID_MARCH


def test_a_coach_may_offer_a_follow_up_in_a_month_the_member_has_used_up(
    client_for, profile, member
):
    # The coach chose to give it: `offer_session` leaves the member's allowance aside.
    use_up_march(profile, member, timezone="Pacific/Auckland")
    client = client_for(profile.user)
    url = f"/coaching/members/{member.pk}/offer/"
    assert f'value="{MID_MARCH.isoformat()}"' in client.get(url).content.decode()
    response = client.post(
        url, {"starts_at": MID_MARCH.isoformat(), "minutes": 30, "agenda": "Follow-up"}
    )
    assert response.status_code == 302
    assert Booking.objects.filter(member=member, starts_at=MID_MARCH).exists()
