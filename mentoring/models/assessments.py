"""A member's self-assessments on the framework, and the reviews they agree with a mentor.

Private: only the member and the mentor they shared an assessment with see it (the views answer
404 to anybody else); organizers see anonymous totals only, and the admin does not list these.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .coaches import CoachProfile
from .framework import Direction, FrameworkVersion, Skill


class ScoreValue(models.IntegerChoices):
    NOT_AT_ALL = 0, "Not at all"
    PARTLY = 1, "Partly"
    FULLY = 2, "Fully, with examples"


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="framework_assessments"
    )
    # PROTECT: a version or direction someone assessed against is never deleted under them.
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    direction = models.ForeignKey(Direction, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "created_at"], name="assessment_member_date")]

    def __str__(self) -> str:
        return f"Assessment {self.pk} of {self.member} ({self.direction})"

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(choices=ScoreValue)
    example = models.TextField(blank=True, max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "skill"], name="score_once_per_skill"),
            models.CheckConstraint(condition=Q(score__lte=2), name="score_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.score} for skill {self.skill_id}"


class MentorAssignment(models.Model):
    """A coach an organizer has assigned to a member, who may then review their assessments."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_assignments"
    )
    coach = models.ForeignKey(
        CoachProfile, on_delete=models.CASCADE, related_name="assigned_members"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "coach"], name="mentor_assigned_once"),
        ]

    def __str__(self) -> str:
        return f"{self.coach} mentors {self.member}"


class ReviewQuerySet(models.QuerySet):
    def agreed(self):
        return self.filter(status=Review.Status.AGREED)

    def of_member(self, user):
        return self.filter(assessment__member=user)

    def current(self):
        """Agreed and not superseded by a later review."""
        return self.agreed().filter(superseded_by__isnull=True)


class Review(models.Model):
    """An assessment shared with a mentor: they adjust scores, the member agrees, and it is
    recorded for good. A later agreed review supersedes it; it is never edited."""

    class Status(models.TextChoices):
        OPEN = "open", "With the mentor"
        PROPOSED = "proposed", "Waiting for the member to agree"
        AGREED = "agreed", "Agreed"

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="review")
    # SET_NULL: the member's record stays when the mentor's account goes.
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="framework_reviews_given",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    shared_at = models.DateTimeField(auto_now_add=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    # The outcome as recorded on agreement: what the history shows and the totals count.
    agreed_progress = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    agreed_levels = models.JSONField(default=dict, blank=True, help_text="{competency slug: level}")
    supersedes = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="superseded_by"
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["agreed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="agreed")
                | Q(agreed_at__isnull=False, agreed_progress__isnull=False),
                name="review_agreed_is_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of assessment {self.assessment_id}"

    @property
    def is_agreed(self) -> bool:
        return self.status == self.Status.AGREED


class Adjustment(models.Model):
    """A mentor's change to one score of the assessment under review, with why."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="adjustments")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(choices=ScoreValue)
    comment = models.TextField(max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "skill"], name="adjustment_once_per_skill"),
            models.CheckConstraint(condition=Q(score__lte=2), name="adjustment_score_in_range"),
            models.CheckConstraint(condition=~Q(comment=""), name="adjustment_has_comment"),
        ]

    def __str__(self) -> str:
        return f"Adjusted to {self.score} for skill {self.skill_id}"
