"""Large-neighbourhood search: spend the time left on big parts by re-solving small pieces exactly.

A piece is built around a person the greedy composer left out: the people free in their busiest
config, plus every circle that shares people with that config (whole circles only, so the rest of
the composition stays valid). CP-SAT re-solves the piece with the current circles as its hint and
as explicit configs (so the hint is always feasible); a piece that places more people replaces the
old circles. Repeats until the time is spent or no piece improves.
"""

import random
import time
from collections.abc import Callable

from circles.domain import Rules

from .greedy import Built, is_valid
from .parts import (
    Config,
    Part,
    PlaceIndex,
    bits,
    in_person_configs,
    mask_of,
    starts_by_window,
    video_configs,
)
from .solver import solve_exactly

PIECE_LIMIT = 120


def improve(
    part: Part, built: list[Built], rules: Rules, deadline: float, should_stop: Callable[[], bool]
) -> list[Built]:
    if not part.configs:
        return built
    rng = random.Random(len(part.people))
    circles = [list(members) for members, _ in built]
    kinds = [config.kind for _, config in built]
    owner = {i: c for c, members in enumerate(circles) for i in members}
    configs_of: dict[int, list[Config]] = {}
    for config in part.configs:
        for i in bits(config.eligible):
            configs_of.setdefault(i, []).append(config)
    tried: set[int] = set()
    while time.monotonic() < deadline - 0.2 and not should_stop():
        free = [i for i in range(len(part.people)) if i not in owner and i in configs_of]
        free = [i for i in free if i not in tried]
        if not free:
            break
        seed = rng.choice(free)
        tried.add(seed)
        free_mask = mask_of(i for i in range(len(part.people)) if i not in owner)
        config = max(configs_of[seed], key=lambda c: (c.eligible & free_mask).bit_count())
        touched = sorted(
            {owner[i] for i in bits(config.eligible) if i in owner},
            key=lambda c: -sum(1 for i in circles[c] if config.eligible >> i & 1),
        )
        chosen, size = [], 0
        for c in touched:
            if size + len(circles[c]) > PIECE_LIMIT * 3 // 4:
                break
            chosen.append(c)
            size += len(circles[c])
        loose = [i for i in bits(config.eligible & free_mask)][: PIECE_LIMIT - size]
        members = sorted({i for c in chosen for i in circles[c]} | set(loose))
        if len(members) < rules.min_size:
            continue
        piece = _piece(
            part, members, [circles[c] for c in chosen], [kinds[c] for c in chosen], rules
        )
        hint = [
            ([piece_index for piece_index, i in enumerate(members) if i in set(circles[c])], cfg)
            for c, cfg in zip(chosen, piece.configs[-len(chosen) :] if chosen else [], strict=True)
        ]
        budget = min(2.0, deadline - time.monotonic() - 0.1)
        if budget <= 0.1:
            break
        result, _bound, _proven = solve_exactly(
            piece, rules, hint, budget, should_stop, secondary=False
        )
        before = sum(len(circles[c]) for c in chosen)
        after = sum(len(m) for m, _ in result)
        if after <= before or not all(is_valid(piece, m, cfg, rules) for m, cfg in result):
            continue
        for c in chosen:
            for i in circles[c]:
                owner.pop(i, None)
            circles[c] = []
        for piece_members, cfg in result:
            circles.append([members[k] for k in piece_members])
            kinds.append(cfg.kind)
            for i in circles[-1]:
                owner[i] = len(circles) - 1
        tried.clear()
    by_kind = {"in_person": Config("in_person", 0, 0, 0), "video": Config("video", 0, 0, 0)}
    return [(m, by_kind[k]) for m, k in zip(circles, kinds, strict=True) if m]


def _piece(part: Part, members: list[int], circles, kinds, rules: Rules) -> Part:
    people = [part.people[i] for i in members]
    piece = Part(part.kind, people, label=part.label)
    windows = starts_by_window(people, rules)
    if part.kind in ("video", "mixed"):
        piece.configs += video_configs(people, rules, windows)
    if part.kind in ("in_person", "mixed"):
        piece.place_index = PlaceIndex(people, rules)
        piece.configs += in_person_configs(people, rules, windows, piece.place_index)
    local = {i: k for k, i in enumerate(members)}
    for circle, kind in zip(circles, kinds, strict=True):
        mask = mask_of(local[i] for i in circle)
        piece.configs.append(Config(kind, mask, mask, 0))
    return piece
