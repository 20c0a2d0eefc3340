"""Past webinars in the library: the type filter, topics, authors, search, feeds and sitemap."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import Webinar
from tests.content.factories import (
    make_article,
    make_author,
    make_members_webinar,
    make_past_webinar,
    make_topic,
    make_webinar,
)

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [piece.title for piece in response.context["page"]]


def test_the_library_mixes_past_webinars_and_articles_newest_first(client):
    make_article("Old article", published_days_ago=5)
    make_past_webinar("Past webinar")  # two days ago
    make_article("New article", published_days_ago=1)
    make_webinar("Upcoming webinar")
    assert titles(client.get("/library/")) == ["New article", "Past webinar", "Old article"]


def test_the_type_filter_shows_only_webinars_or_only_articles(client):
    make_article("An article")
    make_past_webinar("A webinar")
    assert titles(client.get("/library/?type=webinar")) == ["A webinar"]
    assert titles(client.get("/library/?type=article")) == ["An article"]


def test_a_webinar_without_its_recording_is_not_in_the_library_yet(client):
    make_webinar("Took place", starts_in_days=-2)
    assert titles(client.get("/library/?type=webinar")) == []


def test_topic_and_speaker_pages_list_past_webinars(client):
    topic, speaker = make_topic("Burnout"), make_author("Sam Speaker")
    make_past_webinar("On burnout", topics=[topic], speakers=[speaker])
    make_article("Burnout article", topics=[topic], authors=[make_author("Other")])
    assert titles(client.get("/library/topics/burnout/")) == ["Burnout article", "On burnout"]
    assert titles(client.get("/library/authors/sam-speaker/")) == ["On burnout"]


def test_the_library_pages_through_both_kinds(client, settings):
    settings.CONTENT_PAGE_SIZE = 2
    make_article("A1", published_days_ago=1)
    make_past_webinar("W1")
    make_article("A3", published_days_ago=3)
    make_article("A4", published_days_ago=4)
    assert titles(client.get("/library/")) == ["A1", "W1"]
    assert titles(client.get("/library/?page=2")) == ["A3", "A4"]


def test_the_mixed_library_keeps_its_query_count_as_it_grows(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/library/").status_code == 200
        return len(captured)

    make_article("First")
    make_past_webinar("First webinar")
    few = queries()
    for number in range(6):
        make_article(f"More {number}", topics=[make_topic(f"T{number}")])
        make_past_webinar(f"Webinar {number}", topics=[make_topic(f"W{number}")])
    assert queries() == few


def test_search_finds_a_webinar_by_its_description(client_for, member):
    make_webinar("Platform teams", description_markdown="How we ran a kubernetes migration.")
    text = client_for(member).get("/library/search/?q=kubernetes").content.decode()
    assert "Platform teams" in text


def test_search_finds_stemmed_words_in_a_webinar_title(client):
    make_past_webinar("Interviewing engineers")
    assert "Interviewing engineers" in client.get("/library/search/?q=interview").content.decode()


def test_search_shows_the_best_webinars_first_and_links_every_one_that_matches(client, settings):
    from content.views.library import WEBINAR_RESULTS

    settings.CONTENT_PAGE_SIZE = 4
    for number in range(WEBINAR_RESULTS + 5):
        make_past_webinar(f"Kubernetes migration {number:02}")
    make_article("Kubernetes for managers")
    first = client.get("/library/search/?q=kubernetes").content.decode()
    assert first.count("Kubernetes migration") == WEBINAR_RESULTS
    assert "Kubernetes for managers" in first
    assert "Every webinar that matches" in first

    webinars = client.get("/library/search/?q=kubernetes&type=webinar")
    page = webinars.content.decode()
    assert page.count("Kubernetes migration") == 4 and "Kubernetes for managers" not in page
    assert "type=webinar&amp;page=2" in page
    seen = set()
    for number in (1, 2, 3):
        text = client.get(f"/library/search/?q=kubernetes&type=webinar&page={number}").content
        seen |= set(re.findall(r'href="(/webinars/[^"]+)"', text.decode()))
    assert len(seen) == WEBINAR_RESULTS + 5


def test_a_webinar_result_whose_snippet_is_its_summary_shows_it_once_and_whole(client):
    make_members_webinar("Kubernetes for platform teams", summary="How we ran a migration.")
    for path in ("/library/search/?q=kubernetes", "/library/search/?q=kubernetes&type=webinar"):
        page = client.get(path).content.decode()  # an outsider: the snippet is the summary
        assert page.count("How we ran a migration.") == 1
        assert "migration.…" not in page


def test_search_narrowed_to_webinars_says_when_none_matches(client):
    make_article("Kubernetes for managers")
    page = client.get("/library/search/?q=kubernetes&type=webinar").content.decode()
    assert "No webinar matches" in page and "Kubernetes for managers" not in page


def test_search_narrowed_to_articles_shows_no_webinar(client):
    make_past_webinar("Kubernetes migration")
    make_article("Kubernetes for managers")
    page = client.get("/library/search/?q=kubernetes&type=article").content.decode()
    assert "Kubernetes for managers" in page and "Kubernetes migration" not in page


def test_public_past_webinars_are_in_the_public_feed_and_the_sitemap(client):
    public = make_past_webinar("Public past")
    secret = make_past_webinar("Secret past", visibility=Webinar.Visibility.MEMBERS)
    upcoming = make_webinar("Public upcoming")
    feed = client.get("/library/feed/").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "Public past" in feed and "Secret past" not in feed
    assert public.get_absolute_url() in sitemap and upcoming.get_absolute_url() in sitemap
    assert secret.get_absolute_url() not in sitemap


def test_the_members_feed_carries_members_only_past_webinars(client, member):
    from content.services.feeds import feed_token_for

    make_past_webinar("Secret past", visibility=Webinar.Visibility.MEMBERS)
    make_members_webinar("Not yet held")
    feed = client.get(feed_token_for(member).get_absolute_url()).content.decode()
    assert "Secret past" in feed and "Not yet held" not in feed
