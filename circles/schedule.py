"""When a circle meets: candidate times drawn from its common weekly window (no Django imports).

A circle's window is a run of half-hour slots of the UTC week (slot 0 is Monday 00:00 UTC), worked
out at the round's first-meeting date. These functions turn slots into instants in the week circles
start, and pick a few well-spread candidate times for the first meeting.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from circles.domain import SLOT_MINUTES, SLOTS_PER_WEEK
from community.recurrence import recurring_starts

MIN_CANDIDATES = 3
MAX_CANDIDATES = 5


def slot_instant(slot: int, on_or_after: date) -> datetime:
    """The first time the weekly slot comes round on or after midnight UTC of `on_or_after`."""
    start = datetime.combine(on_or_after, time(), tzinfo=UTC)
    week_start = start - timedelta(days=start.weekday())
    instant = week_start + timedelta(minutes=(slot % SLOTS_PER_WEEK) * SLOT_MINUTES)
    return instant if instant >= start else instant + timedelta(weeks=1)


def start_slots(window: Sequence[int], minutes: int) -> list[int]:
    """The slots of the window a meeting of this length can start at and still end inside it."""
    needed = max(1, -(-minutes // SLOT_MINUTES))
    return list(window[: max(0, len(window) - needed + 1)])


def candidate_times(
    window: Sequence[int], first_meeting: date, minutes: int, *, count: int = MAX_CANDIDATES
) -> list[datetime]:
    """Up to `count` start times spread across the window in the first week; when the window has
    room for fewer than three, the same times in the following weeks make up the number."""
    starts = start_slots(window, minutes)
    if not starts:
        return []
    if len(starts) > count:
        step = (len(starts) - 1) / (count - 1)
        starts = [starts[round(index * step)] for index in range(count)]
    times = sorted(slot_instant(slot, first_meeting) for slot in starts)
    weeks = 1
    while len(times) < min(MIN_CANDIDATES, count):
        times += [when + timedelta(weeks=weeks) for when in times[: MIN_CANDIDATES - len(times)]]
        weeks += 1
    return sorted(times)


def proposed_first_meeting(
    window: Sequence[int], first_meeting: date, minutes: int
) -> datetime | None:
    """The time an invitation proposes: the earliest start in the window in the first week."""
    times = candidate_times(window, first_meeting, minutes)
    return times[0] if times else None


SERIES_WEEKS = 26  # a circle meets for about six months


def series_times(first: datetime, zone: tzinfo, every_weeks: int) -> list[datetime]:
    """The starts of a series in UTC: the first meeting's wall-clock time in `zone`, every
    `every_weeks` weeks for about six months, so a daylight-saving change moves nobody there."""
    count = len(range(0, SERIES_WEEKS, every_weeks))
    return recurring_starts(first, zone, every_weeks=every_weeks, count=count)
