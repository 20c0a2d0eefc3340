"""Coaches to suggest to a member: those teaching the topics the member told us about, on their
application or profile or when signing up to learning circles."""

from typing import NamedTuple

from circles.models import SignUp
from mentoring.models import CoachProfile, Topic

SUGGESTED_COACHES = 3


class Suggestion(NamedTuple):
    coaches: list[CoachProfile]
    topics: list[Topic]  # the member's topics these coaches coach on


def suggested_topics(user, *, topics: list[Topic] | None = None) -> list[Topic]:
    """The topics whose name appears in what the member told us they want to talk through: on
    their application or profile (copied from one to the other on approval), and when they signed
    up to learning circles."""
    texts = SignUp.objects.filter(user=user).exclude(topics="").order_by()  # no join for order
    texts = list(texts.values_list("topics", flat=True))
    member = getattr(user, "member", None)
    if member is not None and member.interests:
        texts.append(member.interests)
    written = " ".join(texts).casefold()
    if not written:
        return []
    topics = Topic.objects.all() if topics is None else topics
    return [topic for topic in topics if topic.name.casefold() in written]


def suggest_coaches(user, *, topics: list[Topic] | None = None) -> Suggestion:
    """A few bookable coaches teaching the member's topics, and which of them they teach: the
    page names only those, not topics no suggested coach coaches on."""
    wanted = suggested_topics(user, topics=topics)
    if not wanted:
        return Suggestion([], [])
    coaches = (
        CoachProfile.objects.bookable()
        .teaching_any(wanted)
        .exclude(user=user)
        .select_related("user")
        .only("user__first_name", "user__last_name", "user__email")  # a link with their name
    )
    coaches = list(coaches[:SUGGESTED_COACHES])
    taught = set(
        CoachProfile.topics.through.objects.filter(
            coachprofile__in=coaches, topic__in=wanted
        ).values_list("topic_id", flat=True)
    )
    return Suggestion(coaches, [topic for topic in wanted if topic.pk in taught])
