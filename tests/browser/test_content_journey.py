"""In Chromium: an editor writes an article with a cover and schedules it; once its time comes a
member finds it by search and reads it; an outsider sees only its teaser."""

import io
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from community.models import User
from content.models import Article
from content.services.articles import archive_article, publish_due_articles
from tests.browser.conftest import check_page
from tests.conftest import make_member, make_user
from tests.content.factories import make_article, make_topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_YORK = ZoneInfo("America/New_York")
BODY = (
    "We ran our first offsite with twelve engineering managers.\n\n"
    "## What worked\n\n- A shared agenda written a week ahead\n- Walking one-to-ones\n\n"
    "The secret ingredient was PINEAPPLE-CONFERENCE-NOTES, kept for members.\n\n"
    "<script>document.title = 'owned'</script>"
)

OUTSIDE_IMAGE = "![The agenda board](https://images.example.com/board.png)"


def cover_png() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (1800, 900), "navy").save(buffer, format="PNG")
    return {"name": "cover.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def write_and_schedule(page, publish_at) -> Article:
    page.goto("/write/new/")
    check_page(page)
    page.get_by_label("Title").fill("Running a team offsite")
    page.get_by_label("Summary").fill(
        "Two days away with twelve managers, and what we would repeat."
    )
    notice = page.get_by_text("Images from other sites are shown as links to them")
    preview = page.locator("[data-markdown-preview]")
    page.get_by_label("Body (Markdown)").fill(BODY + "\n\n" + OUTSIDE_IMAGE)
    expect(notice).to_be_visible()
    expect(preview.get_by_role("link", name="The agenda board")).to_be_visible()
    page.get_by_label("Body (Markdown)").fill(BODY)
    expect(notice).to_be_hidden()
    expect(preview.get_by_role("heading", name="What worked")).to_be_visible()
    expect(preview).to_contain_text("<script>")  # shown as text, never run
    page.get_by_label("Image", exact=True).set_input_files(cover_png())
    page.get_by_label("Image description").fill("The offsite agenda on a wall")
    page.get_by_role("button", name="Upload and insert").click()
    expect(page.get_by_text("Image added to the text.")).to_be_visible()
    expect(preview.get_by_role("img", name="The offsite agenda on a wall")).to_be_visible()
    page.get_by_label("Cover image").set_input_files(cover_png())
    page.get_by_label("Cover description").fill("Twelve people around a whiteboard")
    page.get_by_label("Visibility").select_option("members")
    page.get_by_label("Hiring").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    check_page(page)
    expect(page.get_by_role("img", name="Twelve people around a whiteboard")).to_be_visible()
    local = publish_at.astimezone(NEW_YORK)
    page.get_by_label("Publish at").fill(local.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Scheduled.")).to_be_visible()
    expect(page.locator(".piece-state")).to_contain_text(local.strftime("%H:%M"))
    expect(page.locator(".piece-state")).to_contain_text("America/New_York")
    check_page(page)
    return Article.objects.get()


def test_an_article_goes_from_the_editor_to_a_member_and_only_its_teaser_to_an_outsider(
    new_page, signed_in_page
):
    editor = make_user("edith@example.com", name="Edith Editor", groups=[User.EDITORS])
    make_member(editor, company="Editorial Co")
    User.objects.filter(pk=editor.pk).update(timezone="America/New_York")
    editor.refresh_from_db()
    reader = make_user("maya@example.com", name="Maya Member")
    make_member(reader)
    make_topic("Hiring")

    publish_at = (timezone.now() + timedelta(minutes=10)).replace(second=0, microsecond=0)
    article = write_and_schedule(signed_in_page(editor), publish_at)
    assert article.state == Article.State.SCHEDULED and article.publish_at == publish_at
    assert article.cover.name.endswith(".jpg")

    member = signed_in_page(reader)
    member.goto("/library/search/?q=offsites")
    check_page(member)
    expect(member.get_by_text("Nothing matches")).to_be_visible()  # not before its time

    # Its time comes: the clock reaches publish_at, and beat's task publishes it.
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert publish_due_articles() == 1

    member.goto("/library/?type=podcast")  # an old link to a kind of piece we do not have
    check_page(member)
    expect(member.get_by_text("was not recognised, so every type is shown")).to_be_visible()
    member.goto("/library/")
    check_page(member)
    member.get_by_role("searchbox", name="Search the library").fill("offsites")
    member.get_by_role("button", name="Search", exact=True).click()
    check_page(member)
    member.get_by_role("link", name="Running a team offsite").click()
    check_page(member)
    expect(member.get_by_text("PINEAPPLE-CONFERENCE-NOTES", exact=False)).to_be_visible()
    expect(member.get_by_role("heading", name="What worked")).to_be_visible()
    expect(member.get_by_role("img", name="The offsite agenda on a wall")).to_be_visible()
    assert member.title() != "owned"

    outsider = new_page()
    outsider.goto(article.get_absolute_url())
    check_page(outsider)
    expect(
        outsider.get_by_text("We ran our first offsite with twelve engineering managers.")
    ).to_be_visible()
    expect(
        outsider.get_by_role("heading", name="The rest of this article is for members")
    ).to_be_visible()
    assert "PINEAPPLE-CONFERENCE-NOTES" not in outsider.content()
    assert "What worked" not in outsider.content()


def test_the_kinds_of_search_result_read_as_one_line_above_the_results(new_page):
    make_article("Noticing burnout before it is too late", topics=[make_topic("Burnout")])
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/library/search/?q=burnout")
    check_page(page)
    kinds = page.get_by_role("navigation", name="Kinds of result")
    everything = kinds.get_by_role("link", name="Everything").bounding_box()
    articles = kinds.get_by_role("link", name="Articles").bounding_box()
    # Side by side, a separator apart, not spread over the width of the page.
    assert articles["x"] - (everything["x"] + everything["width"]) < 40
    result = page.get_by_role("link", name="Noticing burnout before it is too late").bounding_box()
    nav = kinds.bounding_box()
    assert result["y"] - (nav["y"] + nav["height"]) > 12


def test_an_image_upload_that_fails_on_the_way_says_so_instead_of_uploading_forever(
    signed_in_page,
):
    writer = make_user("maya@example.com", name="Maya Member")
    make_member(writer)
    page = signed_in_page(writer)
    page.goto("/write/new/")
    check_page(page)
    page.get_by_label("Image", exact=True).set_input_files(cover_png())
    page.get_by_label("Image description").fill("A chart of the quarter")
    page.context.clear_cookies()  # signed out meanwhile: in another tab, or the session ran out
    page.get_by_role("button", name="Upload and insert").click()
    expect(page.get_by_text("The image could not be uploaded.")).to_be_visible()


def test_a_wide_table_in_an_article_scrolls_by_itself_on_a_phone(new_page):
    row = " | ".join(["some long cell text here"] * 6)
    table = "| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n| " + row + " |"
    article = make_article("Comparing vendors", body_markdown=f"Six of them.\n\n{table}")
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(article.get_absolute_url())
    check_page(page)
    expect(page.get_by_role("cell", name="some long cell text here").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_long_line_of_code_in_an_article_can_be_read_on_a_phone(new_page):
    code = "kubectl rollout restart deployment/" + "payments-" * 12 + "api --namespace=production"
    article = make_article("Restarting a service", body_markdown=f"Run:\n\n```\n{code}\n```")
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(article.get_absolute_url())
    check_page(page)  # a region that scrolls must take the keyboard's focus; this one wraps
    expect(page.get_by_text("--namespace=production")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_old_link_to_an_archived_piece_says_so_and_leads_back_to_the_library(new_page):
    article = make_article("Choosing a cloud vendor")
    archive_article(article, by=None)
    page = new_page()
    response = page.goto(article.get_absolute_url())
    assert response.status == 410
    check_page(page)
    expect(page.get_by_role("heading", name="Choosing a cloud vendor")).to_be_visible()
    page.get_by_role("button", name="Browse the library").click()
    expect(page).to_have_url(re.compile(r"/library/$"))
    check_page(page)
