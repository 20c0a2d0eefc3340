"""Coaches to suggest to a member: those teaching the topics the member told us about."""

from circles.models import SignUp
from mentoring.models import Topic


def suggested_topics(user, *, topics: list[Topic] | None = None) -> list[Topic]:
    """The topics whose name appears in what the member wrote they want to discuss when they
    signed up to learning circles."""
    texts = SignUp.objects.filter(user=user).exclude(topics="").order_by()  # no join for order
    texts = texts.values_list("topics", flat=True)
    written = " ".join(texts).casefold()
    if not written:
        return []
    topics = Topic.objects.all() if topics is None else topics
    return [topic for topic in topics if topic.name.casefold() in written]
