"""Self-assessment and review: a member scores every skill, shares the result with a mentor, the
mentor adjusts scores with a comment, and once the member agrees the review is recorded for good.

Every step locks the row it changes before checking its state, so two clicks never both pass; an
agreement locks the member's row first, so two reviews agreed at once cannot both become the
member's current one.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from community.models import User
from community.services.emails import queue_email
from mentoring.models import (
    Adjustment,
    Assessment,
    Booking,
    CoachProfile,
    Direction,
    FrameworkVersion,
    Review,
    Score,
    Skill,
)
from mentoring.services.framework import Result, competencies_of, compute_result


def current_version() -> FrameworkVersion:
    version = FrameworkVersion.objects.current()
    if version is None:
        raise ValidationError("The career framework has not been published yet.")
    return version


def assessment_result(assessment: Assessment, *, with_review: bool = True) -> Result:
    """The assessment's levels and progress: the member's scores, and the mentor's adjustments
    when it has been reviewed (unless `with_review` is false)."""
    scores = {s.skill_id: (s.score, s.example) for s in assessment.scores.all()}
    adjustments = {}
    review = getattr(assessment, "review", None) if with_review else None
    if review is not None:
        adjustments = {a.skill_id: (a.score, a.comment) for a in review.adjustments.all()}
    return compute_result(
        competencies_of(assessment.version),
        assessment.direction,
        scores={pk: score for pk, (score, _) in scores.items()},
        examples={pk: example for pk, (_, example) in scores.items()},
        adjustments=adjustments,
    )


@transaction.atomic
@transaction.atomic
def start_assessment(member: User, *, direction: Direction) -> Assessment:
    """A draft against the current version, in the direction the member picked: the draft they
    already have in that direction if there is one, so a second click starts nothing new. The
    member's row is locked so two clicks at once are told apart too."""
    version = current_version()
    if direction.version_id != version.pk:
        raise ValidationError("Pick a direction of the current framework.")
    User.objects.select_for_update().filter(pk=member.pk).first()
    drafts = Assessment.objects.filter(
        member=member, version=version, direction=direction, status=Assessment.Status.DRAFT
    )
    return drafts.first() or Assessment.objects.create(
        member=member, version=version, direction=direction
    )


def _lock_assessment(assessment: Assessment, *, by: User) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.member_id != by.pk:
        raise ValidationError("Only the member can change their own assessment.")
    return locked


def save_scores(
    assessment: Assessment,
    *,
    by: User,
    scores: dict[int, int | None],
    examples: dict[int, str],
    finish: bool = False,
) -> Assessment:
    """Keep the scores given so far ({skill pk: 0, 1, 2 or None}); `finish` needs all of them,
    and without them the scores are still kept, as a draft, before it refuses."""
    assessment, left = _keep_scores(
        assessment, by=by, scores=scores, examples=examples, finish=finish
    )
    if finish and left:
        raise ValidationError(
            f"Score every skill to finish: {left} still have no score."
            " The scores you gave are saved as a draft."
        )
    return assessment


@transaction.atomic
def _keep_scores(
    assessment: Assessment,
    *,
    by: User,
    scores: dict[int, int | None],
    examples: dict[int, str],
    finish: bool,
) -> tuple[Assessment, int]:
    """Save the scores; complete when finishing with every skill scored. Returns the number of
    skills left without a score."""
    assessment = _lock_assessment(assessment, by=by)
    if Review.objects.filter(assessment=assessment).exists():
        raise ValidationError("A shared assessment is not changed. Start a new one instead.")
    skills = set(
        Skill.objects.filter(competency__version=assessment.version_id).values_list("pk", flat=True)
    )
    if not set(scores) <= skills:
        raise ValidationError("Some of those skills are not in this assessment's framework.")
    given = {pk: score for pk, score in scores.items() if score is not None}
    assessment.scores.exclude(skill__in=given).delete()
    Score.objects.bulk_create(
        [
            Score(assessment=assessment, skill_id=pk, score=score, example=examples.get(pk, ""))
            for pk, score in given.items()
        ],
        update_conflicts=True,
        unique_fields=["assessment", "skill"],
        update_fields=["score", "example"],
    )
    left = len(skills) - len(given)
    complete = finish and not left
    assessment.status = Assessment.Status.COMPLETE if complete else Assessment.Status.DRAFT
    assessment.completed_at = timezone.now() if complete else None
    assessment.save(update_fields=["status", "completed_at", "updated_at"])
    return assessment, left


