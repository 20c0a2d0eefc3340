"""Keeping the framework (publishing and copying versions) and reading results off it.

A published version is frozen (the admin refuses to change it); a change is a copy, edited as a
draft and then published, which retires the version before it. Assessments keep pointing at the
version they were made with, so their results never move.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from mentoring import framework
from mentoring.models import (
    Competency,
    Direction,
    DirectionWeight,
    FrameworkVersion,
    Skill,
)

LEVELS = Skill.Level


def version_problems(version: FrameworkVersion) -> list[str]:
    """What stops a version from being published: empty levels, weights not adding up to 100."""
    competencies = list(version.competencies.prefetch_related("skills"))
    problems = [] if competencies else ["The version has no competencies."]
    for competency in competencies:
        levels = {skill.level for skill in competency.skills.all()}
        problems += [
            f"{competency.name} has no skills on level {level} ({level.label})."
            for level in LEVELS
            if level not in levels
        ]
    for direction in version.directions.prefetch_related("weights__competency"):
        weights = {w.competency_id: w.weight for w in direction.weights.all()}
        if set(weights) != {c.pk for c in competencies}:
            problems.append(f"{direction.name} needs a weight for every competency.")
        elif sum(weights.values()) != 100:
            problems.append(
                f"{direction.name}'s weights add up to {sum(weights.values())}, not 100."
            )
    if not version.directions.exists():
        problems.append("The version has no directions.")
    return problems


@transaction.atomic
def publish_version(version: FrameworkVersion) -> FrameworkVersion:
    """Make a complete draft the version members assess against; the previous one retires."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise ValidationError(f"{version} is already published.")
    problems = version_problems(version)
    if problems:
        raise ValidationError(problems)
    FrameworkVersion.objects.published().select_for_update().update(
        status=FrameworkVersion.Status.RETIRED
    )
    version.status = FrameworkVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


@transaction.atomic
def copy_version(version: FrameworkVersion) -> FrameworkVersion:
    """A new draft with everything `version` has, to change and publish as the next version."""
    number = (FrameworkVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = FrameworkVersion.objects.create(
        number=number, copied_from=version, notes=f"Copied from version {version.number}."
    )
    copies = {}
    for old in version.competencies.prefetch_related("skills", "topics"):
        competency = Competency.objects.create(
            version=draft,
            name=old.name,
            slug=old.slug,
            position=old.position,
            description=old.description,
        )
        competency.topics.set(old.topics.all())
        copies[old.pk] = competency
        Skill.objects.bulk_create(
            Skill(competency=competency, level=s.level, position=s.position, text=s.text, key=s.key)
            for s in old.skills.all()
        )
    for old in version.directions.prefetch_related("weights"):
        direction = Direction.objects.create(
            version=draft,
            name=old.name,
            slug=old.slug,
            position=old.position,
            description=old.description,
        )
        DirectionWeight.objects.bulk_create(
            DirectionWeight(
                direction=direction, competency=copies[w.competency_id], weight=w.weight
            )
            for w in old.weights.all()
        )
    return draft


def competencies_of(version: FrameworkVersion) -> list[Competency]:
    """The version's competencies with their skills and topics, read in three queries."""
    return list(
        version.competencies.prefetch_related(
            Prefetch("skills", queryset=Skill.objects.order_by("level", "position", "pk")),
            "topics",
        )
    )


@dataclass
class SkillRow:
    skill: Skill
    score: int | None  # None: not scored yet (counted as 0)
    example: str = ""
    self_score: int | None = None  # before a mentor's adjustment
    comment: str = ""  # the mentor's, when they adjusted it
    holds_back: bool = False

    @property
    def adjusted(self) -> bool:
        return bool(self.comment)


@dataclass
class LevelRow:
    number: int
    label: str
    skills: list[SkillRow]
    working: framework.LevelWorking


@dataclass
class CompetencyResult:
    competency: Competency
    working: framework.CompetencyWorking
    levels: list[LevelRow]
    weight: int = 0

    @property
    def level(self) -> int:
        return self.working.level

    @property
    def level_label(self) -> str:
        return LEVELS(self.working.level).label


@dataclass
class Result:
    competencies: list[CompetencyResult]
    progress: float
    unscored: int
    next_skills: list[SkillRow] = field(default_factory=list)

    @property
    def levels(self) -> dict[str, int]:
        return {c.competency.slug: c.level for c in self.competencies}


def _competency_result(competency, rows: list[SkillRow], weight: int) -> CompetencyResult:
    by_level = [[row for row in rows if row.skill.level == level] for level in LEVELS]
    working = framework.explain_competency(
        [[row.score or 0 for row in level] for level in by_level]
    )
    for rows_on_level, level_working in zip(by_level, working.levels, strict=True):
        for position in level_working.holding_back:
            rows_on_level[position].holds_back = True
    levels = [
        LevelRow(level.value, level.label, rows_on_level, level_working)
        for level, rows_on_level, level_working in zip(
            LEVELS, by_level, working.levels, strict=True
        )
    ]
    return CompetencyResult(competency, working, levels, weight)


def compute_result(
    competencies: list[Competency],
    direction: Direction,
    *,
    scores: dict[int, int],
    examples: dict[int, str] | None = None,
    adjustments: dict[int, tuple[int, str]] | None = None,
) -> Result:
    """Levels, progress and the working for `scores` ({skill pk: score}), with a mentor's
    `adjustments` ({skill pk: (score, comment)}) taking the place of the member's own."""
    examples, adjustments = examples or {}, adjustments or {}
    weights = direction.weight_map()
    results = []
    for competency in competencies:
        rows = []
        for skill in competency.skills.all():
            own = scores.get(skill.pk)
            score, comment = adjustments.get(skill.pk, (own, ""))
            rows.append(SkillRow(skill, score, examples.get(skill.pk, ""), own, comment))
        results.append(_competency_result(competency, rows, weights.get(competency.slug, 0)))
    slugs = [c.competency.slug for c in results]
    workings = {slug: c.working for slug, c in zip(slugs, results, strict=True)}
    weight_of = {slug: c.weight for slug, c in zip(slugs, results, strict=True)}
    progress = framework.overall_progress({s: w.level for s, w in workings.items()}, weight_of)
    unscored = sum(row.score is None for c in results for lv in c.levels for row in lv.skills)
    by_slug = dict(zip(slugs, results, strict=True))
    next_rows = [
        by_slug[n.competency].levels[n.level].skills[n.position]
        for n in framework.next_skills(workings, weight_of)
    ]
    return Result(results, progress, unscored, next_rows)
