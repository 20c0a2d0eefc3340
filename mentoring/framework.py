"""Levels and progress on the career framework, computed on plain data (no Django).

Each skill is scored 0 (not at all), 1 (partly) or 2 (fully, with examples). A level is reached when
the average of its skills is above 1.7 (strictly: exactly 1.7 is not enough), none of its skills
scores 0, and the level below it is reached, so levels cannot be skipped.

Level 0, Starter, is both the floor and a level with skills of its own. A competency is at level 0
whether or not its Starter skills are reached ("0 if none"), but nothing above Starter counts until
they are: Starter is the "previous level" of level 1. The working tells the two cases apart
(`CompetencyWorking.starter_reached`), so a page can say "Starter, not yet complete".

The comparison is made in whole numbers (sum × 10 > 17 × count), so no float rounding can turn an
average of exactly 1.7 into a reached level.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SCORES = (0, 1, 2)
FULLY = 2
# A level's average must be above THRESHOLD_TENTHS / 10.
THRESHOLD_TENTHS = 17


class Reason:
    """Why a level is not reached (the empty string when it is)."""

    REACHED = ""
    NO_SKILLS = "no_skills"
    ZERO = "zero"
    AVERAGE = "average"
    PREVIOUS = "previous"


@dataclass(frozen=True)
class LevelWorking:
    """One level of one competency: its scores, whether it is reached, and what holds it back."""

    level: int
    scores: tuple[int, ...]
    reached: bool
    reason: str
    # Positions (in `scores`) of the skills that hold this level back: those scoring 0 if any,
    # otherwise those below "fully" when the average is too low.
    holding_back: tuple[int, ...]

    @property
    def average(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None

    @property
    def met_on_its_own(self) -> bool:
        """Its own skills are good enough, whatever the level below."""
        return self.reason in (Reason.REACHED, Reason.PREVIOUS)


@dataclass(frozen=True)
class CompetencyWorking:
    level: int
    levels: tuple[LevelWorking, ...]

    @property
    def starter_reached(self) -> bool:
        return bool(self.levels) and self.levels[0].reached

    @property
    def next_level(self) -> LevelWorking | None:
        """The lowest level not reached: the one to work on (None when every level is)."""
        return next((working for working in self.levels if not working.reached), None)


def _check_scores(scores: Sequence[int]) -> None:
    for score in scores:
        if score not in SCORES:
            raise ValueError(f"A skill is scored 0, 1 or 2, not {score!r}.")


def _own_reason(scores: Sequence[int]) -> tuple[str, tuple[int, ...]]:
    if not scores:
        return Reason.NO_SKILLS, ()
    zeros = tuple(i for i, score in enumerate(scores) if score == 0)
    if zeros:
        return Reason.ZERO, zeros
    if sum(scores) * 10 <= THRESHOLD_TENTHS * len(scores):
        return Reason.AVERAGE, tuple(i for i, score in enumerate(scores) if score < FULLY)
    return Reason.REACHED, ()


def explain_competency(scores_by_level: Sequence[Sequence[int]]) -> CompetencyWorking:
    """The working behind `competency_level`: each level, reached or not, and why."""
    levels, previous_reached, level = [], True, 0
    for number, scores in enumerate(scores_by_level):
        _check_scores(scores)
        reason, holding_back = _own_reason(scores)
        if reason == Reason.REACHED and not previous_reached:
            reason = Reason.PREVIOUS
        reached = reason == Reason.REACHED
        levels.append(LevelWorking(number, tuple(scores), reached, reason, holding_back))
        if reached:
            level = number
        previous_reached = reached
    return CompetencyWorking(level, tuple(levels))


def competency_level(scores_by_level: list[list[int]]) -> int:
    """The highest level reached, given the skill scores of levels 0, 1, 2... in order (0 if none)."""
    return explain_competency(scores_by_level).level


def overall_progress(levels: dict[str, int], weights: dict[str, int]) -> float:
    """The weighted average of the competency levels with a direction's weights."""
    if set(levels) != set(weights):
        raise ValueError(
            f"Levels and weights name different competencies: {sorted(levels)} and {sorted(weights)}."
        )
    if any(weight < 0 for weight in weights.values()) or sum(weights.values()) <= 0:
        raise ValueError("Weights are not negative and add up to more than zero.")
    total = sum(levels[name] * weight for name, weight in weights.items())
    return total / sum(weights.values())


@dataclass(frozen=True)
class NextSkill:
    competency: str
    level: int
    position: int
    score: int


def next_skills(
    workings: Mapping[str, CompetencyWorking], weights: Mapping[str, int], *, limit: int = 6
) -> list[NextSkill]:
    """What to work on next: every skill below "fully" on each competency's next level, the
    competencies the direction weighs most first (ties in the order given), zeros before ones."""
    order = {name: i for i, name in enumerate(workings)}
    ranked = sorted(workings, key=lambda name: (-weights.get(name, 0), order[name]))
    found = []
    for name in ranked:
        level = workings[name].next_level
        if level is None:
            continue
        below = [i for i, score in enumerate(level.scores) if score < FULLY]
        positions = sorted(below, key=lambda i: (level.scores[i], i))
        found += [NextSkill(name, level.level, i, level.scores[i]) for i in positions]
    return found[:limit]
