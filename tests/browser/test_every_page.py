"""Every page of the URL table that a persona may open, opened in Chromium as that persona and put
through the accessibility and content-security checks."""

import pytest
from django.db import IntegrityError, transaction

from tests import test_urls
from tests.browser.conftest import check_page
from tests.test_urls import OUR_ROUTES, PATHS, PERSONAS, TABLE, sample_path

world = test_urls.world  # the URL table's fixture: personas and the objects its pages need

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages whose sample objects clash with other pages' in one database: each gets a database of its own.
ON_THEIR_OWN = {
    "circles:round_review",
    "circles:composition_progress",
    "circles:circle_calendar",
    "circles:meeting_move",
    "circles:series_cancel",
    "circles:circle_health",
    "circles:send_invitations",
    "mentoring:group_detail",
    "mentoring:group_calendar",
}


def path_of(world, name: str) -> str:
    return PATHS[name](world) if name in PATHS else sample_path(OUR_ROUTES[name])


def open_and_check(page, name: str, path: str) -> bool:
    """Open the page in the tab and check it; False when it is not HTML (a calendar, a feed...)."""
    if "text/html" not in (page.request.get(path).headers.get("content-type") or ""):
        return False
    response = page.goto(path)
    assert response.status == 200, f"{name}: {path} answered {response.status}"
    check_page(page)
    return True


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_a_persona_may_open_passes_the_accessibility_checks(
    persona, world, signed_in_page
):
    column = PERSONAS.index(persona)
    page = signed_in_page(world(persona))
    opened = []
    for name, row in TABLE.items():
        if row[column] != 200 or name in ON_THEIR_OWN:
            continue
        try:
            with transaction.atomic():  # committed before the page is opened: the server sees it
                path = path_of(world, name)
        except IntegrityError:
            pytest.fail(
                f"{name}'s sample objects clash with another page's: add it to ON_THEIR_OWN"
            )
        opened += [name] if open_and_check(page, name, path) else []
    assert opened, f"{persona} opened no page"


@pytest.mark.parametrize(
    "name, persona",
    [
        (name, persona)
        for name in sorted(ON_THEIR_OWN)
        for column, persona in enumerate(PERSONAS)
        if TABLE[name][column] == 200
    ],
    ids=lambda value: value,
)
def test_the_pages_built_on_their_own_pass_the_accessibility_checks(
    name, persona, world, signed_in_page
):
    page = signed_in_page(world(persona))
    open_and_check(page, name, path_of(world, name))
