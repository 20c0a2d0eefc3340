"""The career framework organizers keep: versions, competencies, their skills, and directions.

A version is edited while it is a draft and frozen once published; changing the framework means
copying the current version into a new draft (mentoring.services.framework.copy_version) and
publishing that. Assessments point at the version they were made with, so a change never alters a
past result.
"""

import uuid

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from .coaches import Topic


class FrameworkVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=FrameworkVersion.Status.PUBLISHED)

    def current(self) -> "FrameworkVersion | None":
        return self.published().first()


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (being edited)"
        PUBLISHED = "published", "Published (the one members assess against)"
        RETIRED = "retired", "Retired (kept for past assessments)"

    number = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    notes = models.TextField(blank=True, help_text="What changed in this version, and why.")
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="framework_one_published_version",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="framework_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Framework version {self.number} ({self.get_status_display().split(' (')[0]})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Competency(models.Model):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="competencies"
    )
    name = models.CharField(max_length=80)
    # The same competency across versions: copies keep it, history lines up on it.
    slug = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=300, blank=True)
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="framework_competencies",
        help_text="Coaching topics that help with this competency (to suggest coaches).",
    )

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="competency_slug_per_version"),
            models.UniqueConstraint(fields=["version", "name"], name="competency_name_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version.number})"


class Skill(models.Model):
    class Level(models.IntegerChoices):
        STARTER = 0, "Starter"
        BEGINNER = 1, "Beginner"
        INTERMEDIATE = 2, "Intermediate"
        ADVANCED = 3, "Advanced"
        EXPERT = 4, "Expert"
        LEADING_EXPERT = 5, "Leading expert"

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="skills")
    level = models.PositiveSmallIntegerField(choices=Level)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    # The same skill across versions (kept by copies), so two reviews can be compared skill by skill.
    key = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["competency__position", "level", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(level__lte=5), name="skill_level_in_range"),
            models.UniqueConstraint(fields=["competency", "key"], name="skill_key_per_competency"),
        ]

    def __str__(self) -> str:
        return self.text


class Direction(models.Model):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="directions"
    )
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="direction_slug_per_version"),
        ]

    def __str__(self) -> str:
        return self.name

    def weight_map(self) -> dict[str, int]:
        """{competency slug: weight}, for mentoring.framework.overall_progress."""
        return {w.competency.slug: w.weight for w in self.weights.select_related("competency")}


class DirectionWeight(models.Model):
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="weights")
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="direction_weights"
    )
    weight = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["direction", "competency__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "competency"], name="direction_weight_once"
            ),
            models.CheckConstraint(condition=Q(weight__lte=100), name="direction_weight_max"),
        ]

    def __str__(self) -> str:
        return f"{self.competency.name}: {self.weight}"
