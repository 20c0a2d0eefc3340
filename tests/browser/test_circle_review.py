"""In a real browser, an organizer reviews a round: moves a person, locks a circle, re-runs."""

import pytest
from django.db import transaction
from playwright.sync_api import expect

from circles.models import CompositionRun
from circles.services import composition, review
from tests.browser.conftest import check_page
from tests.circles.people import round_with_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def composed_round(organizer):
    round = round_with_people(30)
    with transaction.atomic():  # the task runs in-process once this commits
        composition.start_composition(round, requested_by=organizer, time_limit=1)
    return round


def names_in(round, number: int) -> set[str]:
    members = review.current_members().filter(circle__round=round, circle__number=number)
    return set(members.values_list("signup__name", flat=True))


def test_an_organizer_moves_a_person_locks_a_circle_and_re_runs_keeping_the_lock(
    signed_in_page, organizer, composed_round, settings
):
    settings.CIRCLES_COMPOSITION_SECONDS = 1  # the re-run runs in-process, inside the request
    round = composed_round
    moved = sorted(names_in(round, 1))[0]
    target = min(range(2, round.circles.count() + 1), key=lambda n: len(names_in(round, n)))
    page = signed_in_page(organizer)
    page.goto(f"/organize/circles/{round.slug}/review/")
    expect(page.get_by_role("heading", name=f"Review: {round.name}")).to_be_visible()
    check_page(page)
    expect(
        page.get_by_role("img", name="Weekly availability heat map", exact=False)
    ).to_be_visible()

    move = page.locator("form", has=page.get_by_label(f"Move {moved} to"))
    move.get_by_label(f"Move {moved} to").select_option(str(target))
    move.get_by_role("button", name="Move").click()
    expect(page.get_by_text(f"Moved {moved}.")).to_be_visible()
    check_page(page)
    expect(page.locator(f"#circle-{target}").get_by_role("rowheader", name=moved)).to_be_visible()

    page.get_by_role("button", name="Lock Circle 1", exact=True).click()
    expect(page.locator("#circle-1").get_by_text("Locked", exact=True)).to_be_visible()
    check_page(page)
    locked_members = names_in(round, 1)

    page.get_by_role("button", name="Re-run for everything not locked").click()
    expect(page.get_by_text("The last composition placed")).to_be_visible()
    check_page(page)

    assert names_in(round, 1) == locked_members
    assert moved in names_in(round, target)  # moved by hand, so locked where it was put
    expect(page.locator("#circle-1").get_by_text("Locked", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Unlock Circle 1")).to_be_visible()
    history = page.locator("#history")
    expect(history.get_by_text(f"moved {moved} from Circle 1 to Circle {target}")).to_be_visible()
    expect(history.get_by_text("locked Circle 1")).to_be_visible()


def test_the_progress_bar_follows_a_running_composition_and_the_page_reloads_when_done(
    signed_in_page, organizer, composed_round
):
    run = CompositionRun.objects.create(
        round=composed_round, requested_by=organizer, status=CompositionRun.Status.RUNNING
    )
    page = signed_in_page(organizer)
    page.goto(f"/organize/circles/{composed_round.slug}/review/")
    bar = page.locator("progress#composition-progress")
    expect(bar).to_have_attribute("value", "0")
    check_page(page)

    CompositionRun.objects.filter(pk=run.pk).update(progress=60)
    expect(page.get_by_text("Running: 60%")).to_be_visible()
    assert bar.evaluate("element => element.value") == 60

    CompositionRun.objects.filter(pk=run.pk).update(
        status=CompositionRun.Status.CANCELLED, progress=60
    )
    expect(page.get_by_text("was cancelled; the circles stayed as they were")).to_be_visible()
    expect(page.locator("progress#composition-progress")).to_have_count(0)
    check_page(page)
