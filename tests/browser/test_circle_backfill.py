"""In a real browser, an organizer fills a declined place in a circle with one click."""

import pytest
from playwright.sync_api import expect

from circles.models import CircleMember
from circles.services import backfills
from tests.browser.conftest import check_page
from tests.circles.circle_life import circle_of, decline, running_round, with_channel
from tests.circles.people import sign_up_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_organizer_confirms_a_backfill_on_the_circle_page(signed_in_page, organizer):
    round = running_round()
    circle = circle_of(round, 8)
    candidate = sign_up_people(round, 1, start=100)[0]
    vacancy = decline(circle.members.first())
    backfills.open_vacancy(vacancy)
    page = signed_in_page(organizer)

    page.goto(f"/organize/circles/{round.slug}/")
    check_page(page)
    page.get_by_role("link", name="Circle 1").click()
    expect(page.get_by_role("heading", name="Places to fill")).to_be_visible()
    check_page(page)
    place = page.get_by_role("article", name=f"The place of {vacancy.signup}")
    expect(place.get_by_text("Keeps every rule of the round")).to_be_visible()

    place.get_by_role("button", name=f"Invite {candidate}").click()

    expect(page.get_by_text(f"Invited {candidate} to Circle 1.")).to_be_visible()
    check_page(page)
    members = page.get_by_role("table")
    expect(members.get_by_role("rowheader", name=str(candidate))).to_be_visible()
    expect(members.get_by_role("row", name=str(candidate)).get_by_text("Invited")).to_be_visible()
    assert circle.members.get(signup=candidate).status == CircleMember.Status.INVITED
    expect(page.locator("#history").get_by_text(f"invited {candidate} in place of")).to_be_visible()


def test_a_member_leaves_their_circle_and_the_organizer_sees_the_place_to_fill(
    signed_in_page, organizer
):
    round = running_round()
    circle = circle_of(round, 8)
    leaver = circle.members.first()
    (user,) = with_channel(circle, members=[leaver])
    page = signed_in_page(user)

    page.goto(f"/circles/c/{circle.pk}/leave/")
    check_page(page)
    page.get_by_role("button", name="Leave Circle 1").click()

    expect(page.get_by_text("You have left Circle 1.")).to_be_visible()
    check_page(page)
    assert circle.members.get(pk=leaver.pk).status == CircleMember.Status.LEFT
    organizer_page = signed_in_page(organizer)
    organizer_page.goto(f"/organize/circles/{round.slug}/circles/{circle.pk}/")
    check_page(organizer_page)
    place = organizer_page.get_by_role("article", name=f"The place of {leaver.signup}")
    expect(place.get_by_text("Nobody on the waitlist fits.")).to_be_visible()
    expect(
        place.get_by_role("button", name=f"Look again for the place of {leaver.signup}")
    ).to_be_visible()
