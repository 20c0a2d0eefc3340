"""Small builders for content's rows; articles go through the service that renders them."""

from datetime import timedelta

from django.utils import timezone

from content.models import Article, Author, Topic
from content.services.articles import save_article

MARKER = "MEMBERS-ONLY-MARKER-7f3a"
MEMBERS_BODY = (
    "The first paragraph is the teaser anyone may read.\n\n"
    f"The rest is for members: {MARKER} and the real advice about quokkas.\n\n"
    f"## A heading\n\n- a list with {MARKER}\n"
)


def make_topic(name: str = "Hiring", **overrides) -> Topic:
    slug = overrides.pop("slug", name.lower().replace(" ", "-"))
    return Topic.objects.get_or_create(slug=slug, defaults={"name": name, **overrides})[0]


def make_author(name: str = "Grace Guest", **overrides) -> Author:
    slug = overrides.pop("slug", name.lower().replace(" ", "-"))
    fields = {"bio": "Led engineering at three start-ups.", **overrides}
    return Author.objects.get_or_create(slug=slug, defaults={"name": name, **fields})[0]


def make_article(
    title: str = "Hiring your first engineering manager",
    *,
    authors=None,
    topics=None,
    published_days_ago: float | None = 1,
    **overrides,
) -> Article:
    """A published public article unless told otherwise (`published_days_ago=None`: a draft)."""
    fields = {
        "title": title,
        "summary": "What to look for and how to run the loop.",
        "body_markdown": "A first paragraph.\n\nA second one with more detail.",
        "visibility": Article.Visibility.PUBLIC,
        **overrides,
    }
    if published_days_ago is not None and "state" not in fields:
        fields["state"] = Article.State.PUBLISHED
        fields["publish_at"] = timezone.now() - timedelta(days=published_days_ago)
    return save_article(
        Article(**fields),
        saved_by=None,
        authors=authors if authors is not None else [make_author()],
        topics=topics if topics is not None else [make_topic()],
    )


def make_members_article(title: str = "Handling a redundancy round", **overrides) -> Article:
    return make_article(
        title, visibility=Article.Visibility.MEMBERS, body_markdown=MEMBERS_BODY, **overrides
    )
