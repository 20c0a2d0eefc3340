"""Ranked full-text search on PostgreSQL, the plain fallback, and what outsiders may match."""

import pytest
from django.db import connection

from content import search
from content.models import Article
from tests.content.factories import MARKER, make_article, make_members_article

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranked search needs PostgreSQL"
)


def found(text: str, user=None) -> list[str]:
    from django.contrib.auth.models import AnonymousUser

    return [article.title for article in search.search_articles(text, user=user or AnonymousUser())]


@pytest.fixture
def pieces(db):
    return {
        "body": make_article(
            "Running a team offsite",
            summary="Plans for two days away.",
            body_markdown="Start the offsite with a retrospective on delegation.",
        ),
        "title": make_article(
            "Delegation for new managers",
            summary="Letting go of the work.",
            body_markdown="Hand over outcomes, not tasks.",
        ),
        "secret": make_members_article(
            "Negotiating a counter-offer", summary="When a key engineer resigns."
        ),
    }


@postgres_only
def test_a_title_match_ranks_above_a_body_match(pieces):
    assert found("delegation") == ["Delegation for new managers", "Running a team offsite"]


@postgres_only
def test_a_summary_match_ranks_between_a_title_and_a_body_match(db):
    make_article("Old body match", body_markdown="Retention " * 40, published_days_ago=1)
    make_article("Hiring", summary="Retention starts at the offer.", published_days_ago=2)
    make_article("Retention that lasts", published_days_ago=3)
    assert found("retention") == ["Retention that lasts", "Hiring", "Old body match"]


@postgres_only
def test_search_finds_stemmed_words(pieces):
    assert found("delegating") == ["Delegation for new managers", "Running a team offsite"]
    assert found("negotiations") == ["Negotiating a counter-offer"]


@postgres_only
def test_the_snippet_highlights_the_matched_words(client, pieces):
    text = client.get("/library/search/?q=retrospective").content.decode()
    assert "<mark>retrospective</mark>" in text


def test_an_outsider_matches_members_only_pieces_by_title_and_summary_only(pieces, member):
    assert found("resigns") == ["Negotiating a counter-offer"]
    assert found("quokkas") == []
    assert found("quokkas", member) == ["Negotiating a counter-offer"]


def test_an_outsiders_snippet_of_a_members_only_piece_never_comes_from_its_body(client, pieces):
    text = client.get("/library/search/?q=counter-offer").content.decode()
    assert "Negotiating a counter-offer" in text
    assert "teaser anyone may read" not in text.split("search-results")[1]
    assert MARKER not in text


def test_the_fallback_finds_the_same_pieces_as_the_ranked_search(pieces, member):
    for text, everything in [("delegation", False), ("resigns", False), ("quokkas", True)]:
        fallback = [article.title for article in search._fallback(text, everything=everything)]
        user = member if everything else None
        assert sorted(fallback) == sorted(found(text, user)), text
    outsider = [article.title for article in search._fallback("quokkas", everything=False)]
    assert outsider == []


def test_the_fallback_puts_title_matches_first(pieces):
    titles = [article.title for article in search._fallback("delegation", everything=False)]
    assert titles == ["Delegation for new managers", "Running a team offsite"]


def test_the_fallback_snippet_of_a_members_only_piece_is_its_summary(pieces):
    (article,) = search._fallback("counter-offer", everything=False)
    assert article.snippet == "When a key engineer resigns."


def test_unpublished_pieces_are_never_found(db, member):
    make_article("Delegation draft", published_days_ago=None)
    assert found("delegation", member) == []
    assert Article.objects.count() == 1


def test_an_empty_search_finds_nothing_and_shows_no_results(client, pieces):
    assert found("  ") == []
    assert client.get("/library/search/?q=").status_code == 200


def test_snippet_parts_mark_the_hits_for_the_template():
    parts = search.snippet_parts(f"a {search.START}hit{search.STOP} b")
    assert parts == [search.Part("a "), search.Part("hit", hit=True), search.Part(" b")]


def test_a_result_whose_snippet_is_its_summary_shows_it_once_and_whole(client, pieces):
    page = client.get("/library/search/?q=counter-offer").content.decode()
    assert page.count("When a key engineer resigns.") == 1
    assert "resigns.…" not in page


def test_a_search_of_only_spaces_is_an_empty_search_not_a_search_for_spaces(client, pieces):
    page = client.get("/library/search/?q=%20%20%20").content.decode()
    assert "Results for" not in page and "Nothing matches" not in page


def test_pages_of_results_are_named_by_order_of_match_not_by_date(client, pieces, settings):
    settings.CONTENT_PAGE_SIZE = 1  # "delegation" is in two pieces: two pages
    first = client.get("/library/search/?q=delegation").content.decode()
    second = client.get("/library/search/?q=delegation&page=2").content.decode()
    assert "Next page →" in first and "Older" not in first
    assert "← Previous page" in second and "Newer" not in second
