"""The exact model of one part, solved with OR-Tools CP-SAT.

Each config gets as many circle slots as it could ever fill (eligible // min_size), so a slot's
config is fixed and a person has a seat variable only in slots of configs they fit: a sparse model
whose relaxation is tight. An in-person slot needs one of its config's anchors. Size, one person per company, and 0-or->=2 per
group are linear constraints; slots are ordered by size to break symmetry. The objective is
lexicographic through weights: people placed, then women placed, then distinct role kinds and
seniority levels per circle, then circles of the target size. The best bound divided by the first
weight is a proven upper bound on the people this part can place.
"""

import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from circles.domain import Rules

from .greedy import Built
from .parts import Part, bits
from .validity import GROUPS, is_woman

FIRST_PHASE_SHARE = 0.8
POLL_SECONDS = 0.2


def _solve(solver: cp_model.CpSolver, model: cp_model.CpModel, should_stop: Callable[[], bool]):
    """Solve, checking `should_stop` every POLL_SECONDS from a watcher thread (a cancel from the
    organizer stops the search within a fraction of a second, keeping the best solution so far)."""
    done = threading.Event()

    def watch() -> None:
        while not done.wait(POLL_SECONDS):
            if should_stop():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.solve(model)
    finally:
        done.set()
        watcher.join()


def solve_exactly(
    part: Part,
    rules: Rules,
    hint: list[Built],
    time_limit: float,
    should_stop: Callable[[], bool],
    secondary: bool = True,
) -> tuple[list[Built], int | None, bool]:
    """(circles, proven upper bound on people placed, proven optimal) for one part."""
    people, configs = part.people, part.configs
    n = len(people)
    hinted = sum(len(m) for m, _ in hint)
    most_circles = n // rules.min_size
    if not configs or most_circles == 0:
        return hint, hinted, True
    # one circle slot per possible circle of each config: its config is fixed, so a person can
    # only ever sit in slots of configs they fit (a sparse model with a tight relaxation)
    slot_config: list[int] = []
    for k, config in enumerate(configs):
        copies = min(most_circles, config.eligible.bit_count() // rules.min_size)
        slot_config.extend([k] * copies)
    model = cp_model.CpModel()
    x: list[dict[int, cp_model.IntVar]] = []  # per slot: person -> in this slot
    used = [model.NewBoolVar(f"u{s}") for s in range(len(slot_config))]
    sizes = []
    mix_terms, size_terms = [], []
    seats_of: list[list[cp_model.IntVar]] = [[] for _ in range(n)]
    women = {i for i in range(n) if is_woman(people[i])}
    women_seats = []
    for s, k in enumerate(slot_config):
        config = configs[k]
        eligible = bits(config.eligible)
        seats = {i: model.NewBoolVar(f"x{i}_{s}") for i in eligible}
        x.append(seats)
        for i, var in seats.items():
            seats_of[i].append(var)
            if i in women:
                women_seats.append(var)
        size = sum(seats.values())
        sizes.append(size)
        model.Add(size >= rules.min_size * used[s])
        model.Add(size <= rules.max_size * used[s])
        for var in seats.values():
            model.AddImplication(var, used[s])
        if s and slot_config[s - 1] == k:
            model.Add(size <= sizes[s - 1])  # copies of one config, largest first
        if config.anchors != config.eligible:
            model.Add(sum(seats[i] for i in bits(config.anchors)) >= used[s])
        companies: dict[str, list[int]] = {}
        roles: dict[tuple[str, object], list[int]] = {}
        for i in eligible:
            person = people[i]
            if person.company_key:
                companies.setdefault(person.company_key, []).append(i)
            if person.role_kind:
                roles.setdefault(("role", person.role_kind), []).append(i)
            if person.seniority:
                roles.setdefault(("level", person.seniority), []).append(i)
        for members in companies.values():
            if len(members) > 1:
                model.AddAtMostOne(seats[i] for i in members)
        for _plural, _singular, belongs in GROUPS:
            members = [i for i in eligible if belongs(people[i])]
            if not members:
                continue
            present = model.NewBoolVar("")
            count = sum(seats[i] for i in members)
            model.Add(count >= rules.min_group_size * present)
            for i in members:
                model.AddImplication(seats[i], present)
        for members in roles.values():
            has = model.NewBoolVar("")
            model.Add(has <= sum(seats[i] for i in members))
            model.Add(has <= used[s])
            mix_terms.append(has)
        on_target = model.NewBoolVar("")
        model.Add(size >= rules.target_min_size).OnlyEnforceIf(on_target)
        model.Add(size <= rules.target_max_size).OnlyEnforceIf(on_target)
        model.Add(on_target <= used[s])
        size_terms.append(on_target)
    for i in range(n):
        if seats_of[i]:
            model.AddAtMostOne(seats_of[i])
    model.Add(sum(used) <= most_circles)
    w_size = 1
    w_mix = w_size * (len(size_terms) + 1)
    w_women = w_mix * (len(mix_terms) + 1)
    placed = sum(var for seats in seats_of for var in seats)
    # start from the greedy composition: each of its circles in a free slot of its config
    index_of = {id(c): k for k, c in enumerate(configs)}
    free_slots: dict[int, list[int]] = {}
    for s, k in enumerate(slot_config):
        free_slots.setdefault(k, []).append(s)
    hinted_slot: dict[int, set[int]] = {}
    for members, config in sorted(hint, key=lambda b: -len(b[0])):
        k = index_of.get(id(config))
        if k is not None and free_slots.get(k):
            hinted_slot[free_slots[k].pop(0)] = set(members)
    for s, seats in enumerate(x):
        members = hinted_slot.get(s, set())
        model.AddHint(used[s], bool(members))
        for i, var in seats.items():
            model.AddHint(var, i in members)
    union = 0
    for config in configs:
        union |= config.eligible
    # phase 1: people placed alone (a plain objective CP-SAT proves far sooner)
    started = time.monotonic()
    model.Maximize(placed)
    solver = _solver(time_limit * (FIRST_PHASE_SHARE if secondary else 1.0))
    status = _solve(solver, model, should_stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint, None, False
    best = int(solver.ObjectiveValue())
    bound = min(int(solver.BestObjectiveBound()), union.bit_count())
    proven = status == cp_model.OPTIMAL or best >= bound
    solution = _read(solver, x, used, configs, slot_config)
    if best < hinted:
        return hint, bound, False
    # phase 2: as many placed, then women placed, mix and target sizes
    remaining = min(time_limit - (time.monotonic() - started), time_limit * (1 - FIRST_PHASE_SHARE))
    if secondary and remaining > 0.05 and not should_stop():
        model.ClearHints()
        for s, seats in enumerate(x):
            model.AddHint(used[s], solver.Value(used[s]))
            for var in seats.values():
                model.AddHint(var, solver.Value(var))
        model.Add(placed >= best)
        model.Maximize(
            w_women * sum(women_seats) + w_mix * sum(mix_terms) + w_size * sum(size_terms)
        )
        second = _solver(remaining)
        if _solve(second, model, should_stop) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solution = _read(second, x, used, configs, slot_config)
    return solution, bound, proven


def _solver(time_limit: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    # more workers than cores on purpose: the portfolio's variety (core-based bounds, LNS) is
    # what closes the gap on these models, and they time-share the two cores
    solver.parameters.num_workers = 8
    return solver


def _read(solver, x, used, configs, slot_config) -> list[Built]:
    built: list[Built] = []
    for s, seats in enumerate(x):
        if solver.Value(used[s]):
            members = [i for i, var in seats.items() if solver.Value(var)]
            built.append((members, configs[slot_config[s]]))
    return built
