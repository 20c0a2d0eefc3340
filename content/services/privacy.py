"""What content holds about a person, for the privacy registry's export and erasure.

Published articles belong to the library: erasing a writer keeps them, signed with the name they
were published under but no longer linked to the account (their author page says "Former member"),
and deletes their unpublished drafts.
A draft they started with a co-author who has an account is that co-author's work too: it passes to
them, without the leaving writer's name.
Their places in upcoming webinars are given up as a cancellation gives them up, so the first person
waiting moves up; only that person is emailed.
"""

from content.models import (
    Article,
    Author,
    ContentImage,
    FeedToken,
    Registration,
    ReviewComment,
    WebinarMessage,
)
from content.services.webinars import release_places_of

UNPUBLISHED = [Article.State.DRAFT, Article.State.IN_REVIEW]


def export_content(user) -> dict:
    author = Author.objects.filter(user=user).first()
    pieces = Article.objects.written_by(user).order_by("pk")  # created or co-written
    return {
        "author": {"name": author.name, "bio": author.bio} if author else None,
        "pieces": [
            {
                "title": piece.title,
                "state": piece.state,
                "visibility": piece.visibility,
                "summary": piece.summary,
                "body_markdown": piece.body_markdown,
                "created_at": piece.created_at.isoformat(),
            }
            for piece in pieces
        ],
        "review_comments": [
            {"article": comment.article.title, "body": comment.body}
            for comment in ReviewComment.objects.filter(author=user).select_related("article")
        ],
        "uploaded_images": [
            {"description": image.alt, "file": image.image.name}
            for image in ContentImage.objects.filter(uploaded_by=user)
        ],
        "has_personal_feed": FeedToken.objects.filter(user=user).exists(),
        "webinar_registrations": [
            {
                "webinar": registration.webinar.title,
                "starts_at": registration.webinar.starts_at.isoformat(),
                "status": registration.status,
                "registered_at": registration.created_at.isoformat(),
            }
            for registration in Registration.objects.filter(user=user).select_related("webinar")
        ],
    }


def _hand_over_co_written_drafts(user) -> None:
    drafts = Article.objects.filter(created_by=user, state__in=UNPUBLISHED)
    for draft in drafts.prefetch_related("authors"):
        others = [a for a in draft.authors.all() if a.user_id and a.user_id != user.pk]
        if others:
            draft.authors.remove(*[a for a in draft.authors.all() if a.user_id == user.pk])
            draft.created_by_id = min(others, key=lambda a: a.pk).user_id
            draft.save(update_fields=["created_by"])


def erase_content(user) -> None:
    _hand_over_co_written_drafts(user)
    Article.objects.filter(created_by=user, state__in=UNPUBLISHED).delete()
    Article.objects.filter(created_by=user).update(created_by=None)
    ReviewComment.objects.filter(author=user).delete()
    # The byline stays on what they published; the bio they wrote about themselves goes.
    Author.objects.filter(user=user).update(user=None, former_member=True, bio="")
    FeedToken.objects.filter(user=user).delete()
    ContentImage.objects.filter(uploaded_by=user).update(uploaded_by=None)  # articles show them
    release_places_of(user)  # upcoming webinars: the waitlist moves up, as on a cancellation
    Registration.objects.filter(user=user).delete()
    WebinarMessage.objects.filter(sent_by=user).update(sent_by=None)
