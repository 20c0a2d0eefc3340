"""Small builders for content's rows; articles go through the service that renders them."""

from datetime import timedelta

from django.utils import timezone

from content.models import Article, Author, Topic, Webinar
from content.services.articles import save_article
from content.services.webinar_editing import save_webinar

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


def make_webinar(
    title: str = "Leading through a reorganisation",
    *,
    speakers=None,
    topics=None,
    starts_in_days: float = 7,
    state: str = Webinar.State.SCHEDULED,
    **overrides,
) -> Webinar:
    """An announced public webinar a week from now unless told otherwise."""
    fields = {
        "title": title,
        "summary": "How three CTOs kept their teams through a reorganisation.",
        "description_markdown": "What we will cover.\n\nQuestions welcome.",
        "starts_at": (timezone.now() + timedelta(days=starts_in_days)).replace(
            second=0, microsecond=0
        ),
        "duration_minutes": 60,
        "capacity": 50,
        "visibility": Webinar.Visibility.PUBLIC,
        "join_url": "https://video.example.com/join/abc",
        "state": state,
        **overrides,
    }
    return save_webinar(
        Webinar(**fields),
        saved_by=None,
        speakers=speakers if speakers is not None else [make_author("Sam Speaker")],
        topics=topics if topics is not None else [make_topic()],
    )


def make_members_webinar(title: str = "Redundancies, told well", **overrides) -> Webinar:
    return make_webinar(
        title,
        visibility=Webinar.Visibility.MEMBERS,
        description_markdown=MEMBERS_BODY,
        join_url=f"https://video.example.com/join/{MARKER}",
        **overrides,
    )


def make_past_webinar(title: str = "Hiring in a downturn", **overrides) -> Webinar:
    """A webinar that took place two days ago, in the library with its recording."""
    webinar = make_webinar(title, starts_in_days=-2, **overrides)
    Webinar.objects.filter(pk=webinar.pk).update(
        library_at=timezone.now(), recording_url="https://video.example.com/recording/1"
    )
    webinar.refresh_from_db()
    return webinar
