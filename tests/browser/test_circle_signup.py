"""In a real browser, a member signs up to a round by dragging across the availability grid."""

import pytest
from playwright.sync_api import expect

from circles.models import SignUp
from tests.browser.conftest import check_page
from tests.circles.factories import make_round
from tests.conftest import make_member, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member_page(signed_in_page):
    user = make_user("maya@example.com", name="Maya Member")
    make_member(user)
    return signed_in_page(user)


def cell(page, label: str):
    return page.get_by_label(label, exact=True)


def test_a_member_drags_across_the_grid_to_tick_a_window_and_signs_up(member_page):
    round = make_round()
    page = member_page
    page.goto(f"/circles/{round.slug}/sign-up/")
    check_page(page)
    page.get_by_label("In person").check()
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Meeting area").fill("Kreuzberg")
    page.get_by_label("Timezone").select_option("Europe/Berlin")
    first, last = cell(page, "Monday 18:00–18:30"), cell(page, "Monday 19:00–19:30")
    first.scroll_into_view_if_needed()
    start, end = first.bounding_box(), last.bounding_box()
    page.mouse.move(start["x"] + 4, start["y"] + 4)
    page.mouse.down()
    page.mouse.move(end["x"] + 4, end["y"] + 4, steps=8)
    page.mouse.up()
    expect(cell(page, "Monday 18:30–19:00")).to_be_checked()
    cell(page, "Tuesday 07:30–08:00").press("Space")  # the keyboard ticks one at a time
    expect(cell(page, "Tuesday 07:30–08:00")).to_be_checked()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("You are signed up", exact=False).first).to_be_visible()
    check_page(page)
    signup = SignUp.objects.get(round=round)
    assert signup.raw["availability"] == [
        {"day": "Mon", "start": "18:00", "end": "19:30"},
        {"day": "Tue", "start": "07:30", "end": "08:00"},
    ]
    assert signup.timezone == "Europe/Berlin" and signup.place_city == "Berlin"
