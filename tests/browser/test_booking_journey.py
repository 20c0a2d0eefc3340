"""Coaching in a real browser: a coach opens a weekly window, a member an ocean away books it in
their own time, moves it, and the coach sees the move; once the session is near, the member is
told why they can no longer move or cancel it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from community.models import User
from mentoring.models import Booking
from tests.browser.conftest import check_page, sign_in
from tests.conftest import make_member, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COACH, MEMBER = "carla.coach@example.com", "mo.member@example.com"


def people():
    coach = make_user(COACH, name="Carla Coach", groups=[User.COACHES])
    make_member(coach)
    coach.timezone = "Europe/Berlin"
    coach.save(update_fields=["timezone"])
    member = make_user(MEMBER, name="Mo Member")
    make_member(member)
    member.timezone = "America/New_York"
    member.save(update_fields=["timezone"])
    return coach, member


def next_weekday_in_berlin(days_ahead: int = 3) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days_ahead)).astimezone(ZoneInfo("Europe/Berlin"))


def test_a_coach_opens_a_window_and_a_member_in_another_timezone_books_and_moves_it(new_page):
    coach, member = people()
    day = next_weekday_in_berlin()

    coach_page = new_page()
    sign_in(coach_page, COACH)
    coach_page.wait_for_url("**/members/")
    check_page(coach_page)
    coach_page.goto("/coaching/availability/")
    check_page(coach_page)
    coach_page.get_by_label("Weekday").select_option(str(day.weekday()))
    coach_page.get_by_label("From").first.fill("18:00")
    coach_page.get_by_label("Until").first.fill("20:00")
    coach_page.get_by_role("button", name="Add window").click()
    expect(coach_page.get_by_text("Saved.")).to_be_visible()
    check_page(coach_page)
    expect(coach_page.locator(".week-day").nth(day.weekday())).to_contain_text("18:00–20:00")

    member_page = new_page()
    sign_in(member_page, MEMBER)
    member_page.wait_for_url("**/members/")
    check_page(member_page)
    member_page.goto("/coaching/")
    check_page(member_page)
    member_page.get_by_role("link", name="Carla Coach").first.click()
    check_page(member_page)
    expect(member_page.get_by_text("America/New_York")).to_be_visible()
    # 18:00 in Berlin is noon or 13:00 in New York, depending on the season on each side.
    local = day.replace(hour=18, minute=0).astimezone(ZoneInfo("America/New_York"))
    day_section = member_page.get_by_role("region", name=local.strftime("%A %-d %B"))
    day_section.get_by_role("link", name=local.strftime("%H:%M")).click()
    check_page(member_page)
    member_page.get_by_label("What would you like to talk about?").fill("Growing my leads")
    member_page.get_by_role("button", name="Book").click()
    expect(member_page.get_by_text("Your session is booked.")).to_be_visible()
    check_page(member_page)
    expect(member_page.locator(".session-time")).to_contain_text(local.strftime("%H:%M"))

    member_page.get_by_role("button", name="Move", exact=True).click()
    check_page(member_page)
    later = local + timedelta(minutes=30)
    member_page.get_by_role("group", name=local.strftime("%A %-d %B")).get_by_label(
        later.strftime("%H:%M")
    ).check()
    member_page.get_by_role("button", name="Move to this time").click()
    expect(member_page.get_by_text("The session has moved.")).to_be_visible()
    check_page(member_page)

    booking = Booking.objects.get()
    assert booking.sequence == 1
    coach_page.goto(f"/coaching/sessions/{booking.pk}/")
    check_page(coach_page)
    expect(coach_page.locator(".session-time")).to_contain_text("18:30")
    expect(coach_page.get_by_text("moved from")).to_contain_text("18:00")

    # Hours before the start, inside the notice window, the page explains instead of offering.
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=5)
    length = booking.ends_at - booking.starts_at
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=soon, ends_at=soon + length, blocked_from=soon, blocked_until=soon + length
    )
    member_page.goto(f"/coaching/sessions/{booking.pk}/")
    expect(member_page.get_by_role("note")).to_contain_text(
        "so it can no longer be moved or cancelled here. Write to Carla Coach"
    )
    expect(member_page.get_by_role("button", name="Move", exact=True)).to_have_count(0)
    expect(member_page.get_by_role("button", name="Cancel the session")).to_have_count(0)
    check_page(member_page)
