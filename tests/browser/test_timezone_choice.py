"""In a real browser, the timezone choice starts at the browser's own zone until one is chosen."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from community.models import User
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_in_zone(browser, live_server):
    """`page_in_zone(user, zone)`: a tab signed in as `user` in a browser set to `zone`."""
    contexts = []

    def open_page(user: User, zone: str):
        client = Client()
        client.force_login(user)
        context = browser.new_context(base_url=live_server.url, timezone_id=zone)
        cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value}
        context.add_cookies([{**cookie, "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    "browser_zone, preselected",
    [
        ("Europe/Lisbon", "Europe/Lisbon"),
        # Chromium still names India's zone Asia/Calcutta; it is offered by its current name.
        ("Asia/Calcutta", "Asia/Kolkata"),
    ],
)
def test_a_newcomer_finds_their_browsers_timezone_already_chosen(
    page_in_zone, browser_zone, preselected
):
    newcomer = make_user("nina.newcomer@example.com", name="Nina Newcomer")
    page = page_in_zone(newcomer, browser_zone)

    page.goto("/apply/")

    expect(page.get_by_label("Timezone")).to_have_value(preselected)


def test_a_timezone_already_chosen_is_never_replaced_by_the_browsers(page_in_zone):
    newcomer = make_user("nina.newcomer@example.com", name="Nina Newcomer")
    User.objects.filter(pk=newcomer.pk).update(timezone="America/New_York")
    page = page_in_zone(newcomer, "Asia/Tokyo")

    page.goto("/apply/")

    expect(page.get_by_label("Timezone")).to_have_value("America/New_York")
