"""What makes one circle valid, checked rule by rule, in plain words (no Django imports).

The same checks guard the composer's output (nothing invalid is ever returned) and the organizer's
edits (the review page shows these messages next to a circle that breaks a rule).
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from circles.domain import SLOTS_PER_WEEK, Format, Gender, Place, Rules, SignUp

EARTH_RADIUS_KM = 6371.0088


def distance_km(a: Place, b: Place) -> float:
    """Great-circle (haversine) distance between two places."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def window_slots(rules: Rules) -> int:
    """How many half-hour slots the shortest acceptable common window covers."""
    return max(1, math.ceil(rules.min_common_minutes / 30))


def slots_mask(slots: Iterable[int]) -> int:
    mask = 0
    for slot in slots:
        if 0 <= slot < SLOTS_PER_WEEK:
            mask |= 1 << slot
    return mask


FULL_WEEK = (1 << SLOTS_PER_WEEK) - 1


def rotate_down(mask: int, by: int) -> int:
    """Bit s of the result is bit s+by of `mask` (cyclically, in the week)."""
    by %= SLOTS_PER_WEEK
    return ((mask >> by) | (mask << (SLOTS_PER_WEEK - by))) & FULL_WEEK


def window_starts(mask: int, length: int) -> int:
    """Bit w is set when slots w..w+length-1 (wrapping Sunday to Monday) are all in `mask`."""
    starts = mask
    for offset in range(1, length):
        starts &= rotate_down(mask, offset)
    return starts


def runs(mask: int) -> list[tuple[int, int]]:
    """The maximal contiguous runs of a slot mask as (start, length), wrapping around the week."""
    if mask == FULL_WEEK:
        return [(0, SLOTS_PER_WEEK)]
    if not mask:
        return []
    # start the scan just after an empty slot so a run over Sunday -> Monday stays whole
    first_gap = next(s for s in range(SLOTS_PER_WEEK) if not mask >> s & 1)
    found, start, length = [], None, 0
    for step in range(1, SLOTS_PER_WEEK + 1):
        slot = (first_gap + step) % SLOTS_PER_WEEK
        if mask >> slot & 1:
            if start is None:
                start, length = slot, 0
            length += 1
        elif start is not None:
            found.append((start, length))
            start = None
    return found


def best_window(members: Sequence[SignUp], rules: Rules) -> list[int]:
    """The longest run of slots everyone shares, if it is long enough; else []."""
    common = FULL_WEEK
    for member in members:
        common &= slots_mask(member.slots)
    candidates = [run for run in runs(common) if run[1] >= window_slots(rules)]
    if not candidates:
        return []
    start, length = max(candidates, key=lambda run: (run[1], -run[0]))
    return [(start + i) % SLOTS_PER_WEEK for i in range(length)]


def meeting_point(members: Sequence[SignUp]) -> tuple[Place | None, float]:
    """The member's place with the smallest farthest distance to everyone else, and that distance."""
    places = [m.place for m in members if m.place is not None]
    if not places or len(places) < len(members):
        return None, math.inf
    best, best_reach = None, math.inf
    for candidate in dict.fromkeys(places):
        reach = max(distance_km(candidate, other) for other in places)
        if reach < best_reach:
            best, best_reach = candidate, reach
    return best, best_reach


def is_woman(person: SignUp) -> bool:
    return person.gender == Gender.WOMAN


def is_gender_minority(person: SignUp) -> bool:
    return person.gender in (Gender.WOMAN, Gender.NON_BINARY)


GROUPS = (
    ("women", "woman", is_woman),
    (
        "gender minorities (women and non-binary people)",
        "gender-minority member",
        is_gender_minority,
    ),
    (
        "self-identified under-represented members",
        "under-represented member",
        lambda p: p.underrepresented,
    ),
)


def offset_words(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def circle_violations(members: Sequence[SignUp], format: Format, rules: Rules) -> list[str]:
    """Plain-words messages naming each rule the circle breaks; [] when it is valid.

    Messages about self-identified groups give counts only, never who: organizers see aggregates.
    """
    problems: list[str] = []
    ids = [m.id for m in members]
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if repeated:
        problems.append(f"Nobody in two places: {', '.join(repeated)} appears more than once.")
    members = list({m.id: m for m in members}.values())
    size = len(members)
    if not rules.min_size <= size <= rules.max_size:
        problems.append(
            f"Size: {size} people; a circle needs {rules.min_size} to {rules.max_size}."
        )
    if members and not best_window(members, rules):
        problems.append(
            f"Time: there is no common window of {rules.min_common_minutes} contiguous minutes "
            "that every member marked available."
        )
    if format == Format.IN_PERSON:
        refusing = [m.name or m.id for m in members if not m.accepts_in_person]
        if refusing:
            problems.append(f"Format: {', '.join(refusing)} only meet(s) by video.")
        unknown = [m.name or m.id for m in members if m.place is None]
        if unknown:
            problems.append(
                f"Place: {', '.join(unknown)} has no known meeting place, so cannot meet in person."
            )
        elif members:
            _, reach = meeting_point(members)
            if reach > rules.max_distance_km:
                problems.append(
                    f"Place: no member's meeting place is within {rules.max_distance_km:g} km of "
                    f"everyone else's (the best reaches {reach:.1f} km)."
                )
    elif format == Format.VIDEO:
        refusing = [m.name or m.id for m in members if not m.accepts_video]
        if refusing:
            problems.append(f"Format: {', '.join(refusing)} only meet(s) in person.")
        if members:
            offsets = [m.utc_offset_minutes for m in members]
            span = max(offsets) - min(offsets)
            if span > rules.max_offset_span_hours * 60:
                problems.append(
                    f"Timezones: UTC offsets span {span / 60:g} hours "
                    f"({offset_words(min(offsets))} to {offset_words(max(offsets))}); "
                    f"a video circle allows at most {rules.max_offset_span_hours:g}."
                )
    else:
        problems.append("Format: a circle meets either in person or by video.")
    companies = Counter(m.company_key for m in members if m.company_key)
    shared = sorted(key for key, n in companies.items() if n > 1)
    if shared:
        who = "; ".join(
            ", ".join(m.name or m.id for m in members if m.company_key == key) for key in shared
        )
        problems.append(f"Company: members from the same company ({who}).")
    for plural, singular, belongs in GROUPS:
        count = sum(1 for m in members if belongs(m))
        if 0 < count < rules.min_group_size:
            problems.append(
                f"Groups: only {count} {singular if count == 1 else plural}; a circle needs none "
                f"or at least {rules.min_group_size} {plural}."
            )
    return problems
