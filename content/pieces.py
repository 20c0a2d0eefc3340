"""The library's pieces of every kind, newest first: articles and past webinars, in one order.

A page of both is read as the keys and dates of the newest rows of each kind, up to the page's
end, each from its own index (a UNION ALL ordered as a whole made PostgreSQL read every live
article's key and sort them all); the two are merged, and the page's rows loaded per kind with
their authors or speakers and topics: the same few queries however large the library grows.
"""

import heapq
from itertools import islice

from django.db.models import QuerySet

from content.models import Article, Webinar


def library_articles(*, topic=None, author=None) -> QuerySet:
    articles = Article.objects.published()
    if topic is not None:
        articles = articles.on_topics([topic])
    if author is not None:
        articles = articles.filter(authors=author)
    return articles


def library_webinars(*, topic=None, author=None) -> QuerySet:
    webinars = Webinar.objects.in_library()
    if topic is not None:
        webinars = webinars.on_topics([topic])
    if author is not None:
        webinars = webinars.filter(speakers=author)
    return webinars


def _keys(rows: QuerySet, kind: str, date: str, stop: int) -> list[tuple]:
    newest = rows.order_by(f"-{date}", "-pk").values_list(date, "pk")[:stop]
    return [(when, pk, kind) for when, pk in newest]


class Pieces:
    """Sliced like a queryset (which is all `page_of` needs); gives articles and webinars."""

    def __init__(self, articles: QuerySet, webinars: QuerySet):
        self.articles, self.webinars = articles, webinars

    def keys(self, start: int, stop: int) -> list[tuple]:
        """(date, pk, kind) of rows start to stop of both kinds, newest first."""
        both = heapq.merge(
            _keys(self.articles, "article", "publish_at", stop),
            _keys(self.webinars, "webinar", "starts_at", stop),
            reverse=True,
        )
        return list(islice(both, start, stop))

    def __getitem__(self, window: slice) -> list:
        keys = self.keys(window.start or 0, window.stop)
        wanted = {"article": [], "webinar": []}
        for _, pk, kind in keys:
            wanted[kind].append(pk)
        loaded = {}
        if wanted["article"]:
            rows = Article.objects.filter(pk__in=wanted["article"]).for_listing()
            loaded.update({("article", row.pk): row for row in rows})
        if wanted["webinar"]:
            rows = Webinar.objects.filter(pk__in=wanted["webinar"]).for_listing()
            loaded.update({("webinar", row.pk): row for row in rows})
        return [loaded[(kind, pk)] for _, pk, kind in keys if (kind, pk) in loaded]


def library_pieces(*, kind: str = "", topic=None, author=None):
    """What a library list shows: one kind's queryset, or both kinds merged."""
    if kind == "article":
        return library_articles(topic=topic, author=author).for_listing()
    if kind == "webinar":
        return library_webinars(topic=topic, author=author).for_listing()
    return Pieces(
        library_articles(topic=topic, author=author), library_webinars(topic=topic, author=author)
    )
