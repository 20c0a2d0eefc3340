"""Writing, reviewing, scheduling and publishing articles.

Saving goes through `save_article` only: it renders the Markdown through the sanitiser, stores the
HTML every page shows, and refreshes the search vectors in the same transaction.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from content.images import resize_cover
from content.models import Article, Author, ContentImage, ReviewComment, Topic
from content.rendering import plain_text, reading_minutes, render_markdown, render_teaser
from content.services import article_emails as emails
from content.services.indexing import refresh_search_vectors, unique_slug


class NotEditable(ValidationError):
    """The piece moved on (to review, or out) since its page was opened: the change is refused."""

    def __init__(self, article: Article):
        state = article.get_state_display().lower()
        super().__init__(
            f"It is {state} now, so it can no longer be changed; your changes were not saved."
        )


@transaction.atomic
def save_article(
    article: Article,
    *,
    saved_by,
    authors: list[Author] | None = None,
    topics: list[Topic] | None = None,
    cover_upload=None,
    remove_cover: bool = False,
) -> Article:
    """Render, store and index an article (new or changed); authors and topics if given; its
    cover replaced by `cover_upload`, or taken away with its description by `remove_cover`. A
    change is checked against the stored piece under its lock, and keeps the stored state and
    publishing time, which only review and scheduling change."""
    if article.pk is not None:
        stored = _locked(article)
        if saved_by is not None and not stored.editable_by(saved_by):
            raise NotEditable(stored)
        article.state, article.publish_at = stored.state, stored.publish_at
    if cover_upload is not None:
        article.cover = resize_cover(cover_upload)
    elif remove_cover:
        article.cover, article.cover_alt = "", ""
    if article.cover and not article.cover_alt.strip():
        raise ValidationError("Describe the cover image for people who cannot see it.")
    article.body_html = render_markdown(article.body_markdown)
    article.teaser_html = render_teaser(article.body_markdown)
    article.body_text = plain_text(article.body_html)
    article.reading_minutes = reading_minutes(article.body_text)
    if not article.slug or article.publish_at is None:
        # Never out, so nobody links to it yet: its address follows the title ("Untitled" at
        # first, often). From its first publication on, the address stays.
        article.slug = unique_slug(
            Article, article.title, fallback="article", exclude_pk=article.pk
        )
    if article.created_by_id is None and saved_by is not None:
        article.created_by = saved_by
    article.save()
    if authors is not None:
        article.authors.set(authors)
    if topics is not None:
        article.topics.set(topics)
    refresh_search_vectors(article)
    return article


@transaction.atomic
def upload_image(upload, *, by, alt: str) -> ContentImage:
    """Store an image for an article's body, checked and scaled down like a cover."""
    if not alt.strip():
        raise ValidationError("Describe the image for people who cannot see it.")
    return ContentImage.objects.create(image=resize_cover(upload), alt=alt.strip(), uploaded_by=by)


def author_for(user) -> Author:
    """The author entry of a member writing under their own name (made on first use)."""
    author = Author.objects.filter(user=user).first()
    if author:
        return author
    name = user.get_full_name() or user.email.split("@")[0]
    slug = unique_slug(Author, name, fallback="author")
    return Author.objects.create(user=user, name=name, slug=slug)


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _require_state(article: Article, *states: str, doing: str) -> None:
    if article.state not in states:
        raise ValidationError(
            f"A piece that is {article.get_state_display().lower()} cannot be {doing}."
        )


@transaction.atomic
def add_review_comment(article: Article, *, by, body: str) -> ReviewComment:
    if not body.strip():
        raise ValidationError("Write a comment first.")
    return ReviewComment.objects.create(article=article, author=by, body=body.strip())


@transaction.atomic
def submit_for_review(article: Article, *, by) -> Article:
    """The writer hands their draft to the editors."""
    article = _locked(article)
    _require_state(article, Article.State.DRAFT, doing="submitted for review")
    if not article.body_markdown.strip():
        raise ValidationError("Write the article before submitting it.")
    article.state = Article.State.IN_REVIEW
    article.save(update_fields=["state", "updated_at"])
    emails.send_submitted(article, by=by)
    return article


@transaction.atomic
def return_to_writer(article: Article, *, by, comment: str) -> Article:
    """An editor sends a piece back to draft, saying what to change."""
    article = _locked(article)
    _require_state(article, Article.State.IN_REVIEW, doing="sent back")
    review_comment = add_review_comment(article, by=by, body=comment)
    article.state = Article.State.DRAFT
    article.save(update_fields=["state", "updated_at"])
    emails.send_returned(article, review_comment, by=by)
    return article


@transaction.atomic
def schedule_article(article: Article, *, by, publish_at: datetime | None = None) -> Article:
    """Publish now (no time, or a past one) or at `publish_at`, when beat makes it published."""
    article = _locked(article)
    _require_state(
        article,
        Article.State.DRAFT,
        Article.State.IN_REVIEW,
        Article.State.SCHEDULED,
        Article.State.ARCHIVED,
        doing="scheduled",
    )
    if not article.body_markdown.strip():
        raise ValidationError("An article needs a body before it is published.")
    now = timezone.now()
    article.publish_at = publish_at or now
    article.state = Article.State.SCHEDULED if article.publish_at > now else Article.State.PUBLISHED
    article.save(update_fields=["state", "publish_at", "updated_at"])
    emails.send_scheduled(article, by=by)
    return article


@transaction.atomic
def archive_article(article: Article, *, by) -> Article:
    """Take a piece out of the library; one pulled before its scheduled time loses that time, so
    that when it comes its address stays unknown, as it would have been, not "archived"."""
    article = _locked(article)
    if article.state == Article.State.SCHEDULED and not article.is_live():
        article.publish_at = None
    article.state = Article.State.ARCHIVED
    article.save(update_fields=["state", "publish_at", "updated_at"])
    return article


@transaction.atomic
def publish_due_articles(now: datetime | None = None) -> int:
    """Turn scheduled articles whose time has come into published ones (beat, every minute), and
    tell their writers that they are live.

    The due rows are locked as they are claimed and the ones another run holds are skipped, so
    two runs at the same time publish and announce nothing twice; each email is keyed by the piece
    and its time as well, so whatever makes a run see the same going-live again, its writers hear
    of it once. Readers see them from their time anyway: `published()` counts due scheduled ones.
    """
    due = list(Article.objects.due(now).select_for_update(skip_locked=True).order_by("pk"))
    Article.objects.filter(pk__in=[article.pk for article in due]).update(
        state=Article.State.PUBLISHED, updated_at=timezone.now()
    )
    for article in due:
        article.state = Article.State.PUBLISHED
        emails.send_live(article)
    return len(due)
