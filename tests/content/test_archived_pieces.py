"""Old links to an archived piece: a page that says so, with its title and nothing else of it."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from content.models import Article
from content.services.articles import archive_article
from tests.content.factories import make_article, make_members_article


def test_an_archived_pieces_address_says_it_was_archived_and_links_to_the_library(client, db):
    article = make_article("Hiring your first manager")
    archive_article(article, by=None)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    page = response.content.decode()
    assert "<h1>Hiring your first manager</h1>" in page
    assert "This piece has been archived" in page and 'href="/library/"' in page


def test_an_outsider_learns_only_the_title_of_an_archived_members_only_piece(client, outsider):
    article = make_members_article("Handling a redundancy round")
    archive_article(article, by=None)
    client.force_login(outsider)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Handling a redundancy round" in page
    for secret in [article.summary, "The first paragraph", "MEMBERS-ONLY", "Grace Guest"]:
        assert secret not in page


def test_a_piece_archived_before_it_was_ever_out_is_not_found(client, db):
    draft = make_article("Never out", published_days_ago=None)
    archive_article(draft, by=None)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_scheduled_piece_archived_before_its_time_stays_unknown_after_it(client, db):
    later = timezone.now() + timedelta(days=3)
    article = make_members_article("Pulled", state=Article.State.SCHEDULED, publish_at=later)
    archive_article(article, by=None)
    with time_machine.travel(later + timedelta(days=1)):
        assert client.get(article.get_absolute_url()).status_code == 404
    article.refresh_from_db()
    assert article.state == Article.State.ARCHIVED and article.publish_at is None


def test_unpublished_pieces_are_still_not_found(client, db):
    later = timezone.now() + timedelta(days=3)
    pieces = [
        make_article("A draft", published_days_ago=None),
        make_article("In review", state=Article.State.IN_REVIEW, published_days_ago=None),
        make_article("Later", state=Article.State.SCHEDULED, publish_at=later),
    ]
    for article in pieces:
        assert client.get(article.get_absolute_url()).status_code == 404
