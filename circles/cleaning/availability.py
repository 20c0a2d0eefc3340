"""Weekly availability in local wall-clock time, turned into half-hour slots of the UTC week.

Each day is placed on its first date on or after the round's first meeting, and converted with
zoneinfo there, so the offset (daylight saving or not) is the one in force when circles start.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from circles.cleaning.text import fold
from circles.cleaning.timezones import zone_info
from circles.domain import DAYS, SLOT_MINUTES, SLOTS_PER_DAY, SLOTS_PER_WEEK

_DAY_NAMES = {
    **{d.lower(): i for i, d in enumerate(DAYS)},
    **{n: i for i, n in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    "tues": 1, "weds": 2, "thur": 3, "thurs": 3, "tu": 1, "th": 3, "mo": 0, "we": 2, "fr": 4, "sa": 5, "su": 6,
}  # fmt: skip
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a m|p m)?$")


def availability_slots(availability: object, timezone: str, first_meeting: date) -> frozenset[int]:
    """The UTC-week slots in which the person is available (bad entries are left out)."""
    slots, _ = read_availability(availability, timezone, first_meeting)
    return slots


def read_availability(
    availability: object, timezone: str, first_meeting: date
) -> tuple[frozenset[int], list[str]]:
    """The slots, and the problems of the entries that could not be read."""
    if availability is None or availability == "" or availability == []:
        return frozenset(), ["no availability given"]
    if not isinstance(availability, list):
        return frozenset(), ["availability is not a list of days and times"]
    if zone_info(timezone) is None:
        return frozenset(), ["timezone unknown: availability cannot be placed in the week"]
    slots: set[int] = set()
    problems: list[str] = []
    for number, entry in enumerate(availability, start=1):
        found, problem = _entry(entry, timezone, first_meeting)
        slots.update(found)
        if problem:
            problems.append(f"availability entry {number}: {problem}")
    return frozenset(slots), problems


def _entry(entry: object, timezone: str, first_meeting: date) -> tuple[tuple[int, ...], str]:
    if not isinstance(entry, dict):
        return (), "not a day with a start and an end"
    parts = tuple(_plain(entry.get(key)) for key in ("day", "start", "end"))
    return _entry_of(*parts, timezone, first_meeting)


def _plain(value: object) -> str | int | float | None:
    """A hashable stand-in for an entry's value (a list or an object there is simply unreadable)."""
    return value if value is None or isinstance(value, str | int | float) else repr(value)


@lru_cache(maxsize=16384)
def _entry_of(
    day_raw, start_raw, end_raw, timezone: str, first_meeting: date
) -> tuple[tuple[int, ...], str]:
    day = _DAY_NAMES.get(fold(str(day_raw or "")))
    start, end = _minutes(start_raw), _minutes(end_raw)
    if day is None:
        return (), f"unknown day {day_raw!r}"
    if start is None or end is None:
        return (), f"unreadable time {start_raw!r}-{end_raw!r}"
    if end == 0:
        end = 24 * 60  # "23:00"-"00:00" ends at midnight
    if end <= start:
        return (), f"ends ({end_raw}) before it starts ({start_raw})"
    return _slots(day, start, end, timezone, first_meeting), ""


def _minutes(value: object) -> int | None:
    if not isinstance(value, str):
        return None
    match = _TIME.match(value.strip().lower())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(" ", "")
    if suffix:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if suffix == "pm" else 0)
    if hours > 24 or minutes >= 60 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


@lru_cache(maxsize=16384)
def _slots(day: int, start: int, end: int, timezone: str, first_meeting: date) -> tuple[int, ...]:
    """Every whole half-hour between start and end (minutes after local midnight), as UTC-week slots."""
    zone = zone_info(timezone)
    local_day = first_meeting + timedelta(days=(day - first_meeting.weekday()) % 7)
    first = -(-start // SLOT_MINUTES) * SLOT_MINUTES  # a slot counts only if wholly available
    found = []
    for minute in range(first, end - SLOT_MINUTES + 1, SLOT_MINUTES):
        moment = datetime.combine(local_day, time()) + timedelta(minutes=minute)
        utc = moment.replace(tzinfo=zone).astimezone(UTC)
        found.append(
            (utc.weekday() * SLOTS_PER_DAY + (utc.hour * 60 + utc.minute) // SLOT_MINUTES)
            % SLOTS_PER_WEEK
        )
    return tuple(found)
