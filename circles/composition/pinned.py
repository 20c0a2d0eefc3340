"""Filling a circle anew around the people an organizer locked in it (no Django imports).

The locked people stay together in their circle; the rest of its seats go to people still free,
chosen by a small CP-SAT model with every rule intact: one config (a window start and an anchor
place, or an offset band) that fits all the locked people, then seats for candidates who fit it.
It prefers a target size, then a mix of role kinds and seniority levels, then as few seats as that
takes, so the rest of the round keeps as many people as possible. Pinned circles are filled before
the rest of the round is composed; locks are few, and what they take is what one circle needs.
When nobody still free can complete a valid circle with them, they are kept together as they are,
and the circle's explanation says why: locked people are never moved.
"""

import time
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from circles.domain import Circle, Format, Rules, SignUp

from .describe import describe_circle
from .parts import (
    Config,
    PlaceIndex,
    bits,
    can_meet_in_person,
    in_person_configs,
    mask_of,
    starts_by_window,
    video_configs,
)
from .validity import (
    GROUPS,
    best_window,
    circle_violations,
    distance_km,
    meeting_point,
    slots_mask,
    window_slots,
    window_starts,
)

CANDIDATE_LIMIT = 150
FILL_SECONDS = 2.0
KEPT_TOGETHER = "Kept together because its people are locked, but it breaks a rule: "


def _formats(group: Sequence[SignUp], preferred: Format) -> list[Format]:
    fits = []
    if all(can_meet_in_person(p) for p in group):
        fits.append(Format.IN_PERSON)
    if all(p.accepts_video for p in group):
        fits.append(Format.VIDEO)
    return sorted(fits, key=lambda f: f != preferred)


def _candidates(
    group: Sequence[SignUp], free: Sequence[SignUp], rules: Rules, fmt: Format
) -> list[SignUp]:
    """People still free who could sit with the whole group: format, window, place, company."""
    length = window_slots(rules)
    common = slots_mask(group[0].slots)
    for person in group[1:]:
        common &= slots_mask(person.slots)
    companies = {p.company_key for p in group if p.company_key}
    span = rules.max_offset_span_hours * 60
    offsets = [p.utc_offset_minutes for p in group]
    found = []
    for person in free:
        if person.company_key and person.company_key in companies:
            continue
        starts = window_starts(common & slots_mask(person.slots), length)
        if not starts:
            continue
        if fmt == Format.IN_PERSON:
            if not can_meet_in_person(person) or any(
                distance_km(person.place, p.place) > 2 * rules.max_distance_km for p in group
            ):
                continue
        elif not person.accepts_video or (
            max(offsets + [person.utc_offset_minutes]) - min(offsets + [person.utc_offset_minutes])
            > span
        ):
            continue
        found.append((starts.bit_count(), person.id, person))
    # the least flexible first (fewest window starts with the group): they have fewest other chances
    return [person for _n, _id, person in sorted(found)[:CANDIDATE_LIMIT]]


def _configs(people: list[SignUp], rules: Rules, fmt: Format, group_mask: int) -> list[Config]:
    windows = starts_by_window(people, rules)
    if fmt == Format.IN_PERSON:
        configs = in_person_configs(people, rules, windows, PlaceIndex(people, rules))
    else:
        configs = video_configs(people, rules, windows)
    return [c for c in configs if c.eligible & group_mask == group_mask]


