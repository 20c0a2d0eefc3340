"""Why a circle works, in plain words, for the organizer's review (the site adds local times)."""

from collections import Counter
from collections.abc import Sequence

from circles.domain import DAYS, SLOT_MINUTES, SLOTS_PER_DAY, SLOTS_PER_WEEK, Circle, Format, SignUp

from .validity import distance_km, offset_words

LEVELS = {1: "mid-level", 2: "senior", 3: "executive"}


def slot_words(slot: int) -> str:
    day, rest = divmod(slot % SLOTS_PER_WEEK, SLOTS_PER_DAY)
    minutes = rest * SLOT_MINUTES
    return f"{DAYS[day]} {minutes // 60:02d}:{minutes % 60:02d}"


def window_words(window: Sequence[int]) -> str:
    """ "Tue 18:00-19:30 UTC" for a contiguous run of slots (it may cross midnight)."""
    if not window:
        return "no common window"
    start, end = window[0], (window[-1] + 1) % SLOTS_PER_WEEK
    end_words = slot_words(end)
    if end_words[:3] == slot_words(start)[:3] or end % SLOTS_PER_DAY == 0:
        end_words = end_words[4:] if end % SLOTS_PER_DAY else "24:00"
    return f"{slot_words(start)}-{end_words} UTC"


def describe_circle(members: Sequence[SignUp], circle: Circle) -> list[str]:
    """Lines explaining the circle: when, where or how, and its mix (no self-identification data)."""
    lines = []
    if circle.window:
        hours = len(circle.window) * SLOT_MINUTES / 60
        lines.append(
            f"Everyone is free {window_words(circle.window)} ({hours:g} h in common each week)."
        )
    if circle.format == Format.IN_PERSON and circle.place is not None:
        reach = max(
            (distance_km(circle.place, m.place) for m in members if m.place is not None),
            default=0.0,
        )
        lines.append(
            f"Meets in person near {circle.place.name}: every member's place is within "
            f"{reach:.1f} km of it."
        )
    elif circle.format == Format.VIDEO:
        offsets = [m.utc_offset_minutes for m in members] or [0]
        lines.append(
            f"Meets by video: UTC offsets from {offset_words(min(offsets))} to "
            f"{offset_words(max(offsets))} (span {(max(offsets) - min(offsets)) / 60:g} h)."
        )
    kinds = Counter(m.role_kind for m in members if m.role_kind)
    levels = Counter(LEVELS[m.seniority] for m in members if m.seniority in LEVELS)
    mix = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    lines.append(
        f"{len(members)} people from {len({m.company_key or m.id for m in members})} companies"
        + (f"; roles: {mix}" if mix else "")
        + (
            "; seniority: " + ", ".join(f"{n} {lvl}" for lvl, n in levels.most_common())
            if levels
            else ""
        )
        + "."
    )
    return lines
