"""The library's pieces of every kind, newest first: articles and past webinars, in one order.

One UNION ALL query reads the kind, key and date of a page's rows (PostgreSQL merges the two
tables' indexes and stops after the page); the rows themselves are then loaded per kind, with
their authors or speakers and topics, so a page costs the same few queries however long it is.
"""

from django.db.models import CharField, F, QuerySet, Value

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


def _keys(rows: QuerySet, kind: str, date: str) -> QuerySet:
    kind_value = Value(kind, output_field=CharField())
    return (
        rows.order_by()
        .annotate(kind=kind_value, sort_at=F(date))
        .values_list("kind", "pk", "sort_at")
    )


class Pieces:
    """Sliced like a queryset (which is all `page_of` needs); gives articles and webinars."""

    def __init__(self, articles: QuerySet, webinars: QuerySet):
        self.articles, self.webinars = articles, webinars

    def _union(self) -> QuerySet:
        keys = _keys(self.articles, "article", "publish_at")
        both = keys.union(_keys(self.webinars, "webinar", "starts_at"), all=True)
        return both.order_by("-sort_at", "-pk")

    def __getitem__(self, window: slice) -> list:
        keys = list(self._union()[window])
        wanted = {"article": [], "webinar": []}
        for kind, pk, _ in keys:
            wanted[kind].append(pk)
        loaded = {}
        if wanted["article"]:
            rows = Article.objects.filter(pk__in=wanted["article"]).for_listing()
            loaded.update({("article", row.pk): row for row in rows})
        if wanted["webinar"]:
            rows = Webinar.objects.filter(pk__in=wanted["webinar"]).for_listing()
            loaded.update({("webinar", row.pk): row for row in rows})
        return [loaded[(kind, pk)] for kind, pk, _ in keys if (kind, pk) in loaded]


def library_pieces(*, kind: str = "", topic=None, author=None):
    """What a library list shows: one kind's queryset, or both kinds merged."""
    if kind == "article":
        return library_articles(topic=topic, author=author).for_listing()
    if kind == "webinar":
        return library_webinars(topic=topic, author=author).for_listing()
    return Pieces(
        library_articles(topic=topic, author=author), library_webinars(topic=topic, author=author)
    )
