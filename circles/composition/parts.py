"""Independent parts of a round and the candidate circle settings ("configs") inside each part.

A config is one way a circle can work: a shared window start (the first half-hour of
`min_common_minutes` every member has free) plus, in person, an anchor place (a member's place within
`max_distance_km` of everyone) or, by video, an offset band (`max_offset_span_hours` wide). Its
`eligible` set is everyone who fits it; any circle drawn from `eligible` that contains one `anchors`
person is valid on time and place, so only company, groups and size are left to the solver.

People are small integers inside a part and sets of people are Python ints used as bitsets, so
intersections and counts over thousands of people are single machine-speed operations.
"""

import math
from dataclasses import dataclass, field

from circles.domain import SLOTS_PER_WEEK, Place, Rules, SignUp

from .validity import distance_km, slots_mask, window_slots, window_starts


def bits(mask: int) -> list[int]:
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


def mask_of(indices) -> int:
    indices = list(indices)
    if not indices:
        return 0
    raw = bytearray(max(indices) // 8 + 1)
    for i in indices:
        raw[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(raw, "little")


MAXIMAL_FILTER_LIMIT = 3000


@dataclass
class Config:
    kind: str  # "in_person" or "video"
    eligible: int  # bitset of people (indices into Part.people)
    anchors: int  # bitset: a circle needs one of them (everyone within reach of their place)
    start: int  # first slot of the shared window
    place: Place | None = None  # the anchor place, in person
    band: tuple[int, int] = (0, 0)  # lowest and highest UTC offset, by video


@dataclass
class Part:
    kind: str  # "in_person", "video" or "mixed"
    people: list[SignUp]
    configs: list[Config] = field(default_factory=list)
    label: str = ""
    place_index: "PlaceIndex | None" = None


def starts_by_window(people: list[SignUp], rules: Rules) -> list[int]:
    """For every window start w, the bitset of people free for the whole window from w."""
    length = window_slots(rules)
    per_window: list[list[int]] = [[] for _ in range(SLOTS_PER_WEEK)]
    for i, person in enumerate(people):
        for w in bits(window_starts(slots_mask(person.slots), length)):
            per_window[w].append(i)
    return [mask_of(members) for members in per_window]


def _keep_maximal(found: dict[int, Config]) -> list[Config]:
    """Drop configs whose eligible set and anchors both sit inside another's."""
    ordered = sorted(found.values(), key=lambda c: -c.eligible.bit_count())
    kept: list[Config] = []
    for config in ordered:
        if not any(
            config.eligible & other.eligible == config.eligible
            and config.anchors & other.anchors == config.anchors
            for other in kept
        ):
            kept.append(config)
    return kept


def place_key(place: Place) -> tuple[float, float]:
    return (round(place.latitude, 5), round(place.longitude, 5))


def can_meet_in_person(person: SignUp) -> bool:
    return person.accepts_in_person and person.place is not None


class PlaceIndex:
    """Distinct places of people who can meet in person, and which are within reach of which."""

    def __init__(self, people: list[SignUp], rules: Rules):
        self.people_at: dict[tuple[float, float], list[int]] = {}
        self.places: dict[tuple[float, float], Place] = {}
        for i, person in enumerate(people):
            if can_meet_in_person(person):
                key = place_key(person.place)
                self.people_at.setdefault(key, []).append(i)
                self.places.setdefault(key, person.place)
        self.keys = list(self.people_at)
        # neighbours via a grid of cells about max_distance_km wide: rows of latitude, and in each
        # row columns of longitude widened for that row's latitude, so a neighbour is always in
        # one of the 3 x 3 cells around a place and thousands of places stay fast
        cell = max(rules.max_distance_km / 111.0, 1e-6)

        def row_of(lat: float) -> int:
            return math.floor(lat / cell)

        def width(row: int) -> float:
            nearest_pole = min(89.0, max(abs(row - 1) * cell, abs(row + 2) * cell))
            return min(360.0, cell / math.cos(math.radians(nearest_pole)))

        grid: dict[tuple[int, int], list[int]] = {}
        for k, (lat, lon) in enumerate(self.keys):
            row = row_of(lat)
            grid.setdefault((row, math.floor(lon / width(row))), []).append(k)
        self.near: list[list[int]] = [[] for _ in self.keys]
        limit = rules.max_distance_km
        for k, (lat, lon) in enumerate(self.keys):
            here = self.places[self.keys[k]]
            km_per_lon = 111.19 * math.cos(math.radians(lat))
            for row in (row_of(lat) - 1, row_of(lat), row_of(lat) + 1):
                col = math.floor(lon / width(row))
                columns = {col - 1, col, col + 1}
                wrap = math.floor(360.0 / width(row))  # across the antimeridian
                columns |= {c + wrap for c in columns} | {c - wrap for c in columns}
                for c in columns:
                    for j in grid.get((row, c), ()):
                        other_lat, other_lon = self.keys[j]
                        # a flat-earth estimate settles the clear cases; haversine the close ones
                        dx = abs(other_lon - lon) % 360.0
                        dx = min(dx, 360.0 - dx) * km_per_lon
                        dy = (other_lat - lat) * 111.19
                        flat = dx * dx + dy * dy
                        if flat > (limit * 1.05 + 0.5) ** 2:
                            continue
                        if flat < (limit * 0.95) ** 2 and abs(lat) < 70:
                            self.near[k].append(j)
                        elif distance_km(here, self.places[self.keys[j]]) <= limit:
                            self.near[k].append(j)
        self.near = [sorted(set(n)) for n in self.near]

    def restricted(self, members: list[int], people: list[SignUp]) -> "PlaceIndex":
        """The same index for some of its places (a component), numbered for `people`."""
        local = PlaceIndex.__new__(PlaceIndex)
        number = {k: n for n, k in enumerate(members)}
        local.keys = [self.keys[k] for k in members]
        local.places = {key: self.places[key] for key in local.keys}
        local.people_at = {key: [] for key in local.keys}
        for i, person in enumerate(people):
            if can_meet_in_person(person):
                local.people_at[place_key(person.place)].append(i)
        local.near = [[number[j] for j in self.near[k] if j in number] for k in members]
        return local

    def thinned(self, rules: Rules) -> list[int]:
        """One anchor per cell a third of max_distance_km wide (its busiest place): for big parts."""
        cell = max(rules.max_distance_km / 3 / 111.0, 1e-6)
        best: dict[tuple[int, int], int] = {}
        for k, (lat, lon) in enumerate(self.keys):
            scale = max(0.05, math.cos(math.radians(lat)))
            key = (math.floor(lat / cell), math.floor(lon * scale / cell))
            if key not in best or len(self.people_at[self.keys[k]]) > len(
                self.people_at[self.keys[best[key]]]
            ):
                best[key] = k
        return sorted(best.values())

    def components(self) -> list[list[int]]:
        """Groups of place numbers linked by reach: no in-person circle spans two of them."""
        seen = [False] * len(self.keys)
        found = []
        for k in range(len(self.keys)):
            if seen[k]:
                continue
            seen[k], stack, members = True, [k], []
            while stack:
                current = stack.pop()
                members.append(current)
                for j in self.near[current]:
                    if not seen[j]:
                        seen[j] = True
                        stack.append(j)
            found.append(members)
        return found


def in_person_configs(
    people: list[SignUp],
    rules: Rules,
    windows: list[int],
    index: PlaceIndex,
    anchors: list[int] | None = None,
) -> list[Config]:
    found: dict[int, Config] = {}
    for k in range(len(index.keys)) if anchors is None else anchors:
        key = index.keys[k]
        reach = mask_of(i for j in index.near[k] for i in index.people_at[index.keys[j]])
        at = mask_of(index.people_at[key])
        per_anchor: dict[int, Config] = {}
        for w, free in enumerate(windows):
            eligible = reach & free
            if eligible & at and eligible.bit_count() >= rules.min_size:
                if eligible not in per_anchor:
                    per_anchor[eligible] = Config(
                        "in_person", eligible, at & eligible, w, place=index.places[key]
                    )
        for config in _keep_maximal(per_anchor):
            if config.eligible in found:
                found[config.eligible].anchors |= config.anchors
            else:
                found[config.eligible] = config
    if len(found) > MAXIMAL_FILTER_LIMIT:
        return list(found.values())  # a big part goes to the greedy composer, which needs no more
    return _keep_maximal(found)


def in_person_groups(people: list[SignUp], rules: Rules) -> list[list[SignUp]]:
    """The people of each cluster of places linked by reach: no in-person circle spans two."""
    index = PlaceIndex(people, rules)
    return [
        [people[i] for k in members for i in index.people_at[index.keys[k]]]
        for members in index.components()
    ]


def in_person_part(people: list[SignUp], rules: Rules, exact_limit: int) -> Part:
    """One cluster of places (from `in_person_groups`) with its in-person configs."""
    part = Part("in_person", people, label=people[0].place.city if people else "")
    part.place_index = PlaceIndex(people, rules)
    thin = len(people) > exact_limit
    part.configs = in_person_configs(
        people,
        rules,
        starts_by_window(people, rules),
        part.place_index,
        part.place_index.thinned(rules) if thin else None,
    )
    return part


def in_person_parts(people: list[SignUp], rules: Rules, exact_limit: int) -> list[Part]:
    """One part per cluster of places linked by reach, with its in-person configs."""
    return [in_person_part(group, rules, exact_limit) for group in in_person_groups(people, rules)]


def video_configs(people: list[SignUp], rules: Rules, windows: list[int]) -> list[Config]:
    span = int(rules.max_offset_span_hours * 60)
    offsets = sorted({p.utc_offset_minutes for p in people if p.accepts_video})
    found: dict[int, Config] = {}
    for low in offsets:
        band = mask_of(
            i
            for i, p in enumerate(people)
            if p.accepts_video and low <= p.utc_offset_minutes <= low + span
        )
        per_band: dict[int, Config] = {}
        for w, free in enumerate(windows):
            eligible = band & free
            if eligible.bit_count() >= rules.min_size and eligible not in per_band:
                per_band[eligible] = Config("video", eligible, eligible, w, band=(low, low + span))
        for config in _keep_maximal(per_band):
            found.setdefault(config.eligible, config)
    return _keep_maximal(found)


def video_part(people: list[SignUp], rules: Rules) -> Part:
    part = Part("video", people, label="video")
    part.configs = video_configs(people, rules, starts_by_window(people, rules))
    return part


def mixed_part(people: list[SignUp], rules: Rules) -> Part:
    """Everyone in one part, in person and by video together: for rounds small enough to solve whole."""
    windows = starts_by_window(people, rules)
    part = Part("mixed", people, label="everyone")
    part.place_index = PlaceIndex(people, rules)
    part.configs = in_person_configs(people, rules, windows, part.place_index) + video_configs(
        people, rules, windows
    )
    return part
