"""The Atom feeds, the sitemap, and a member's personal feed address.

The public feed and the sitemap list public pieces only (articles and past webinars; the sitemap
also has announced public webinars). The members' feed carries every published
piece in full, at an address with a secret in it (a feed reader sends no cookie), which the member
can reset; it stops working when its owner is no longer a member.
https://docs.djangoproject.com/en/5.2/ref/contrib/syndication/
"""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from community.access import member_required
from content.models import Article, Author, FeedToken, Topic, Webinar
from content.rendering import with_absolute_urls
from content.services.feeds import feed_token_for, reset_feed_token

FEED_ITEMS = 30
# XML 1.0 has no place for these, and Django refuses to write them: one in a piece (a vertical
# tab comes with text pasted from Word) made the whole feed fail. They are read as spaces.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(text: str) -> str:
    return CONTROL_CHARACTERS.sub(" ", text)


def newest(articles, webinars) -> list:
    """The newest FEED_ITEMS of both kinds: the newest of each, merged by date."""
    articles = list(articles.for_listing().defer(None)[:FEED_ITEMS])
    webinars = list(webinars.for_listing().defer(None)[:FEED_ITEMS])
    both = sorted(articles + webinars, key=lambda piece: piece.publish_at, reverse=True)
    return both[:FEED_ITEMS]


class PublicFeed(Feed):
    feed_type = Atom1Feed
    title = f"{settings.SITE_NAME}: articles"
    subtitle = "Practical articles on leading technologists, from the Roundtable library."

    def link(self):
        return reverse("content:library")

    def items(self):
        return newest(Article.objects.published().public(), Webinar.objects.in_library().public())

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        # Sanitised when it was saved; the feed escapes it as Atom text.
        if item.kind == "webinar":
            html = item.description_html + item.recap_html
        else:
            html = item.body_html
        return xml_text(with_absolute_urls(html, settings.SITE_URL))

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        people = item.listed_speakers if item.kind == "webinar" else item.listed_authors
        # Atom wants an author for each entry (the feed names none); the page says the same.
        return xml_text(", ".join(person.name for person in people)) or "The editors"


class MembersFeed(PublicFeed):
    title = f"{settings.SITE_NAME}: articles for members"

    def get_object(self, request, token):
        feed_token = get_object_or_404(FeedToken.objects.select_related("user"), token=token)
        if not feed_token.user.is_member:
            raise Http404("This feed address is no longer in use.")
        return feed_token

    def items(self, obj):
        return newest(Article.objects.published(), Webinar.objects.in_library())


@member_required
def feed_settings(request):
    token = feed_token_for(request.user)
    feed_url = settings.SITE_URL + token.get_absolute_url()
    return render(request, "content/feed_settings.html", {"feed_url": feed_url})


@member_required
@require_POST
def feed_reset(request):
    reset_feed_token(request.user)
    messages.success(request, "Your feed has a new address; the old one no longer works.")
    return redirect("content:feed_settings")


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class WebinarSitemap(Sitemap):
    """Public webinars: announced ones, and past ones in the library."""

    changefreq = "weekly"

    def items(self):
        webinars = Webinar.objects.announced().public()
        return webinars.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class PagesSitemap(Sitemap):
    def items(self):
        return ["content:library", "content:webinar_list"]

    def location(self, item):
        return reverse(item)


class TopicSitemap(Sitemap):
    def items(self):
        articles = Q(articles__in=Article.objects.published().public())
        webinars = Q(webinars__in=Webinar.objects.in_library().public())
        return Topic.objects.filter(articles | webinars).distinct()


class AuthorSitemap(Sitemap):
    def items(self):
        articles = Q(articles__in=Article.objects.published().public())
        webinars = Q(webinars__in=Webinar.objects.in_library().public())
        return Author.objects.filter(articles | webinars).distinct()


SITEMAPS = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "webinars": WebinarSitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
}
