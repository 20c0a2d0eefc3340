"""Demo career framework history for `make run`: the demo member, mentored by the demo coach, with
two agreed reviews six months apart and a draft they have started."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from community.demo import DEMO_LOGINS
from community.models import User
from mentoring.default_framework import link_default_topics, load_default_framework
from mentoring.models import Assessment, CoachProfile, MentorAssignment, Review, Skill
from mentoring.services import assessments

# The levels of each review: (delivery, domain, problem solving, communication, leadership).
REVIEWS = ((2, 3, 2, 1, 1), (3, 3, 2, 2, 2))


def _scores(assessment: Assessment, levels: tuple[int, ...]) -> dict[int, int]:
    wanted = dict(zip([c.slug for c in assessment.version.competencies.all()], levels, strict=True))
    skills = Skill.objects.filter(competency__version=assessment.version).select_related(
        "competency"
    )
    return {s.pk: 2 if s.level <= wanted[s.competency.slug] else 1 for s in skills}


def _review(member: User, coach: CoachProfile, levels: tuple[int, ...], *, days_ago: int) -> None:
    version = load_default_framework()
    direction = version.directions.get(slug="cross-functional-leader")
    assessment = assessments.start_assessment(member, direction=direction)
    assessments.save_scores(
        assessment, by=member, scores=_scores(assessment, levels), examples={}, finish=True
    )
    review = assessments.share_assessment(assessment, by=member, coach=coach)
    assessments.propose_review(review, by=coach.user)
    assessments.agree_review(review, by=member)
    # Demo only: date the review back so the history chart has a slope to show.
    Review.objects.filter(pk=review.pk).update(agreed_at=timezone.now() - timedelta(days=days_ago))


@transaction.atomic
def seed_framework_demo() -> int:
    """The demo member's history (idempotent: nothing is added once they have an assessment)."""
    link_default_topics(load_default_framework())  # the demo's topics exist by now
    member = User.objects.filter(email=DEMO_LOGINS["member"]).first()
    coach = CoachProfile.objects.filter(user__email=DEMO_LOGINS["coach"]).first()
    if member is None or coach is None or Assessment.objects.filter(member=member).exists():
        return 0
    MentorAssignment.objects.get_or_create(member=member, coach=coach)
    for days_ago, levels in zip((180, 7), REVIEWS, strict=True):
        _review(member, coach, levels, days_ago=days_ago)
    draft = load_default_framework().directions.get(slug="cross-functional-leader")
    assessments.start_assessment(member, direction=draft)
    return len(REVIEWS)
