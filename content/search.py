"""Finding articles and webinars: ranked full-text search on PostgreSQL, a plain fallback on SQLite.

PostgreSQL matches the stored vectors (title A, summary B, body C) through their GIN indexes, ranks
with SearchRank and cuts snippets with SearchHeadline. Outsiders match members-only pieces by their
title and summary only (`teaser_vector`), and those pieces' snippets come from the summary.

The rank is SearchRank over the title and summary (`teaser_vector`); a piece matched by its body
alone ranks after those, newest first. Ranking over the whole vector would read and decompress
every match's body vector (a few kB each): a word found in a tenth of 10,000 articles made that
most of a search's time, for an order that differs only among body matches.
https://docs.djangoproject.com/en/5.2/ref/contrib/postgres/search/
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Substr

from content.models import Article, Webinar
from content.services.indexing import SEARCH_CONFIG

# Marks around the matched words in a headline; control characters that no text contains.
START, STOP = "\x02", "\x03"
FALLBACK_SNIPPET_CHARS = 220
HEADLINE_CHARS = 1000


@dataclass(frozen=True)
class Part:
    """A piece of a snippet; `hit` parts are the words that matched."""

    text: str
    hit: bool = False


def snippet_parts(snippet: str) -> list[Part]:
    """Split a marked snippet into parts a template shows, marking the hits with <mark>."""
    parts = []
    for piece in re.split(f"({START}[^{STOP}]*{STOP})", snippet or ""):
        if piece.startswith(START):
            parts.append(Part(piece.strip(START + STOP), hit=True))
        elif piece:
            parts.append(Part(piece))
    return parts


def reads_everything(user) -> bool:
    return getattr(user, "is_member", False) or getattr(user, "is_editor", False)


def search_articles(text: str, *, user) -> QuerySet:
    """Published articles matching `text`, best first, each with a marked `snippet`."""
    return _search(Article.objects.published().for_results(), text, user=user, date="publish_at")


WEBINAR_FIELDS = ("pk", "title", "slug", "summary", "visibility", "starts_at", "library_at")


def search_webinars(text: str, *, user) -> QuerySet:
    """Announced and past webinars matching `text`, best first, each with a marked `snippet`."""
    webinars = Webinar.objects.announced().only(*WEBINAR_FIELDS)
    return _search(webinars, text, user=user, date="starts_at")


def _search(rows: QuerySet, text: str, *, user, date: str) -> QuerySet:
    text = text.strip()
    if not text:
        return rows.none()
    everything = reads_everything(user)
    if connection.vendor == "postgresql":
        return _ranked(text, everything=everything, rows=rows, date=date)
    return _fallback(text, everything=everything, rows=rows, date=date)


def _headline(field: str, query: SearchQuery) -> SearchHeadline:
    # ts_headline parses the whole text it is given, for each row shown, and was most of a
    # search's database time: the body's first 1,000 characters are where a snippet is worth
    # reading. substr (unlike left) reads only the start of a long body from its TOAST slices.
    return SearchHeadline(
        Substr(field, 1, HEADLINE_CHARS),
        query,
        config=SEARCH_CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_words=30,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def _articles() -> QuerySet:
    return Article.objects.published().for_results()


def _ranked(
    text: str, *, everything: bool, rows: QuerySet | None = None, date: str = "publish_at"
) -> QuerySet:
    articles = _articles() if rows is None else rows
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    rank = SearchRank(F("teaser_vector"), query)
    if everything:
        articles = articles.filter(search_vector=query).annotate(
            rank=rank, snippet=_headline("body_text", query)
        )
    else:
        public = Q(visibility=Article.Visibility.PUBLIC)
        articles = articles.filter(
            (public & Q(search_vector=query)) | (~public & Q(teaser_vector=query))
        ).annotate(
            rank=rank,
            snippet=Case(
                When(public, then=_headline("body_text", query)),
                default=_headline("summary", query),
                output_field=TextField(),
            ),
        )
    return articles.order_by("-rank", f"-{date}", "-pk")


def _fallback(
    text: str, *, everything: bool, rows: QuerySet | None = None, date: str = "publish_at"
) -> QuerySet:
    """Every word in the title, summary or (where the reader may see it) the body."""
    articles = _articles() if rows is None else rows
    public = Q(visibility=Article.Visibility.PUBLIC)
    words = text.split()
    for word in words:
        in_body = (
            Q(body_text__icontains=word) if everything else public & Q(body_text__icontains=word)
        )
        articles = articles.filter(Q(title__icontains=word) | Q(summary__icontains=word) | in_body)
    in_title = Q()
    for word in words:
        in_title |= Q(title__icontains=word)
    source = (
        F("body_text")
        if everything
        else Case(When(public, then=F("body_text")), default=F("summary"), output_field=TextField())
    )
    return articles.annotate(
        rank=Case(When(in_title, then=Value(1.0)), default=Value(0.0), output_field=FloatField()),
        snippet=Substr(source, 1, FALLBACK_SNIPPET_CHARS, output_field=TextField()),
    ).order_by("-rank", f"-{date}", "-pk")


def mark_words(snippet: str, text: str) -> str:
    """Put the headline marks around the words of `text` in a fallback snippet."""
    words = [re.escape(word) for word in text.split() if word]
    if not words or START in snippet:
        return snippet
    return re.sub(f"({'|'.join(words)})", f"{START}\\1{STOP}", snippet, flags=re.IGNORECASE)
