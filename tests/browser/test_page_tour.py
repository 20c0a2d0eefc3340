"""Every page a person can open without a form journey, checked in Chromium for accessibility and
the Content-Security-Policy: the organizers' circle pages, the account page, the refusal pages."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from circles.models import ImportBatch
from circles.services import import_apply
from circles.services.imports import start_import
from tests.browser.conftest import check_page
from tests.circles.people import round_with_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).parent.parent / "circles" / "data" / "circle-signups-200.jsonl"
CSV = b"Full name,Email,Where,Days free\nAda Lovelace,ada@example.com,London,Tue 18:00-20:00\n"


def tour(page, paths: list[str], *, status: int = 200) -> None:
    for path in paths:
        response = page.goto(path)
        assert response.status == status, path
        check_page(page)


def test_the_organizers_circle_pages_pass_the_checks(signed_in_page, organizer):
    round = round_with_people(8)
    lines = SAMPLE.read_text().splitlines()[:20]
    jsonl = start_import(
        round, file_name="sign-ups.jsonl", content="\n".join(lines).encode(), uploaded_by=organizer
    )
    csv = start_import(round, file_name="sheet.csv", content=CSV, uploaded_by=organizer)
    assert csv.needs_mapping and jsonl.status == ImportBatch.Status.PENDING
    signup = round.signups.first()
    base = f"/organize/circles/{round.slug}"

    tour(
        signed_in_page(organizer),
        [
            "/organize/circles/",
            "/organize/circles/new/",
            f"{base}/",
            f"{base}/edit/",
            f"{base}/import/",
            f"{base}/import/{csv.pk}/columns/",
            f"{base}/import/{jsonl.pk}/",
            f"{base}/sign-ups/{signup.pk}/",
            "/account/",
        ],
    )


def test_an_import_being_applied_shows_its_progress_and_the_page_reloads_when_done(
    signed_in_page, organizer
):
    round = round_with_people(0)
    lines = SAMPLE.read_text().splitlines()[:20]
    batch = start_import(
        round, file_name="sign-ups.jsonl", content="\n".join(lines).encode(), uploaded_by=organizer
    )
    import_apply.queue_apply(
        batch, applied_by=organizer
    )  # what "Apply" does, before a worker runs it
    page = signed_in_page(organizer)
    tour(page, [f"/organize/circles/{round.slug}/import/{batch.pk}/"])
    expect(page.get_by_text("Waiting for a worker…")).to_be_visible()
    expect(page.locator("progress#import-progress")).to_be_visible()

    import_apply.run_apply(batch.pk)

    expect(page.get_by_text("This import is applied: 20 new sign-ups")).to_be_visible(
        timeout=10_000
    )
    check_page(page)


def test_the_members_circle_and_account_pages_pass_the_checks(signed_in_page, member):
    round_with_people(0)
    tour(signed_in_page(member), ["/circles/", "/account/"])


def test_the_refusal_and_not_found_pages_pass_the_checks(signed_in_page, member):
    page = signed_in_page(member)
    tour(page, ["/organize/circles/"], status=403)
    tour(page, ["/no-such-page/"], status=404)


def test_the_sign_up_and_password_reset_pages_pass_the_checks(signed_in_page, db):
    tour(signed_in_page(None), ["/accounts/signup/", "/accounts/password/reset/"])
