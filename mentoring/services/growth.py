"""A member's growth over their agreed reviews: the charts, what changed between two reviews,
coaches for what to work on next; and the organizers' anonymous totals."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from community.models import User
from mentoring.models import Assessment, CoachProfile, Competency, Review, Skill
from mentoring.services.framework import Result

WIDTH, HEIGHT, PAD_X, PAD_Y = 600, 220, 40, 20
TOP_LEVEL = 5
# Totals over fewer people than this are not shown: a count of one or two can name someone.
SMALLEST_GROUP = 3


def agreed_reviews(member: User) -> QuerySet[Review]:
    return (
        Review.objects.agreed()
        .of_member(member)
        .select_related("assessment__direction", "assessment__version", "mentor")
        .order_by("agreed_at", "pk")
    )


def _x(index: int, count: int) -> float:
    if count == 1:
        return WIDTH / 2
    return round(PAD_X + index * (WIDTH - 2 * PAD_X) / (count - 1), 1)


def _y(value: float) -> float:
    return round(HEIGHT - PAD_Y - float(value) / TOP_LEVEL * (HEIGHT - 2 * PAD_Y), 1)


def _series(values: list, labels: list[str], name: str) -> dict:
    dots = [
        {"x": _x(i, len(values)), "y": _y(v), "title": f"{name}, {label}: {v}"}
        for i, (v, label) in enumerate(zip(values, labels, strict=True))
    ]
    return {"name": name, "points": " ".join(f"{d['x']},{d['y']}" for d in dots), "dots": dots}


def chart_frame() -> dict:
    """The chart's size and its horizontal grid, one line per level."""
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "label_x": PAD_X - 8,
        "grid": [{"y": _y(level), "label": level} for level in range(TOP_LEVEL + 1)],
    }


def _labels(reviews: list[Review]) -> list[str]:
    """Each review's day in the viewer's timezone, as the table beside the chart shows it."""
    return [f"{timezone.localtime(r.agreed_at):%-d %b %Y}" for r in reviews]


def progress_chart(reviews: list[Review]) -> dict:
    labels = _labels(reviews)
    values = [r.agreed_progress for r in reviews]
    return {**chart_frame(), "series": [_series(values, labels, "Overall progress")]}


def competency_names(reviews: list[Review]) -> dict[str, str]:
    """{slug: name} of every competency the reviews were made on, newest names last."""
    versions = {r.assessment.version_id for r in reviews}
    rows = Competency.objects.filter(version__in=versions).order_by("version__number", "position")
    return {slug: name for slug, name in rows.values_list("slug", "name")}


def levels_chart(reviews: list[Review], names: dict[str, str]) -> dict:
    labels = _labels(reviews)
    series = [
        {**_series([r.agreed_levels.get(slug, 0) for r in reviews], labels, name), "slug": slug}
        for slug, name in names.items()
    ]
    return {**chart_frame(), "series": series}


def history_rows(reviews: list[Review], names: dict[str, str]) -> list[tuple]:
    """[(review, [its level of each competency in `names`, None where it had none])]."""
    return [(r, [r.agreed_levels.get(slug) for slug in names]) for r in reviews]


def final_scores(review: Review) -> dict:
    """{skill key: (score, skill)} as agreed: the member's scores with the mentor's adjustments."""
    adjusted = {a.skill_id: a.score for a in review.adjustments.all()}
    scores = review.assessment.scores.select_related("skill__competency")
    return {s.skill.key: (adjusted.get(s.skill_id, s.score), s.skill) for s in scores}


@dataclass
class Change:
    competency: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int:
        return (self.after or 0) - (self.before or 0)


@dataclass
class SkillChange:
    skill: Skill
    before: int | None
    after: int | None


@dataclass
class Comparison:
    older: Review
    newer: Review
    progress_delta: Decimal
    levels: list[Change]
    skills: list[SkillChange]


def compare_reviews(older: Review, newer: Review, names: dict[str, str]) -> Comparison:
    """What changed between two agreed reviews: progress, each level, each re-scored skill
    (skills are matched across framework versions by their key)."""
    levels = [
        Change(name, older.agreed_levels.get(slug), newer.agreed_levels.get(slug))
        for slug, name in names.items()
    ]
    before, after = final_scores(older), final_scores(newer)
    skills = [
        SkillChange(skill, before.get(key, (None,))[0], score)
        for key, (score, skill) in after.items()
        if before.get(key, (None,))[0] != score
    ]
    skills.sort(key=lambda c: (c.skill.competency.position, c.skill.level, c.skill.position))
    return Comparison(older, newer, newer.agreed_progress - older.agreed_progress, levels, skills)


