"""The library, an article page, an author page and a topic page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.services.articles import schedule_article
from tests.content.factories import (
    make_article,
    make_author,
    make_members_article,
    make_past_webinar,
    make_topic,
    make_webinar,
)


def titles(response) -> list[str]:
    return [piece.title for piece in response.context["page"]]


def test_the_library_lists_the_newest_first(client, db):
    make_article("Older", published_days_ago=5)
    make_article("Newest", published_days_ago=1)
    make_members_article("Middle", published_days_ago=3)
    assert titles(client.get("/library/")) == ["Newest", "Middle", "Older"]


def test_the_library_filters_by_topic(client, db):
    burnout = make_topic("Burnout")
    make_article("On burnout", topics=[burnout])
    make_article("On hiring", topics=[make_topic("Hiring")])
    assert titles(client.get("/library/?topic=burnout")) == ["On burnout"]
    assert client.get("/library/?topic=no-such-topic").status_code == 404


UNKNOWN_TYPE = "The type of piece in the address was not recognised, so every type is shown."


def test_the_library_filters_by_type(client, db):
    make_article("An article")
    make_past_webinar("A webinar")
    response = client.get("/library/?type=article")
    assert titles(response) == ["An article"]
    assert UNKNOWN_TYPE not in response.content.decode()


def test_an_unknown_type_shows_everything_and_says_the_filter_was_not_recognised(
    client, db, settings
):
    """As search does: an old or mistyped link shows the whole library, not an empty one."""
    settings.SITE_URL = "https://roundtable.example"
    settings.CONTENT_PAGE_SIZE = 2
    make_article("An article", published_days_ago=1)
    make_past_webinar("A webinar")  # two days ago
    make_article("An older article", published_days_ago=3)
    response = client.get("/library/?type=podcast")
    text = response.content.decode()
    assert titles(response) == ["An article", "A webinar"]
    assert UNKNOWN_TYPE in text
    assert '<option value="" selected>All types</option>' in text
    assert '<a href="?page=2" rel="next">' in text  # the next page drops the unknown type
    assert canonical_of(response) == "https://roundtable.example/library/"
    second = client.get("/library/?type=podcast&page=2")
    assert titles(second) == ["An older article"]
    assert canonical_of(second) == "https://roundtable.example/library/?page=2"


def test_search_with_an_unknown_type_searches_everything_and_says_so(client, db):
    make_article("Kubernetes for managers")
    make_past_webinar("Kubernetes migration")
    text = client.get("/library/search/?q=kubernetes&type=podcast").content.decode()
    assert "Kubernetes for managers" in text and "Kubernetes migration" in text
    assert UNKNOWN_TYPE in text
    assert '<a href="?q=kubernetes" aria-current="page">Everything</a>' in text
    narrowed = client.get("/library/search/?q=kubernetes&type=webinar").content.decode()
    assert UNKNOWN_TYPE not in narrowed


def test_the_library_is_paginated_and_keeps_its_filters(client, db, settings):
    settings.CONTENT_PAGE_SIZE = 2
    topic = make_topic("Hiring")
    for day in range(5):
        make_article(f"Piece {day}", published_days_ago=day + 1, topics=[topic])
    first = client.get("/library/?topic=hiring")
    assert titles(first) == ["Piece 0", "Piece 1"]
    assert "?topic=hiring&amp;page=2" in first.content.decode()
    assert titles(client.get("/library/?topic=hiring&page=3")) == ["Piece 4"]


@pytest.mark.parametrize(
    ("path", "first_page"),
    [
        ("/library/?topic=hiring&page=9", "?topic=hiring"),
        ("/library/topics/hiring/?page=9", "?"),
        ("/library/search/?q=hiring&page=9", "?q=hiring"),
        ("/library/search/?q=hiring&type=webinar&page=9", "?q=hiring&amp;type=webinar"),
    ],
)
def test_a_page_past_the_last_one_says_so_and_links_to_the_first(client, db, path, first_page):
    make_article("Hiring well", topics=[make_topic("Hiring")])
    text = client.get(path).content.decode()
    assert "There is no page 9 here." in text
    assert f'<a href="{first_page}">Back to the first page</a>' in text
    assert "Nothing" not in text and "No webinar matches" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/library/?topic=hiring%00",
        "/library/search/?q=hiring%00",
        "/library/search/?q=hi%00ring&type=webinar",
    ],
)
def test_a_nul_character_in_a_filter_or_search_is_a_bad_request(client, db, path):
    """PostgreSQL refuses NUL in a string: such an address is refused before any query."""
    make_article("Hiring well", topics=[make_topic("Hiring")])
    assert client.get(path).status_code == 400


@pytest.mark.parametrize(
    "path", ["/library/", "/library/topics/hiring/", "/library/authors/grace-guest/"]
)
def test_list_pages_keep_their_query_count_as_the_library_grows(client, db, path):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    make_article("First")
    few = queries()
    for number in range(12):
        make_article(f"More {number}", topics=[make_topic("Hiring"), make_topic(f"T{number}")])
    assert queries() == few


def test_search_keeps_its_query_count_as_the_library_grows(client, db):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/library/search/?q=hiring")
        return len(captured)

    make_article("Hiring one")
    few = queries()
    for number in range(12):
        make_article(f"Hiring {number}", authors=[make_author(f"Author {number}")])
    assert queries() == few


def test_an_article_shows_its_authors_and_related_pieces_on_the_same_topics(client, db):
    burnout = make_topic("Burnout")
    guest = make_author("Grace Guest", bio="Coach for engineering leaders.")
    article = make_article("Spotting burnout", topics=[burnout], authors=[guest])
    make_article("Recovering from burnout", topics=[burnout])
    make_article("Hiring loops", topics=[make_topic("Hiring")])
    response = client.get(article.get_absolute_url())
    text = response.content.decode()
    assert "Grace Guest" in text and "Coach for engineering leaders." in text
    assert [piece.title for piece in response.context["related"]] == ["Recovering from burnout"]


def test_the_author_page_lists_their_published_pieces(client, db):
    guest = make_author("Grace Guest")
    make_article("Published one", authors=[guest])
    make_article("A draft", authors=[guest], published_days_ago=None)
    response = client.get(guest.get_absolute_url())
    assert titles(response) == ["Published one"]
    assert "Guest expert" in response.content.decode()


def test_a_writer_with_nothing_out_yet_has_no_author_page(client_for, member, outsider):
    """A member's author entry is made with their first draft; until something of theirs is
    out, their page would tell anyone that this person is a member."""
    writer = make_author("Maya Member", user=member)
    draft = make_article("A draft", authors=[writer], published_days_ago=None)
    for user in (None, outsider, member):
        assert client_for(user).get(writer.get_absolute_url()).status_code == 404
    schedule_article(draft, by=None)
    assert client_for(None).get(writer.get_absolute_url()).status_code == 200


def test_a_speaker_of_an_announced_webinar_has_an_author_page(client, db):
    speaker = make_author("Sam Speaker")
    make_webinar(speakers=[speaker])
    assert client.get(speaker.get_absolute_url()).status_code == 200


def test_the_topic_page_lists_the_topics_pieces(client, db):
    topic = make_topic("Cloud migrations", description="Moving without stopping.")
    make_article("Lift and shift", topics=[topic])
    make_article("Unrelated", topics=[make_topic("Hiring")])
    response = client.get(topic.get_absolute_url())
    assert titles(response) == ["Lift and shift"]
    assert "Moving without stopping." in response.content.decode()


def test_public_pages_carry_opengraph_and_canonical_tags(client, db, settings):
    settings.SITE_URL = "https://roundtable.example"
    article = make_article("Choosing vendors", summary="Questions to ask before you sign.")
    text = client.get(article.get_absolute_url()).content.decode()
    canonical = f"https://roundtable.example{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in text
    assert '<meta property="og:title" content="Choosing vendors">' in text
    assert '<meta property="og:description" content="Questions to ask before you sign.">' in text
    assert '<meta property="og:type" content="article">' in text
    library = client.get("/library/").content.decode()
    assert '<link rel="canonical" href="https://roundtable.example/library/">' in library


def test_a_change_to_the_library_shows_at_once(client, db):
    first = make_article("First piece")
    assert "First piece" in client.get("/library/").content.decode()
    make_article("Second piece")
    from content.services.articles import archive_article

    archive_article(first, by=None)
    text = client.get("/library/").content.decode()
    assert "Second piece" in text and "First piece" not in text


def test_a_scheduled_piece_appears_at_its_time_before_the_beat_publishes_it(client, db):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from content.services.articles import schedule_article

    article = make_article("Scheduled piece", published_days_ago=None)
    at = timezone.now() + timedelta(hours=2)
    schedule_article(article, publish_at=at, by=None)
    assert "Scheduled piece" not in client.get("/library/").content.decode()
    with time_machine.travel(at + timedelta(seconds=1)):
        assert "Scheduled piece" in client.get("/library/").content.decode()


def canonical_of(response) -> str:
    [href] = re.findall(r'<link rel="canonical" href="([^"]*)">', response.content.decode())
    return href


@pytest.fixture
def three_pages(db, settings):
    """Five pieces on hiring by Grace Guest, two to a page."""
    settings.SITE_URL = "https://roundtable.example"
    settings.CONTENT_PAGE_SIZE = 2
    topic, author = make_topic("Hiring"), make_author("Grace Guest")
    for day in range(5):
        make_article(f"Piece {day}", published_days_ago=day + 1, topics=[topic], authors=[author])


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/library/", "/library/"),
        ("/library/?page=1", "/library/"),
        ("/library/?page=first", "/library/"),
        ("/library/?page=2", "/library/?page=2"),
        ("/library/?page=3&utm_source=newsletter", "/library/?page=3"),
        ("/library/topics/hiring/", "/library/topics/hiring/"),
        ("/library/topics/hiring/?page=2", "/library/topics/hiring/?page=2"),
        ("/library/authors/grace-guest/?page=3", "/library/authors/grace-guest/?page=3"),
    ],
)
def test_each_page_of_a_list_is_its_own_canonical_address(client, three_pages, path, canonical):
    assert canonical_of(client.get(path)) == f"https://roundtable.example{canonical}"


@pytest.mark.parametrize(
    "path", ["/library/?page=9", "/library/topics/hiring/?page=9", "/library/?topic=hiring&page=2"]
)
def test_a_page_past_the_end_or_a_filtered_one_names_its_lists_first_page(
    client, three_pages, path
):
    """Past the end there is nothing to index; the library's filters were never pages of their
    own (a topic has its page), and stay folded into the whole library's address."""
    first_page = path.split("?")[0]
    assert canonical_of(client.get(path)) == f"https://roundtable.example{first_page}"


def test_a_card_without_authors_shown_does_not_start_with_a_separator(client, db):
    burnout = make_topic("Burnout")
    article = make_article("Spotting burnout", topics=[burnout])
    make_article("Recovering from burnout", topics=[burnout])  # a related card: no authors shown
    make_article("Signed by the editors", authors=[])
    pages = [client.get(article.get_absolute_url()), client.get("/library/")]
    for page in pages:
        lines = [" ".join(line.split()) for line in page.content.decode().split('class="muted">')]
        assert not [line for line in lines if line.startswith("·")]
