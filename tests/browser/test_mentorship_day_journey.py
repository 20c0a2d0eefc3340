"""A mentorship day in a real browser: a coach plans it, a member an ocean away books one of its
sessions in their own time, and after it both sides keep notes and share an action item, which
the member ticks off. A coach changes a booked day as far as its bookings allow, then cancels it."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from mentoring.models import Booking, MentorshipDay, Topic
from mentoring.services.bookings import book_day_session
from tests.browser.conftest import check_page, sign_in
from tests.browser.test_booking_journey import COACH, MEMBER, people
from tests.mentoring.factories import make_coach_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coach_plans_a_mentorship_day_and_a_member_books_a_session_of_it(new_page):
    coach, member = people()
    Topic.objects.create(name="Hiring", slug="hiring")
    day = (datetime.now(UTC) + timedelta(days=5)).astimezone(ZoneInfo("Europe/Berlin"))

    coach_page = new_page()
    sign_in(coach_page, COACH)
    coach_page.wait_for_url("**/members/")
    check_page(coach_page)
    coach_page.goto("/coaching/availability/")
    check_page(coach_page)
    coach_page.get_by_role("link", name="Plan a mentorship day").click()
    check_page(coach_page)
    coach_page.get_by_label("Day").fill(day.strftime("%Y-%m-%d"))
    coach_page.get_by_label("From").fill("09:00")
    coach_page.get_by_label("Until").fill("11:00")
    coach_page.get_by_label("Each session (minutes)").select_option("45")
    coach_page.get_by_label("Break after each (minutes)").fill("15")
    coach_page.get_by_role("button", name="Plan the day").click()
    expect(coach_page.get_by_text("Your mentorship day is planned")).to_be_visible()
    check_page(coach_page)
    planned = MentorshipDay.objects.get()

    member_page = new_page()
    sign_in(member_page, MEMBER)
    member_page.wait_for_url("**/members/")
    check_page(member_page)
    member_page.goto("/coaching/")
    check_page(member_page)
    member_page.get_by_role("region", name="Mentorship days").get_by_role("link").click()
    check_page(member_page)
    second = day.replace(hour=10, minute=0).astimezone(ZoneInfo("America/New_York"))
    label = f"{second:%H:%M}–{second + timedelta(minutes=45):%H:%M}"
    member_page.get_by_label(label).check()
    member_page.get_by_label("What would you like to talk about?").fill("My first hire")
    member_page.get_by_role("button", name="Book this session").click()
    expect(member_page.get_by_text("Your session is booked.")).to_be_visible()
    check_page(member_page)
    booking = Booking.objects.get()
    assert booking.mentorship_day == planned

    coach_page.goto(f"/coaching/sessions/{booking.pk}/")
    coach_page.get_by_label("Action item", exact=True).fill("Draft the job description")
    coach_page.get_by_role("button", name="Add").click()
    expect(coach_page.get_by_text("Action item added.")).to_be_visible()
    coach_page.get_by_role("textbox", name="Your private notes").fill("Nervous about the budget")
    coach_page.get_by_role("button", name="Save notes").click()
    expect(coach_page.get_by_text("Your notes are saved.")).to_be_visible()
    check_page(coach_page)
    coach_page.get_by_role("link", name="Offer Mo Member a follow-up").click()
    check_page(coach_page)

    member_page.goto(f"/coaching/sessions/{booking.pk}/")
    check_page(member_page)
    expect(member_page.get_by_text("Draft the job description")).to_be_visible()
    expect(member_page.get_by_text("Nervous about the budget")).to_have_count(0)
    member_page.get_by_role("button", name="Mark done: Draft the job description").click()
    expect(member_page.get_by_text("Action item done.")).to_be_visible()
    expect(member_page.get_by_text("Done by you")).to_be_visible()
    check_page(member_page)
    member_page.goto("/coaching/sessions/")
    check_page(member_page)
    expect(member_page.get_by_text("Your record as a member:")).to_be_visible()


def test_a_coach_is_refused_a_change_that_would_drop_a_session_then_cancels_the_day(new_page):
    coach, member = people()
    profile = make_coach_profile(coach, timezone="Europe/Berlin")
    day = (datetime.now(UTC) + timedelta(days=5)).astimezone(ZoneInfo("Europe/Berlin")).date()
    planned = MentorshipDay.objects.create(
        coach=profile,
        timezone=profile.timezone,
        day=day,
        starts_at=time(9),
        ends_at=time(11),
        session_minutes=45,
        announced_at=datetime.now(UTC),
    )
    second = planned.slices()[1][0]
    booking = book_day_session(planned, member=member, starts_at=second, agenda="My first hire")

    coach_page = new_page()
    sign_in(coach_page, COACH)
    coach_page.wait_for_url("**/members/")
    check_page(coach_page)
    coach_page.goto(f"/coaching/days/{planned.pk}/")
    check_page(coach_page)
    coach_page.get_by_role("link", name="Change or cancel this day").click()
    check_page(coach_page)
    expect(coach_page.get_by_role("region", name="Booked sessions")).to_contain_text("Mo Member")
    coach_page.get_by_label("Title").fill("Hiring managers")
    coach_page.get_by_label("Each session (minutes)").select_option("60")
    coach_page.get_by_role("button", name="Save the changes").click()
    expect(coach_page.get_by_text("Mo Member, 10:00–10:45")).to_be_visible()
    check_page(coach_page)
    coach_page.get_by_label("Each session (minutes)").select_option("45")
    coach_page.get_by_role("button", name="Save the changes").click()
    expect(coach_page.get_by_role("heading", name="Hiring managers")).to_be_visible()
    check_page(coach_page)
    coach_page.get_by_role("link", name="Change or cancel this day").click()
    check_page(coach_page)
    coach_page.get_by_label("Why the day is cancelled").fill("I have to travel")
    coach_page.get_by_role("button", name="Cancel the day").click()
    expect(
        coach_page.get_by_text("Your mentorship day is cancelled, with its 1 booked")
    ).to_be_visible()
    check_page(coach_page)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED

    member_page = new_page()
    sign_in(member_page, MEMBER)
    member_page.wait_for_url("**/members/")
    check_page(member_page)
    member_page.goto(f"/coaching/sessions/{booking.pk}/")
    expect(member_page.get_by_text("Reason given: I have to travel")).to_be_visible()
    check_page(member_page)
