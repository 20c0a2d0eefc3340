"""The emails writers get when an editor acts on their piece, or when it goes live at its time,
and the editors get when a writer submits one: one outbox row per person and event.

Sent to every author of the piece with an account, except the editor acting (who knows).
"""

from community.models import User
from community.services.emails import queue_email
from content.calendar import zone_of
from content.models import Article, ReviewComment


def _writers(article: Article, *, by) -> list:
    authors = article.authors.filter(user__isnull=False, user__is_active=True)
    users = [author.user for author in authors.select_related("user").order_by("pk")]
    return [user for user in users if by is None or user.pk != by.pk]


def _opens_writing_page(user) -> bool:
    """The writing page lists every piece a member wrote, created or co-written (and every
    piece to editors); the writers emailed are the piece's authors."""
    return getattr(user, "is_member", False) or getattr(user, "is_editor", False)


def _send(article: Article, user, *, template: str, key: str, **extra) -> None:
    context = {
        "recipient": user,
        "article": article,
        "tz": zone_of(user).key,
        "opens_writing_page": _opens_writing_page(user),
        **extra,
    }
    queue_email(
        to=user.email, template=template, context=context, key=f"{key}:{user.pk}", user=user
    )


def send_returned(article: Article, comment: ReviewComment, *, by) -> None:
    """Sent back to draft: the editor's comment, and where to revise the piece."""
    for user in _writers(article, by=by):
        key = f"article-returned:{comment.pk}"
        _send(article, user, template="article_returned", key=key, comment=comment)


def send_scheduled(article: Article, *, by) -> None:
    """Published now, or scheduled for a time (one email per piece and time)."""
    template = (
        "article_scheduled" if article.state == Article.State.SCHEDULED else "article_published"
    )
    for user in _writers(article, by=by):
        key = f"{template.replace('_', '-')}:{article.pk}:{article.publish_at.isoformat()}"
        _send(article, user, template=template, key=key)


def send_live(article: Article) -> None:
    """A scheduled piece went live at its time (one email per piece and time)."""
    for user in _writers(article, by=None):
        key = f"article-live:{article.pk}:{article.publish_at.isoformat()}"
        _send(article, user, template="article_live", key=key)


def send_submitted(article: Article, *, by) -> None:
    """A writer asks for a review: every editor is told (one email per submission)."""
    editors = User.objects.filter(groups__name=User.EDITORS, is_active=True).exclude(pk=by.pk)
    key = f"article-submitted:{article.pk}:{article.updated_at.isoformat()}"
    for editor in editors.order_by("pk"):
        _send(article, editor, template="article_submitted", key=key, writer=by)
