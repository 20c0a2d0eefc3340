"""compose(): plan the round's independent parts, solve each, check every circle, explain the rest.

The three steps are public so a caller can run the parts apart (e.g. as separate tasks): `plan_round`
fills the pinned circles and splits the rest into independent parts, `solve_part` solves one part,
and `finish_round` merges the parts' results, composes the video stage of a large round from whoever
is left, and explains the unplaced. `compose` runs them one after another.
"""

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from circles.domain import Circle, Composition, Format, Rules, SignUp

from .describe import describe_circle
from .greedy import Built, greedy
from .improve import improve
from .parts import (
    Part,
    bits,
    can_meet_in_person,
    in_person_groups,
    in_person_part,
    mixed_part,
    video_part,
)
from .pinned import FILL_SECONDS, fill_around
from .reasons import Explainer, own_problem
from .solver import solve_exactly
from .validity import best_window, circle_violations, meeting_point

# Rounds up to this many usable people are solved whole (in person and video together) with CP-SAT;
# larger rounds are split into place clusters, then video, and big parts use the greedy composer.
WHOLE_ROUND_LIMIT = 250
EXACT_PART_LIMIT = 250
SOLVING_SHARE = 0.85
HELD_BACK_REASON = "kept on the waitlist by an organizer"
NO_MATCH_REASON = "no one else shares your available times in your format"

Reason = tuple[int, str]  # (how close they came, why): the highest wins


@dataclass
class Plan:
    """A round split into independent parts, after the locked and pinned circles are settled."""

    circles: list[Circle]  # locked circles as given, and pinned circles filled around their people
    unplaced: dict[str, str]  # reasons known before solving: held back, nothing to match on
    pool: list[SignUp]  # everyone still to compose
    parts: list[list[SignUp]]  # independent parts of the pool: solve them in any order, or at once
    whole: bool  # one part of everyone, in person and video together (a small round)
    settled: int = 0  # people in the locked and pinned circles

    @property
    def part_kind(self) -> str:
        return "mixed" if self.whole else "in_person"


@dataclass
class PartResult:
    circles: list[Circle]
    size: int  # people in the part
    bound: int | None = None  # proven most people the part can place, when known
    proven: bool = False
    placeable: set[str] = field(default_factory=set)  # everyone in some config: a cheap bound
    reasons: dict[str, Reason] = field(default_factory=dict)  # for the part's unplaced


def _placeable(part: Part) -> set[str]:
    """Everyone in some config with enough people: a cheap upper bound on who can be placed."""
    union = 0
    for config in part.configs:
        union |= config.eligible
    return {part.people[i].id for i in bits(union)}


def _to_circle(part: Part, built: Built, rules: Rules) -> Circle | None:
    members, config = built
    people = [part.people[i] for i in members]
    fmt = Format.IN_PERSON if config.kind == "in_person" else Format.VIDEO
    if circle_violations(people, fmt, rules):
        return None
    place = meeting_point(people)[0] if fmt == Format.IN_PERSON else None
    circle = Circle(
        members=[p.id for p in people], format=fmt, window=best_window(people, rules), place=place
    )
    circle.explanation = describe_circle(people, circle)
    return circle


def plan_round(
    signups: Sequence[SignUp],
    rules: Rules,
    *,
    locked: Sequence[Circle] = (),
    pinned: Sequence[Circle] = (),
    held_back: Collection[str] = (),
    fill_seconds: float = FILL_SECONDS,
    should_stop: Callable[[], bool] = lambda: False,
) -> Plan:
    """Settle locked and pinned circles, then split everyone else into independent parts.

    `locked` circles are kept exactly; each `pinned` circle lists only its locked people, who stay
    together in it while the rest of it is filled anew (`pinned.py`). Small rounds are one part;
    larger ones one part per cluster of places linked by reach (in person), and the video stage
    is composed afterwards from whoever is left (`finish_round`).
    """
    by_id: dict[str, SignUp] = {}
    for person in signups:
        by_id.setdefault(person.id, person)
    kept = {member for circle in locked for member in circle.members}
    pins = [[by_id[m] for m in c.members if m in by_id and m not in kept] for c in pinned]
    taken = kept | {p.id for group in pins for p in group}
    held = set(held_back) - taken
    unplaced: dict[str, str] = {pid: HELD_BACK_REASON for pid in held if pid in by_id}
    pool: list[SignUp] = []
    for person in by_id.values():
        if person.id in taken or person.id in held:
            continue
        problem = own_problem(person, rules)
        if problem:
            unplaced[person.id] = problem
        else:
            pool.append(person)
    circles: list[Circle] = list(locked)
    # the circles with fewest people locked in them have most to fill: they choose first
    for circle, group in sorted(zip(pinned, pins, strict=True), key=lambda pair: len(pair[1])):
        if not group:
            continue
        filled = fill_around(
            circle, group, pool, rules, time_limit=fill_seconds, should_stop=should_stop
        )
        circles.append(filled)
        joined = set(filled.members)
        pool = [p for p in pool if p.id not in joined]
    settled = sum(len(c.members) for c in circles)
    if len(pool) <= WHOLE_ROUND_LIMIT:
        return Plan(circles, unplaced, pool, [pool] if pool else [], whole=True, settled=settled)
    parts = in_person_groups([p for p in pool if can_meet_in_person(p)], rules)
    return Plan(circles, unplaced, pool, parts, whole=False, settled=settled)


