"""A fast constructive composer: the fallback for parts too large to solve exactly, and the solver's
first solution (its hint) on the others.

It repeatedly takes the config with the most people still free (a lazy priority queue: counts only
fall, so a popped config whose fresh count still tops the queue is the true maximum), and fills a circle
from it with the people who have the fewest other configs first, so the flexible are kept for later.
A lone woman (or any lone member of a group) is fixed by adding a second one before ever removing her.
Leftovers are then slotted into circles that still have room.
"""

import heapq
from collections.abc import Callable

from circles.domain import Format, Rules, SignUp

from .parts import Config, Part, bits, mask_of
from .validity import GROUPS, circle_violations, distance_km

Built = tuple[list[int], Config]


def size_for(available: int, rules: Rules) -> int:
    """How many to take from `available` people so what is left can still form circles."""
    if available <= rules.max_size:
        return available
    circles = -(-available // rules.target_max_size)
    if available // circles < rules.min_size:
        circles = max(1, available // rules.min_size)
    return min(rules.max_size, -(-available // circles))


def flexibility(part: Part) -> list[int]:
    counts = [0] * len(part.people)
    for config in part.configs:
        for i in bits(config.eligible):
            counts[i] += 1
    return counts


def is_valid(part: Part, members: list[int], config: Config, rules: Rules) -> bool:
    fmt = Format.IN_PERSON if config.kind == "in_person" else Format.VIDEO
    return not circle_violations([part.people[i] for i in members], fmt, rules)


def _build(
    part: Part, config: Config, free: int, flex: list[int], rules: Rules
) -> list[int] | None:
    people = part.people
    anchors = bits(config.anchors & free)
    if not anchors and config.kind == "in_person" and config.place is not None:
        # the anchor's own people are taken: re-anchor on the free person nearest to the place,
        # keeping only those within reach of them (so the circle stays valid)
        nearest = min(bits(free), key=lambda i: distance_km(people[i].place, config.place))
        here = people[nearest].place
        free = mask_of(
            i for i in bits(free) if distance_km(people[i].place, here) <= rules.max_distance_km
        )
        anchors = [nearest]
    if not anchors:
        return None
    pool = heapq.nsmallest(80, bits(free), key=lambda i: (flex[i], i))
    companies = {people[i].company_key for i in pool if people[i].company_key}
    no_company = sum(1 for i in pool if not people[i].company_key)
    size = size_for(len(companies) + no_company, rules)
    if size < rules.min_size:
        return None
    anchor = min(anchors, key=lambda i: (flex[i], i))
    chosen = [anchor]
    used = {people[anchor].company_key} - {""}
    kinds = {(people[anchor].role_kind, people[anchor].seniority)}
    rest = [i for i in pool if i != anchor]
    while len(chosen) < size and rest:
        # the least flexible first; a new role kind or seniority level wins a near tie
        best = min(
            (i for i in rest if people[i].company_key not in used),
            key=lambda i: (
                flex[i] + (2 if (people[i].role_kind, people[i].seniority) in kinds else 0),
                i,
            ),
            default=None,
        )
        if best is None:
            break
        chosen.append(best)
        rest.remove(best)
        used.add(people[best].company_key)
        used.discard("")
        kinds.add((people[best].role_kind, people[best].seniority))
    chosen = _repair_groups(people, chosen, [i for i in pool if i not in chosen], anchor, rules)
    if chosen is None or len(chosen) < rules.min_size:
        return None
    return chosen


def _repair_groups(
    people: list[SignUp], chosen: list[int], spare: list[int], anchor: int, rules: Rules
) -> list[int] | None:
    """Make every group count 0 or >= min_group_size: add members first, remove only if none fits."""
    chosen = list(chosen)
    for _ in range(12):
        lone = None
        for _plural, _singular, belongs in GROUPS:
            count = sum(1 for i in chosen if belongs(people[i]))
            if 0 < count < rules.min_group_size:
                lone = belongs
                break
        if lone is None:
            return chosen
        used = {people[i].company_key for i in chosen} - {""}
        joiners = [i for i in spare if lone(people[i]) and people[i].company_key not in used]
        if joiners:
            joiner = joiners[0]
            spare.remove(joiner)
            if len(chosen) >= rules.max_size:
                # make room: drop the last member outside every group (never the anchor)
                outsiders = [
                    i
                    for i in chosen
                    if i != anchor and not any(b(people[i]) for _p, _s, b in GROUPS)
                ]
                if not outsiders:
                    return None
                chosen.remove(outsiders[-1])
            if people[joiner].company_key in {people[i].company_key for i in chosen} - {""}:
                return None
            chosen.append(joiner)
            continue
        members = [i for i in chosen if lone(people[i]) and i != anchor]
        if not members:
            return None
        chosen.remove(members[0])
        used = {people[i].company_key for i in chosen} - {""}
        fillers = [
            i
            for i in spare
            if not any(b(people[i]) for _p, _s, b in GROUPS) and people[i].company_key not in used
        ]
        if fillers and len(chosen) < rules.max_size:
            chosen.append(fillers[0])
            spare.remove(fillers[0])
    return None


def greedy(
    part: Part, rules: Rules, should_stop: Callable[[], bool] = lambda: False
) -> list[Built]:
    n = len(part.people)
    flex = flexibility(part)
    free = (1 << n) - 1
    heap = [(-c.eligible.bit_count(), k) for k, c in enumerate(part.configs)]
    heapq.heapify(heap)
    built: list[Built] = []
    while heap and not should_stop():
        stale, k = heapq.heappop(heap)
        config = part.configs[k]
        available = config.eligible & free
        count = available.bit_count()
        if count < rules.min_size:
            continue
        if heap and count < -heap[0][0] and count < -stale:
            heapq.heappush(heap, (-count, k))
            continue
        members = _build(part, config, available, flex, rules)
        if members is None or not is_valid(part, members, config, rules):
            continue
        built.append((members, config))
        for i in members:
            free &= ~(1 << i)
        heapq.heappush(heap, (-(config.eligible & free).bit_count(), k))
    return fill_gaps(part, built, free, rules)


def fill_gaps(part: Part, built: list[Built], free: int, rules: Rules) -> list[Built]:
    """Slot leftover people (one, or a pair of the same group) into circles with room."""
    people = part.people
    for i in bits(free):
        if not free >> i & 1:
            continue
        for members, config in built:
            if len(members) >= rules.max_size or not config.eligible >> i & 1:
                continue
            if people[i].company_key and people[i].company_key in {
                people[m].company_key for m in members
            }:
                continue
            trial = members + [i]
            if is_valid(part, trial, config, rules):
                members.append(i)
                free &= ~(1 << i)
                break
            # a lone group member may join with a second free one of the same group
            groups = [b for _p, _s, b in GROUPS if b(people[i])]
            if not groups or len(members) + 2 > rules.max_size:
                continue
            partners = bits(free & config.eligible & ~(1 << i))
            partners = [j for j in partners if all(b(people[j]) for b in groups)]
            for j in partners[:20]:
                if is_valid(part, trial + [j], config, rules):
                    members.extend([i, j])
                    free &= ~(1 << i) & ~(1 << j)
                    break
            if not free >> i & 1:
                break
    return built
