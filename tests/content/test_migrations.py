"""Data migrations of content: what they do to the pieces already written."""

import pytest
from django.utils import timezone

from content.models import Article, Author, Webinar
from content.search import search_articles
from tests.conftest import migrate_to_latest

BODY = "# Background\n\n![The funnel](https://images.example.com/funnel.png) in short."


@pytest.fixture
def before(models_before):
    """The content models as they were before one of its migrations, and a way to run it."""
    return (lambda name: models_before("content", name)), migrate_to_latest


def test_pieces_written_before_are_stored_with_shifted_headings_and_outside_images_as_links(
    before,
):
    models_before, migrate = before
    old = models_before("0005_render_bodies_again")
    old_html = '<h1>Background</h1>\n<p><img src="https://images.example.com/funnel.png"></p>'
    old.get_model("content", "Article").objects.create(
        title="Old piece", slug="old-piece", summary="Old.", body_markdown=BODY,
        body_html=old_html, body_text="Background in short.", state="published",
        publish_at=timezone.now(), visibility="public",
    )  # fmt: skip
    old.get_model("content", "Webinar").objects.create(
        title="Old webinar", slug="old-webinar", summary="Old.", description_markdown=BODY,
        description_html=old_html, starts_at=timezone.now(), ends_at=timezone.now(),
        duration_minutes=60, capacity=10,
    )  # fmt: skip

    migrate()

    article = Article.objects.get()
    assert article.body_html.startswith("<h2>Background</h2>")
    assert "<img" not in article.body_html and ">The funnel</a>" in article.body_html
    assert "The funnel" in article.body_text
    assert list(search_articles("funnel", user=None)) == [article]
    assert Webinar.objects.get().description_html == article.body_html


def test_authors_who_left_before_have_their_bio_cleared(before):
    models_before, migrate = before
    old = models_before("0007_clear_former_members_bios").get_model("content", "Author")
    old.objects.create(name="Former", slug="former", bio="Lives in Leeds.", former_member=True)
    old.objects.create(name="Grace Guest", slug="grace", bio="Recruiter for twenty years.")

    migrate()

    assert dict(Author.objects.values_list("name", "bio")) == {
        "Former": "",
        "Grace Guest": "Recruiter for twenty years.",
    }