def solve_part(
    people: list[SignUp],
    rules: Rules,
    *,
    kind: str,
    until: float,
    should_stop: Callable[[], bool] = lambda: False,
) -> PartResult:
    """Solve one part ("mixed", "in_person" or "video") by `until` (a time.monotonic() instant)."""
    if kind == "mixed":
        part = mixed_part(people, rules)
    elif kind == "in_person":
        part = in_person_part(people, rules, EXACT_PART_LIMIT)
    else:
        part = video_part(people, rules)
    time_limit = max(0.05, until - time.monotonic())  # building the part came out of its time
    if not part.configs:
        built, bound, proven = [], 0, True
    elif should_stop():
        built, bound, proven = [], None, False
    elif part.kind == "mixed" or len(part.people) <= EXACT_PART_LIMIT:
        hint = greedy(part, rules, should_stop)
        built, bound, proven = solve_exactly(part, rules, hint, time_limit, should_stop)
    else:
        built = improve(part, greedy(part, rules, should_stop), rules, until, should_stop)
        bound, proven = None, False
    circles = [c for c in (_to_circle(part, item, rules) for item in built) if c is not None]
    placed = {member for circle in circles for member in circle.members}
    explainer = Explainer(part, rules, placed)
    reasons: dict[str, Reason] = {}
    for person in part.people:
        if person.id in placed:
            continue
        for kind_here in explainer.kinds:
            if kind_here == "in_person" and not can_meet_in_person(person):
                continue
            if kind_here == "video" and not person.accepts_video:
                continue
            option = explainer.reason(person, kind_here)
            reasons[person.id] = max(reasons.get(person.id, option), option)
    return PartResult(circles, len(people), bound, proven, _placeable(part), reasons)


def finish_round(
    plan: Plan,
    results: Sequence[PartResult],
    rules: Rules,
    *,
    video_until: float,
    should_stop: Callable[[], bool] = lambda: False,
) -> Composition:
    """Merge the parts: the video stage of a large round, the bound, and every unplaced reason."""
    results = list(results)
    circles = list(plan.circles) + [c for result in results for c in result.circles]
    placed = {member for circle in circles[len(plan.circles) :] for member in circle.members}
    if plan.whole:
        result = results[0] if results else PartResult([], 0, 0, True)
        upper_bound = result.bound if result.bound is not None else len(result.placeable)
        optimal = result.proven
        video_reasons: dict[str, Reason] = {}
    else:
        everyone_video = video_part([p for p in plan.pool if p.accepts_video], rules)
        leftover = [p for p in plan.pool if p.id not in placed and p.accepts_video]
        if leftover:
            video = solve_part(
                leftover, rules, kind="video", until=video_until, should_stop=should_stop
            )
            results.append(video)
            circles += video.circles
            placed |= {member for circle in video.circles for member in circle.members}
        bound_ids = _placeable(everyone_video)
        for result in results:
            bound_ids |= result.placeable
        upper_bound, optimal = len(bound_ids), False
        explainer = Explainer(everyone_video, rules, placed)
        video_reasons = {
            p.id: explainer.reason(p, "video") for p in everyone_video.people if p.id not in placed
        }
    unplaced = dict(plan.unplaced)
    for person in plan.pool:
        if person.id in placed:
            continue
        options = [r.reasons[person.id] for r in results if person.id in r.reasons]
        if person.id in video_reasons:
            options.append(video_reasons[person.id])
        unplaced[person.id] = max(options)[1] if options else NO_MATCH_REASON
    optimal = optimal or len(placed) >= upper_bound  # the bound is met: nothing can beat it
    upper_bound = max(upper_bound, len(placed)) + plan.settled
    return Composition(circles=circles, unplaced=unplaced, upper_bound=upper_bound, optimal=optimal)


def compose(
    signups: Sequence[SignUp],
    rules: Rules,
    *,
    locked: Sequence[Circle] = (),
    pinned: Sequence[Circle] = (),
    held_back: Collection[str] = (),
    time_limit: float = 30.0,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Composition:
    """Compose valid circles from cleaned sign-ups; see the package docstring for the method."""
    started = time.monotonic()
    user_stop = should_stop or (lambda: False)
    plan = plan_round(
        signups,
        rules,
        locked=locked,
        pinned=pinned,
        held_back=held_back,
        fill_seconds=fill_seconds(time_limit),
        should_stop=user_stop,
    )
    return compose_plan(
        plan,
        rules,
        started=started,
        time_limit=time_limit,
        progress=progress,
        should_stop=user_stop,
    )


def fill_seconds(time_limit: float) -> float:
    """The time each pinned circle may take to fill: a small share of the whole."""
    return min(FILL_SECONDS, max(0.1, time_limit) * 0.1)


def solving_deadline(started: float, time_limit: float) -> float:
    # solving gets most of the time; explaining the unplaced and checking circles the rest
    return started + max(0.1, time_limit) * SOLVING_SHARE


def share_until(deadline: float, size: int, left: int) -> float:
    """A part's share of the time left before `deadline`, in proportion to its people."""
    now = time.monotonic()
    return now + max(0.0, deadline - now) * min(1.0, size / max(1, left))


def compose_plan(
    plan: Plan,
    rules: Rules,
    *,
    started: float,
    time_limit: float,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> Composition:
    """Solve a plan's parts one after another, then finish the round."""
    deadline = solving_deadline(started, time_limit)
    report = progress or (lambda fraction: None)
    total = max(1, len(plan.pool))
    done = 0
    results = []
    for people in plan.parts:
        until = share_until(deadline, len(people), total - done)
        results.append(
            solve_part(people, rules, kind=plan.part_kind, until=until, should_stop=should_stop)
        )
        done += len(people)
        report(min(1.0, done / total))
    placed = {member for result in results for c in result.circles for member in c.members}
    video_size = sum(1 for p in plan.pool if p.id not in placed and p.accepts_video)
    composition = finish_round(
        plan,
        results,
        rules,
        video_until=share_until(deadline, video_size, total - done),
        should_stop=should_stop,
    )
    report(1.0)
    return composition
