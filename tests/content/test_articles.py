"""Saving, scheduling and publishing articles; their cover images."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from content.models import Article
from content.services import articles as service
from content.tasks import publish_due_articles
from tests.conftest import make_user
from tests.content.factories import make_article, make_webinar

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def png(width: int, height: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def test_saving_stores_the_sanitised_html_the_teaser_and_the_reading_time(db):
    body = "First **bold** paragraph.\n\n" + "word " * 700
    article = make_article(body_markdown=body)
    assert article.teaser_html == "<p>First <strong>bold</strong> paragraph.</p>"
    assert article.body_html.startswith("<p>First <strong>bold</strong> paragraph.</p>")
    assert article.reading_minutes == 4  # 703 words at 220 a minute
    assert article.slug == "hiring-your-first-engineering-manager"


def test_a_second_article_with_the_same_title_gets_its_own_slug(db):
    make_article()
    assert make_article().slug == "hiring-your-first-engineering-manager-2"


@pytest.mark.parametrize(
    ("titles", "slugs"),
    [
        (["Руководство по найму", "採用ガイド"], ["article", "article-2"]),
        (["採用ガイド 2024", "Руководство по найму: Q&A"], ["article", "article-2"]),
        (["Hiring in 東京", "Café culture"], ["hiring-in", "cafe-culture"]),
    ],
)
def test_a_title_in_another_script_gets_a_readable_address_not_its_leftovers(db, titles, slugs):
    articles = [make_article(title) for title in titles]
    assert [article.slug for article in articles] == slugs


def test_a_webinar_and_an_author_named_in_another_script_get_readable_addresses(db):
    assert make_webinar("採用ガイド 2024").slug == "webinar"
    user = make_user("ivan@example.com", name="Иван Петров 2")
    assert service.author_for(user).slug == "author"


@time_machine.travel(NOON, tick=False)
def test_a_scheduled_article_appears_at_its_time_and_not_before(db, client):
    article = make_article(published_days_ago=None)
    service.schedule_article(article, by=None, publish_at=NOON + timedelta(hours=1))
    assert Article.objects.get(pk=article.pk).state == Article.State.SCHEDULED
    assert not Article.objects.published().exists()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get("/library/").content.decode()
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert article.title in client.get("/library/").content.decode()


@time_machine.travel(NOON, tick=False)
def test_the_beat_task_publishes_due_articles_once(db):
    due = make_article("Due", published_days_ago=None)
    later = make_article("Later", published_days_ago=None)
    service.schedule_article(due, by=None, publish_at=NOON + timedelta(minutes=5))
    service.schedule_article(later, by=None, publish_at=NOON + timedelta(days=1))
    assert publish_due_articles.delay().get() == 0
    with time_machine.travel(NOON + timedelta(minutes=6), tick=False):
        assert publish_due_articles.delay().get() == 1
        assert publish_due_articles.delay().get() == 0
    states = dict(Article.objects.values_list("title", "state"))
    assert states == {"Due": Article.State.PUBLISHED, "Later": Article.State.SCHEDULED}


@time_machine.travel(NOON, tick=False)
def test_scheduling_without_a_time_or_for_the_past_publishes_at_once(db):
    article = service.schedule_article(make_article(published_days_ago=None), by=None)
    assert (article.state, article.publish_at) == (Article.State.PUBLISHED, NOON)


def test_an_empty_article_cannot_be_published(db):
    article = make_article(published_days_ago=None, body_markdown="")
    with pytest.raises(ValidationError, match="needs a body"):
        service.schedule_article(article, by=None)


def test_the_database_refuses_a_published_article_without_a_time(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Article.objects.create(title="x", slug="x", summary="x", state=Article.State.PUBLISHED)


def test_a_wide_cover_is_scaled_down_and_re_encoded(db, settings):
    settings.CONTENT_COVER_MAX_WIDTH = 800
    article = make_article(published_days_ago=None)
    article.cover_alt = "A teal square"
    service.save_article(article, saved_by=None, cover_upload=png(2400, 1200))
    with Image.open(article.cover.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (800, 400))


def test_a_cover_needs_a_description(db):
    article = make_article(published_days_ago=None)
    with pytest.raises(ValidationError, match="Describe the cover"):
        service.save_article(article, saved_by=None, cover_upload=png(100, 100))


def test_a_file_that_is_not_an_image_is_refused_as_a_cover(db):
    article = make_article(published_days_ago=None)
    article.cover_alt = "Nothing"
    fake = SimpleUploadedFile("cover.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError, match="not an image"):
        service.save_article(article, saved_by=None, cover_upload=fake)


def test_a_drafts_address_follows_its_title_until_it_is_published(db):
    draft = make_article("Untitled", published_days_ago=None)
    draft.title = "Conflict between two leads"
    service.save_article(draft, saved_by=None)
    assert draft.slug == "conflict-between-two-leads"
    published = service.schedule_article(draft, by=None)
    published.title = "Conflict between two tech leads"
    service.save_article(published, saved_by=None)
    assert published.slug == "conflict-between-two-leads"  # links to it keep working
