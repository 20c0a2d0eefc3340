"""In a real browser, an organizer reads the circles dashboard and follows a number to its people."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.circles.factories import make_round
from tests.circles.life import active_circle, fortnightly
from tests.circles.people import sign_up_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organizer_page(signed_in_page, organizer):
    return signed_in_page(organizer)


def test_an_organizer_reads_the_dashboard_and_opens_the_people_behind_a_number(organizer_page):
    round = make_round(status="running", name="Spring circles")
    circle, members = active_circle(round, 5)
    fortnightly(circle, members, [5, 2, 1])
    sign_up_people(
        round,
        3,
        start=500,
        place_name="London: Shoreditch",
        place_latitude=51.52,
        place_longitude=-0.08,
        place_city="London",
    )
    page = organizer_page

    page.goto("/organize/circles/dashboard/")
    expect(page.get_by_role("heading", name="Circles dashboard")).to_be_visible()
    check_page(page)
    expect(page.get_by_text("Only 5 members left (5 or fewer).").first).to_be_visible()
    expect(
        page.get_by_role("img", name="Weekly availability heat map", exact=False)
    ).to_be_visible()

    page.locator(".week-heatmap rect[data-href]").first.click()  # 18:00 UTC, when all 8 are free
    expect(page.get_by_role("heading", name="Signed up")).to_be_visible()
    check_page(page)
    expect(page.get_by_text("8 people")).to_be_visible()
    expect(page.get_by_text("free Tue 18:00–18:30 (your time)")).to_be_visible()
    page.go_back()

    page.get_by_role("link", name="8 signed up in Spring circles: see who").click()
    expect(page.get_by_role("heading", name="Signed up")).to_be_visible()
    check_page(page)
    expect(page.get_by_text("8 people")).to_be_visible()

    page.goto(f"/organize/circles/{round.slug}/circles/{circle.pk}/health/")
    check_page(page)
    expect(page.get_by_role("img", name="Share of members who came", exact=False)).to_be_visible()