def eligible_mentors(member: User) -> QuerySet[CoachProfile]:
    """Coaches the member has booked a session with, or an organizer has assigned them."""
    booked = Booking.objects.active().filter(member=member).values("coach")
    return (
        CoachProfile.objects.filter(Q(pk__in=booked) | Q(assigned_members__member=member))
        .filter(user__is_active=True)
        .exclude(user=member)
        .select_related("user")
        .distinct()
    )


@transaction.atomic
def share_assessment(assessment: Assessment, *, by: User, coach: CoachProfile) -> Review:
    """Ask `coach` to review a complete assessment; only they, and the member, will see it."""
    assessment = _lock_assessment(assessment, by=by)
    if not assessment.is_complete:
        raise ValidationError("Finish the assessment before you share it.")
    if Review.objects.filter(assessment=assessment).exists():
        raise ValidationError("This assessment is already shared.")
    if not eligible_mentors(by).filter(pk=coach.pk).exists():
        raise ValidationError("Share with a coach you have booked, or one an organizer assigned.")
    review = Review.objects.create(assessment=assessment, mentor=coach.user)
    _tell(review, event="shared", to=coach.user, about=by)
    return review


def _lock_review(review: Review, *, by: User, side: str, status: str, what: str) -> Review:
    locked = Review.objects.select_for_update().select_related("assessment").get(pk=review.pk)
    person = locked.mentor_id if side == "mentor" else locked.assessment.member_id
    if person != by.pk:
        raise ValidationError(f"Only the {side} can {what}.")
    if locked.status != status:
        raise ValidationError(
            f"The review is {locked.get_status_display().lower()}: it cannot {what} now."
        )
    return locked


@transaction.atomic
def adjust_score(
    review: Review, *, by: User, skill: Skill, score: int, comment: str
) -> Adjustment | None:
    """The mentor's score for one skill, with why; the member's own score undoes an adjustment."""
    review = _lock_review(
        review, by=by, side="mentor", status=Review.Status.OPEN, what="adjust scores"
    )
    if skill.competency.version_id != review.assessment.version_id:
        raise ValidationError("That skill is not in this assessment's framework.")
    own = (
        Score.objects.filter(assessment=review.assessment, skill=skill)
        .values_list("score", flat=True)
        .first()
    )
    if score == own:
        review.adjustments.filter(skill=skill).delete()
        return None
    if not comment.strip():
        raise ValidationError("Say why you adjust the score: the member reads it.")
    adjustment, _ = Adjustment.objects.update_or_create(
        review=review, skill=skill, defaults={"score": score, "comment": comment.strip()}
    )
    return adjustment


@transaction.atomic
def propose_review(review: Review, *, by: User) -> Review:
    """The mentor is done: the member is asked to agree."""
    review = _lock_review(
        review,
        by=by,
        side="mentor",
        status=Review.Status.OPEN,
        what="send the review for agreement",
    )
    review.status, review.proposed_at = Review.Status.PROPOSED, timezone.now()
    review.save(update_fields=["status", "proposed_at"])
    _tell(review, event="proposed", to=review.assessment.member, about=by)
    return review


@transaction.atomic
def reopen_review(review: Review, *, by: User) -> Review:
    """The member wants to talk some more before agreeing: back to the mentor, who is told."""
    review = _lock_review(
        review, by=by, side="member", status=Review.Status.PROPOSED, what="ask for changes"
    )
    if review.mentor is not None:
        # Keyed by the proposal it answers (each proposal has its own time), so a later
        # request for changes is told too.
        _tell(review, event="reopened", to=review.mentor, about=by)
    review.status, review.proposed_at = Review.Status.OPEN, None
    review.save(update_fields=["status", "proposed_at"])
    return review


@transaction.atomic
def agree_review(review: Review, *, by: User) -> Review:
    """Record the review's outcome for good; it supersedes the member's previous one."""
    User.objects.select_for_update().get(pk=by.pk)
    review = _lock_review(review, by=by, side="member", status=Review.Status.PROPOSED, what="agree")
    result = assessment_result(review.assessment)
    previous = (
        Review.objects.current().of_member(by).exclude(pk=review.pk).order_by("-agreed_at").first()
    )
    review.status, review.agreed_at = Review.Status.AGREED, timezone.now()
    review.agreed_progress = Decimal(str(result.progress)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    review.agreed_levels = result.levels
    review.supersedes = previous
    review.save()
    if review.mentor is not None:
        _tell(review, event="agreed", to=review.mentor, about=by)
    return review


def _tell(review: Review, *, event: str, to: User, about: User) -> None:
    queue_email(
        to=to.email,
        template=f"mentoring_review_{event}",
        context={"review": review, "recipient": to, "other": about},
        key=f"mentoring:review:{review.pk}:{event}:{review.proposed_at or review.shared_at}",
        user=to,
        about=[about],
    )
