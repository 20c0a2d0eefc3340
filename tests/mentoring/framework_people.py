"""Helpers for the career framework tests: the default framework, scores that give chosen levels,
a coach the member has booked."""

from datetime import timedelta

from django.utils import timezone

from community.models import User
from mentoring.default_framework import load_default_framework
from mentoring.models import Assessment, Booking, CoachProfile, Direction, Review, Skill
from mentoring.services import assessments as service
from tests.mentoring.factories import make_booking, make_coach_profile

IC_LEVELS = {
    "delivery": 2,
    "domain-expertise": 3,
    "problem-solving": 2,
    "communication": 2,
    "leadership": 1,
}


def the_framework():
    """The default framework, loaded again if a transactional test flushed it."""
    return load_default_framework()


def direction(slug: str = "individual-contributor") -> Direction:
    return the_framework().directions.get(slug=slug)


def scores_for(assessment: Assessment, levels: dict[str, int]) -> dict[int, int]:
    """Scores that put each competency at `levels[slug]`: 2 up to that level, 1 above it."""
    skills = Skill.objects.filter(competency__version=assessment.version).select_related(
        "competency"
    )
    return {s.pk: 2 if s.level <= levels[s.competency.slug] else 1 for s in skills}


def booked_coach(coach: User, member: User) -> CoachProfile:
    profile = getattr(coach, "coach_profile", None) or make_coach_profile(coach)
    earlier = timedelta(days=3, hours=2 * profile.bookings.count())  # one after the other
    starts_at = timezone.now().replace(microsecond=0) - earlier
    make_booking(profile, member, starts_at, agenda="My next role", status=Booking.Status.HELD)
    return profile


def completed_assessment(member: User, levels: dict[str, int] = IC_LEVELS, **kwargs) -> Assessment:
    assessment = service.start_assessment(member, direction=kwargs.get("direction") or direction())
    scores = scores_for(assessment, levels)
    return service.save_scores(assessment, by=member, scores=scores, examples={}, finish=True)


def agreed_review(member: User, profile: CoachProfile, levels=IC_LEVELS, adjust=None) -> Review:
    """A complete assessment shared with `profile`, adjusted ({skill: (score, comment)}), agreed."""
    assessment = completed_assessment(member, levels)
    review = service.share_assessment(assessment, by=member, coach=profile)
    for skill, (score, comment) in (adjust or {}).items():
        service.adjust_score(review, by=profile.user, skill=skill, score=score, comment=comment)
    service.propose_review(review, by=profile.user)
    return service.agree_review(review, by=member)


def first_skill(slug: str, level: int, version=None) -> Skill:
    version = version or the_framework()
    return Skill.objects.filter(
        competency__version=version, competency__slug=slug, level=level
    ).first()