def coaches_for(member: User, result: Result, *, limit: int = 3) -> list[CoachProfile]:
    """Coaches whose topics are those of the competencies the member works on next."""
    competencies = {row.skill.competency_id for row in result.next_skills}
    by_pk = {c.competency.pk: c.competency for c in result.competencies}
    topics = {t.pk for pk in competencies for t in by_pk[pk].topics.all()}
    if not topics:
        return []
    coaches = CoachProfile.objects.bookable().filter(topics__in=topics).exclude(user=member)
    return list(coaches.select_related("user").prefetch_related("topics").distinct()[:limit])


def anonymous_totals() -> dict:
    """Counts and averages over everyone's current reviews, with small groups hidden (see
    `_hide_small`), and no breakdown at all while fewer members than SMALLEST_GROUP have a review
    (the cells hidden in each row would then give away a member's level)."""
    current = list(Review.objects.current().select_related("assessment__direction").order_by())
    totals = {
        "assessments": Assessment.objects.count(),
        "completed": Assessment.objects.filter(status=Assessment.Status.COMPLETE).count(),
        "reviewed_members": len(current),
        "smallest_group": SMALLEST_GROUP,
        "top_level": TOP_LEVEL,
        "directions": [],
        "distribution": [],
    }
    if len(current) < SMALLEST_GROUP:
        return totals
    return {**totals, "directions": _directions(current), "distribution": _distribution(current)}


def _hide_small(counts: list[int]) -> list[int | None]:
    """Counts under SMALLEST_GROUP become None (zeros stay: they name nobody). A row's total is
    known (the members reviewed), so one hidden cell could be worked out from the others: more
    cells are hidden, smallest first, until at least two are and they hold SMALLEST_GROUP or more."""
    shown: list[int | None] = [n if n >= SMALLEST_GROUP or not n else None for n in counts]
    hidden = [i for i, n in enumerate(shown) if n is None]
    while hidden and (len(hidden) < 2 or sum(counts[i] for i in hidden) < SMALLEST_GROUP):
        rest = [i for i, n in enumerate(shown) if n]
        if not rest:
            break
        smallest = min(rest, key=lambda i: counts[i])
        shown[smallest] = None
        hidden.append(smallest)
    return shown


def _directions(current: list[Review]) -> list[dict]:
    by_direction = defaultdict(list)
    for review in current:
        by_direction[review.assessment.direction.name].append(review.agreed_progress)
    names = sorted(by_direction)
    people = _hide_small([len(by_direction[name]) for name in names])
    rows = []
    for name, count in zip(names, people, strict=True):
        values = by_direction[name]
        average = (sum(values) / len(values)).quantize(Decimal("0.01")) if count else None
        percent = round(float(average) / TOP_LEVEL * 100) if average is not None else 0
        rows.append({"name": name, "people": count, "average": average, "percent": percent})
    return rows


def _distribution(current: list[Review]) -> list[dict]:
    names = competency_names(current)
    order = {slug: i for i, slug in enumerate(names)}
    levels = defaultdict(Counter)
    for review in current:
        for slug, level in review.agreed_levels.items():
            levels[slug][level] += 1
    rows = []
    for slug, counter in sorted(levels.items(), key=lambda item: order.get(item[0], 99)):
        counts = [counter[level] for level in range(TOP_LEVEL + 1)]
        shown = _hide_small(counts)
        rows.append(
            {"name": names.get(slug, slug), "counts": shown, "segments": _segments(counts, shown)}
        )
    return rows


def _segments(counts: list[int], shown: list[int | None]) -> list[dict]:
    """A stacked bar of the members at each level, as percentages of the row: one segment per
    level shown, then one for the hidden levels together (their sum is no secret: it is the
    row's total less the levels shown)."""
    total = sum(counts)
    segments, start = [], 0.0
    hidden = sum(n for n, s in zip(counts, shown, strict=True) if s is None)
    for level, count in [(level, n) for level, n in enumerate(shown) if n] + [(None, hidden)]:
        if count:
            width = round(count / total * 100, 2)
            segments.append({"level": level, "x": round(start, 2), "width": width})
            start += width
    return segments
