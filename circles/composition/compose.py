"""compose(): split the round into parts, solve each, check every circle, explain the rest."""

import time
from collections.abc import Callable, Collection, Sequence

from circles.domain import Circle, Composition, Format, Rules, SignUp

from .describe import describe_circle
from .greedy import Built, greedy
from .improve import improve
from .parts import Part, bits, can_meet_in_person, in_person_parts, mixed_part, video_part
from .reasons import Explainer, own_problem
from .solver import solve_exactly
from .validity import best_window, circle_violations, meeting_point

# Rounds up to this many usable people are solved whole (in person and video together) with CP-SAT;
# larger rounds are split into place clusters, then video, and big parts use the greedy composer.
WHOLE_ROUND_LIMIT = 250
EXACT_PART_LIMIT = 250
SOLVING_SHARE = 0.85
HELD_BACK_REASON = "kept on the waitlist by an organizer"


def _placeable(part: Part, rules: Rules) -> set[str]:
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


def compose(
    signups: Sequence[SignUp],
    rules: Rules,
    *,
    locked: Sequence[Circle] = (),
    held_back: Collection[str] = (),
    time_limit: float = 30.0,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Composition:
    """Compose valid circles from cleaned sign-ups; see the package docstring for the method."""
    started = time.monotonic()
    # solving gets most of the time; explaining the unplaced and checking circles the rest
    deadline = started + max(0.1, time_limit) * SOLVING_SHARE
    report = progress or (lambda fraction: None)
    user_stop = should_stop or (lambda: False)

    def stop() -> bool:
        return user_stop() or time.monotonic() >= deadline

    by_id: dict[str, SignUp] = {}
    for person in signups:
        by_id.setdefault(person.id, person)
    taken = {member for circle in locked for member in circle.members}
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
    explainers: list[tuple[Part, Explainer | None]] = []
    upper_bound, optimal = 0, True
    solved_parts: list[Part] = []
    if len(pool) <= WHOLE_ROUND_LIMIT:
        plan = [mixed_part(pool, rules)]
        second_stage = False
    else:
        plan = in_person_parts([p for p in pool if can_meet_in_person(p)], rules, EXACT_PART_LIMIT)
        second_stage = True
        everyone_video = video_part([p for p in pool if p.accepts_video], rules)
        bound_ids = _placeable(everyone_video, rules)
        for part in plan:
            bound_ids |= _placeable(part, rules)
        upper_bound, optimal = len(bound_ids), False
    total = max(1, len(pool))
    done = 0
    placed: set[str] = set()

    def run(part: Part) -> None:
        nonlocal upper_bound, optimal, done
        if not part.configs:
            built, bound, proven = [], 0, True
        elif user_stop():
            built, bound, proven = [], None, False
        elif part.kind == "mixed" or len(part.people) <= EXACT_PART_LIMIT:
            share = len(part.people) / max(1, total - done)
            budget = max(0.05, (deadline - time.monotonic()) * min(1.0, share))
            hint = greedy(part, rules, user_stop)
            built, bound, proven = solve_exactly(part, rules, hint, budget, user_stop)
        else:
            built, bound, proven = greedy(part, rules, user_stop), None, False
            share = len(part.people) / max(1, total - done)
            until = time.monotonic() + (deadline - time.monotonic()) * min(1.0, share)
            built = improve(part, built, rules, until, user_stop)
        for item in built:
            circle = _to_circle(part, item, rules)
            if circle is not None:
                circles.append(circle)
                placed.update(circle.members)
        if not second_stage:
            upper_bound = bound if bound is not None else len(_placeable(part, rules))
            optimal = proven
        solved_parts.append(part)
        done += len(part.people)
        report(min(1.0, done / total))

    for part in plan:
        run(part)
    if second_stage:
        leftover = [p for p in pool if p.id not in placed and p.accepts_video]
        if leftover:
            run(video_part(leftover, rules))

    explainers = [Explainer(part, rules, placed) for part in solved_parts]
    if second_stage:
        explainers.append(Explainer(everyone_video, rules, placed))
    for person in pool:
        if person.id in placed:
            continue
        options = []
        for explainer in explainers:
            if person.id not in explainer.index:
                continue
            for kind in explainer.kinds:
                if kind == "in_person" and not can_meet_in_person(person):
                    continue
                if kind == "video" and not person.accepts_video:
                    continue
                options.append(explainer.reason(person, kind))
        if options:
            unplaced[person.id] = max(options)[1]
        else:
            unplaced[person.id] = "no one else shares your available times in your format"
    if upper_bound is not None:
        optimal = optimal or len(placed) >= upper_bound  # the bound is met: nothing can beat it
        upper_bound = max(upper_bound, len(placed)) + len(taken)
    report(1.0)
    return Composition(circles=circles, unplaced=unplaced, upper_bound=upper_bound, optimal=optimal)
