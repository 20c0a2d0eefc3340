"""Readers' pages: the library, an article, an author, a topic, and search.

Anyone may open them. A members-only article shows outsiders its title, summary and teaser only:
its body is left out of the context, so no template can show it by mistake.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from content.models import Article, Author, Topic, Webinar
from content.paging import page_of
from content.pieces import library_pieces
from content.search import mark_words, search_articles, search_webinars, snippet_parts

SEARCH_FIELDS = ("search_vector", "teaser_vector")
# Webinars are few: the best matches are shown above the articles, on the first page.
WEBINAR_RESULTS = 5
# The kinds of piece the library lists.
KINDS = {"article": "Articles", "webinar": "Webinars"}


def _page(request, pieces):
    return page_of(pieces, request.GET.get("page"), size=settings.CONTENT_PAGE_SIZE)


def _listing(request, pieces, *, filtered: bool = False) -> dict:
    """A page of pieces, with what its links to other pages need."""
    page = _page(request, pieces)
    return {
        "page": page,
        "query": _query(request),
        "canonical_url": _canonical(request, page, filtered),
    }


def _canonical(request, page, filtered: bool) -> str:
    """Each page of a list is its own address (`?page=N` past the first; nothing else of the
    query). A page past the end names the first page, and the library's filters, never pages of
    their own (a topic has its page), fold into the whole library's first page."""
    if page.number == 1 or filtered or not page.object_list:
        return _absolute(request)
    return _absolute(request) + f"?page={page.number}"


def _query(request):
    """The filters of the page, for the links to the next and previous pages; a type we do not
    know is left out, as the page shows every type and so do the pages it links to."""
    query = request.GET.copy()
    query.pop("page", None)
    if query.get("type", "") not in KINDS:
        query.pop("type", None)
    return query


def _kind(request) -> tuple[str, bool]:
    """The kind of piece asked for ("" for every kind), and whether the one asked for is not
    one we know: then every kind is shown, and the page says the filter was not recognised."""
    kind = request.GET.get("type", "")
    return (kind, False) if kind in KINDS or not kind else ("", True)


def _param(request, name: str) -> str:
    """A filter or search from the address. PostgreSQL refuses a NUL character in a string (a
    500 if it reached a query); no one types one, so such an address is refused."""
    value = request.GET.get(name, "")
    if "\x00" in value:
        raise BadRequest(f"The {name} cannot contain a NUL character.")
    return value


def _absolute(request, path: str | None = None) -> str:
    return settings.SITE_URL + (path or request.path)


def library(request):
    topic = None
    if slug := _param(request, "topic"):
        topic = get_object_or_404(Topic, slug=slug)
    kind, unknown_kind = _kind(request)
    pieces = library_pieces(kind=kind, topic=topic)
    context = {
        "topics": Topic.objects.all(),
        "topic": topic,
        "kinds": KINDS,
        "kind": kind,
        "unknown_kind": unknown_kind,
    }
    listing = _listing(request, pieces, filtered=topic is not None or bool(kind))
    return render(request, "content/library.html", context | listing)


def _archived(request, slug):
    """Old links to an archived piece get a page saying so (410 Gone) with its title alone: an
    outsider could read the title of a members-only piece while it was out, and nothing more. A
    piece archived before it was ever out stays unknown."""
    archived = Article.objects.filter(
        slug=slug, state=Article.State.ARCHIVED, publish_at__lte=timezone.now()
    )
    title = archived.values_list("title", flat=True).first()
    if title is None:
        raise Http404("No published article has this address.")
    return render(request, "content/article_archived.html", {"title": title}, status=410)


def article_detail(request, slug):
    published = Article.objects.published().defer("body_markdown", "body_text", *SEARCH_FIELDS)
    article = published.filter(slug=slug).first()
    if article is None:
        return _archived(request, slug)
    readable = article.readable_by(request.user)
    topics = list(article.topics.all())  # read once: for the header and for the related pieces
    related = Article.objects.published().on_topics(topics).exclude(pk=article.pk)
    context = {
        "article": article,
        "topics": topics,
        "body_html": article.body_html if readable else "",
        "readable": readable,
        "related": related.for_results().order_by("-publish_at", "-pk")[:3],
        "canonical_url": _absolute(request, article.get_absolute_url()),
        "cover_url": _absolute(request, article.cover.url) if article.cover else "",
    }
    return render(request, "content/article_detail.html", context)


def _authors_with_pieces_out():
    """Authors with a published article or a webinar with a page. A member's entry is made with
    their first draft: before anything is out, their page would say that they are a member."""
    articles = Article.objects.published().filter(authors=OuterRef("pk"))
    webinars = Webinar.objects.exclude(state=Webinar.State.DRAFT).filter(speakers=OuterRef("pk"))
    return Author.objects.filter(Exists(articles) | Exists(webinars))


def author_detail(request, slug):
    author = get_object_or_404(_authors_with_pieces_out(), slug=slug)
    pieces = library_pieces(author=author)
    return render(
        request, "content/author_detail.html", {"author": author} | _listing(request, pieces)
    )


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    pieces = library_pieces(topic=topic)
    return render(
        request, "content/topic_detail.html", {"topic": topic} | _listing(request, pieces)
    )


def _results(pieces, text: str) -> list[dict]:
    return [_result(piece, text) for piece in pieces]


def _result(piece, text: str) -> dict:
    """A match and its snippet; `whole_summary` when the snippet is the summary itself (a
    members-only piece's, shown to an outsider), which is then shown once and not as cut."""
    parts = snippet_parts(mark_words(piece.snippet, text))
    whole = "".join(part.text for part in parts).strip() == piece.summary.strip()
    return {"piece": piece, "snippet": parts, "whole_summary": whole}


def search(request):
    """Articles ranked by the search, with the best few webinars above them on the first page;
    `type` narrows the results to one kind, with pages of their own."""
    text = _param(request, "q").strip()[:200]
    kind, unknown_kind = _kind(request)
    context = {
        "q": text,
        "kind": kind,
        "kinds": KINDS,
        "unknown_kind": unknown_kind,
        "query": _query(request),
    }
    if kind == "webinar":
        page = _page(request, search_webinars(text, user=request.user))
        return render(
            request,
            "content/search.html",
            context | {"page": page, "webinars": _results(page, text)},
        )
    page = _page(request, search_articles(text, user=request.user))
    context |= {"page": page, "results": _results(page, text)}
    if not kind and page.number == 1:
        # One more than shown tells whether the webinars-only results have more to offer.
        webinars = list(search_webinars(text, user=request.user)[: WEBINAR_RESULTS + 1])
        context |= {
            "webinars": _results(webinars[:WEBINAR_RESULTS], text),
            "more_webinars": len(webinars) > WEBINAR_RESULTS,
        }
    return render(request, "content/search.html", context)