def _solve(
    people: list[SignUp],
    group_size: int,
    configs: list[Config],
    rules: Rules,
    time_limit: float,
    should_stop: Callable[[], bool],
) -> list[int] | None:
    """Indices of the people of the best circle (the group is people[:group_size]), or None."""
    model = cp_model.CpModel()
    chosen = [model.NewBoolVar(f"c{k}") for k in range(len(configs))]
    model.AddExactlyOne(chosen)
    seat = {i: model.NewBoolVar(f"x{i}") for i in range(group_size, len(people))}
    fits: dict[int, list] = {i: [] for i in seat}
    for k, config in enumerate(configs):
        for i in bits(config.eligible):
            if i in fits:
                fits[i].append(chosen[k])
        anchors = bits(config.anchors)
        if not any(i < group_size for i in anchors):
            model.Add(sum(seat[i] for i in anchors) >= chosen[k])
    for i, var in seat.items():
        model.Add(var <= sum(fits[i]))
    size = group_size + sum(seat.values())
    model.Add(size >= rules.min_size)
    model.Add(size <= rules.max_size)
    companies: dict[str, list[int]] = {}
    for i in seat:
        if people[i].company_key:
            companies.setdefault(people[i].company_key, []).append(i)
    for members in companies.values():
        model.AddAtMostOne(seat[i] for i in members)
    for _plural, _singular, belongs in GROUPS:
        inside = sum(1 for p in people[:group_size] if belongs(p))
        joiners = [i for i in seat if belongs(people[i])]
        count = inside + sum(seat[i] for i in joiners)
        if inside:
            model.Add(count >= rules.min_group_size)
        elif joiners:
            present = model.NewBoolVar("")
            model.Add(count >= rules.min_group_size * present)
            for i in joiners:
                model.AddImplication(seat[i], present)
    mix = []
    for key in {(p.role_kind, "role") for p in people if p.role_kind} | {
        (p.seniority, "level") for p in people if p.seniority
    }:
        value, kind = key
        holders = [
            i
            for i, p in enumerate(people)
            if (p.role_kind if kind == "role" else p.seniority) == value
        ]
        if any(i < group_size for i in holders):
            continue  # the group has it already
        has = model.NewBoolVar("")
        model.Add(has <= sum(seat[i] for i in holders))
        mix.append(has)
    on_target = model.NewBoolVar("")
    model.Add(size >= rules.target_min_size).OnlyEnforceIf(on_target)
    model.Add(size <= rules.target_max_size).OnlyEnforceIf(on_target)
    seats = len(seat) + 1
    model.Maximize(seats * (len(mix) + 1) * on_target + seats * sum(mix) - sum(seat.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = 8
    if should_stop():
        solver.parameters.max_time_in_seconds = 0.05
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(range(group_size)) + [i for i, var in seat.items() if solver.Value(var)]


def _circle(members: list[SignUp], fmt: Format, rules: Rules, ref: str) -> Circle:
    place = None
    if fmt == Format.IN_PERSON:
        place = meeting_point(members)[0]
    circle = Circle(
        members=[p.id for p in members],
        format=fmt,
        window=best_window(members, rules),
        place=place,
        ref=ref,
    )
    circle.explanation = describe_circle(members, circle)
    return circle


def fill_around(
    pinned: Circle,
    group: Sequence[SignUp],
    free: Sequence[SignUp],
    rules: Rules,
    *,
    time_limit: float = FILL_SECONDS,
    should_stop: Callable[[], bool] = lambda: False,
) -> Circle:
    """The pinned circle filled anew around its locked people (`group`) from `free`.

    Returns a valid circle with the same `ref`, or, when no valid one exists, the locked people
    alone with an explanation naming what stops them.
    """
    started = time.monotonic()
    group = list(group)
    for fmt in _formats(group, pinned.format):
        people = group + _candidates(group, free, rules, fmt)
        configs = _configs(people, rules, fmt, mask_of(range(len(group))))
        if not configs:
            continue
        budget = time_limit - (time.monotonic() - started)
        chosen = _solve(people, len(group), configs, rules, budget, should_stop)
        if chosen is None:
            continue
        members = [people[i] for i in chosen]
        if not circle_violations(members, fmt, rules):
            return _circle(members, fmt, rules, pinned.ref)
    return _kept_together(pinned, group, rules)


def _kept_together(pinned: Circle, group: list[SignUp], rules: Rules) -> Circle:
    problems = [
        p for p in circle_violations(group, pinned.format, rules) if not p.startswith("Size")
    ]
    if not problems:
        problems = [
            "nobody still free shares their window and "
            + ("meeting place" if pinned.format == Format.IN_PERSON else "timezones")
            + " without breaking a rule, so the circle cannot be completed."
        ]
    window = best_window(group, rules)
    circle = Circle(
        members=[p.id for p in group],
        format=pinned.format,
        window=window,
        place=pinned.place,
        ref=pinned.ref,
    )
    circle.explanation = [KEPT_TOGETHER + " ".join(problems)]
    return circle
