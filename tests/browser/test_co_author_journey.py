"""In Chromium: a member co-author finds the draft they write with another member on their
writing page, changes it, and submits it for review."""

import pytest
from playwright.sync_api import expect

from content.models import Article
from content.services.articles import author_for
from tests.browser.conftest import check_page
from tests.conftest import make_member, make_user
from tests.content.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_co_author_changes_and_submits_the_draft_they_write_with_another_member(
    signed_in_page,
):
    maya = make_user("maya@example.com", name="Maya Member")
    make_member(maya)
    colin = make_user("colin@example.com", name="Colin Cowriter")
    make_member(colin, company="Cowriting Co")
    draft = make_article(
        "Two leads who stopped talking",
        published_days_ago=None,
        authors=[author_for(maya), author_for(colin)],
        created_by=maya,
    )

    page = signed_in_page(colin)
    page.goto("/write/")
    check_page(page)
    expect(page.get_by_role("link", name="Draft (1)")).to_be_visible()
    page.get_by_role("link", name="Two leads who stopped talking").click()
    check_page(page)
    expect(page.locator(".piece-state")).to_contain_text("Draft")
    page.get_by_label("Body (Markdown)").fill("What we tried first.\n\nWhat finally worked.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Sent to the editors for review.")).to_be_visible()
    expect(page.locator(".piece-state")).to_contain_text("In review")
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    check_page(page)
    draft.refresh_from_db()
    assert draft.state == Article.State.IN_REVIEW and draft.created_by == maya
    assert draft.body_markdown.splitlines() == ["What we tried first.", "", "What finally worked."]
