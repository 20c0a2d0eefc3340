"""A coach's open slots, from their rules and bookings (no Django imports).

Availability is wall-clock time in the coach's timezone: a window "Tuesday 18:00-20:00" is turned into
instants for each Tuesday with `zoneinfo`, so it stays at 18:00 local on both sides of a
daylight-saving change. Everything that comes in or goes out is a UTC instant.

A window whose end is not after its start runs past midnight into the next day ("22:00-01:00").
A wall-clock time that does not exist on a spring-forward night is read with the offset before the
change (PEP 495's fold=0), and one that happens twice on a fall-back night is its first occurrence:
https://docs.python.org/3/library/datetime.html#datetime.datetime.fold
"""

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STEP = timedelta(minutes=30)


@dataclass(frozen=True)
class Window:
    """A weekly window: `weekday` 0 is Monday; times are wall-clock in the coach's timezone."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class DateWindow:
    """An extra window on one date of the coach's calendar."""

    day: date
    start: time
    end: time


@dataclass(frozen=True)
class Booked:
    """One of the coach's sessions: when it starts, and the time it blocks with the buffers it was
    booked with (what the database's exclusion constraint compares)."""

    starts_at: datetime
    blocked_from: datetime
    blocked_until: datetime


@dataclass(frozen=True)
class Rules:
    timezone: str
    weekly: Sequence[Window] = ()
    days_off: frozenset[date] = frozenset()
    extra: Sequence[DateWindow] = ()
    buffer_before: timedelta = timedelta()
    buffer_after: timedelta = timedelta()
    notice: timedelta = timedelta()
    horizon: timedelta = timedelta(weeks=8)
    max_per_day: int | None = None
    max_per_week: int | None = None
    step: timedelta = STEP
    zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "zone", ZoneInfo(self.timezone))


def to_utc(day: date, wall: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def window_instants(day: date, start: time, end: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants of a window starting on `day`; it ends the next day if `end <= start`."""
    end_day = day if end > start else day + timedelta(days=1)
    return to_utc(day, start, zone), to_utc(end_day, end, zone)


def windows_by_day(rules: Rules, first: date, last: date) -> Iterable[tuple[datetime, datetime]]:
    """Each window starting on a local date from `first` to `last`, as UTC instants, in order."""
    weekly: dict[int, list[Window]] = {}
    for window in rules.weekly:
        weekly.setdefault(window.weekday, []).append(window)
    extra: dict[date, list[DateWindow]] = {}
    for window in rules.extra:
        extra.setdefault(window.day, []).append(window)
    day = first
    while day <= last:
        windows = [] if day in rules.days_off else list(weekly.get(day.weekday(), ()))
        windows += extra.get(day, ())
        for window in windows:
            yield window_instants(day, window.start, window.end, rules.zone)
        day += timedelta(days=1)


def merged(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Overlapping or touching intervals joined, in order."""
    joined: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        elif end > start:
            joined.append((start, end))
    return joined


class Taken:
    """Answers "does [start, end) overlap anything taken?" in O(log n) for any set of intervals."""

    def __init__(self, intervals: Iterable[tuple[datetime, datetime]]):
        ordered = sorted(intervals)
        self.starts = [start for start, _ in ordered]
        self.latest_end: list[datetime] = []
        for _, end in ordered:
            self.latest_end.append(max(end, self.latest_end[-1]) if self.latest_end else end)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        before = bisect_left(self.starts, end)  # those starting before `end`
        return before > 0 and self.latest_end[before - 1] > start


def local_day(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class Limits:
    """The coach's sessions per local day and week, and whether another fits on a day."""

    def __init__(self, rules: Rules, booked: Iterable[Booked]):
        self.rules = rules
        days = [local_day(item.starts_at, rules.zone) for item in booked]
        self.per_day = Counter(days)
        self.per_week = Counter(week_of(day) for day in days)

    def allow(self, day: date) -> bool:
        rules = self.rules
        if rules.max_per_day is not None and self.per_day[day] >= rules.max_per_day:
            return False
        return rules.max_per_week is None or self.per_week[week_of(day)] < rules.max_per_week


def open_slots(
    rules: Rules,
    *,
    length: timedelta,
    since: datetime,
    until: datetime,
    now: datetime,
    booked: Sequence[Booked] = (),
    member_busy: Sequence[tuple[datetime, datetime]] = (),
) -> list[datetime]:
    """The UTC start of every open session of `length` starting in [since, until).

    A slot starts at a window's start or a whole number of `rules.step` after it, ends inside the
    window, starts at least `notice` after `now` and at most `horizon` after it, keeps itself and
    its buffers clear of the coach's bookings and their buffers, does not overlap the member's
    other sessions (`member_busy`) and fits under the daily and weekly limits.
    """
    earliest = max(since, now + rules.notice)
    latest = min(until, now + rules.horizon + timedelta(microseconds=1))
    if earliest >= latest or length <= timedelta():
        return []
    # A window that starts the day before can run past midnight into the range.
    first = local_day(earliest, rules.zone) - timedelta(days=1)
    last = local_day(latest, rules.zone)
    taken = Taken((item.blocked_from, item.blocked_until) for item in booked)
    member_taken = Taken(member_busy)
    limits = Limits(rules, booked)
    before, after, step = rules.buffer_before, rules.buffer_after, rules.step
    slots = []
    for window_start, window_end in merged(windows_by_day(rules, first, last)):
        start = window_start
        if start < earliest:
            start += step * -((window_start - earliest) // step)
        while start < latest and start + length <= window_end:
            end = start + length
            if (
                not taken.overlaps(start - before, end + after)
                and not member_taken.overlaps(start, end)
                and limits.allow(local_day(start, rules.zone))
            ):
                slots.append(start)
            start += step
    return slots


def is_open(rules: Rules, start: datetime, *, length: timedelta, now: datetime, **taken) -> bool:
    """Whether a session of `length` may start at `start`: the server-side check of a request.

    `taken` is `booked` and `member_busy`, as for `open_slots`."""
    until = start + timedelta(microseconds=1)
    return open_slots(rules, length=length, since=start, until=until, now=now, **taken) == [start]


def fits_windows(rules: Rules, start: datetime, end: datetime) -> bool:
    """Whether [start, end) lies inside the coach's availability (windows and exceptions only):
    how a rule change finds the bookings it no longer covers."""
    first = local_day(start, rules.zone) - timedelta(days=1)
    windows = merged(windows_by_day(rules, first, local_day(end, rules.zone)))
    return any(window_start <= start and end <= window_end for window_start, window_end in windows)


def day_slices(
    day: date, start: time, end: time, *, timezone: str, length: timedelta, gap: timedelta
) -> list[tuple[datetime, datetime]]:
    """A mentorship day's back-to-back sessions, as UTC instants: from `start` to `end` on `day`
    (wall-clock in the coach's `timezone`), each `length` long with a break of `gap` after it."""
    if length <= timedelta():
        return []
    at, last = window_instants(day, start, end, ZoneInfo(timezone))
    slices = []
    while at + length <= last:
        slices.append((at, at + length))
        at += length + gap
    return slices
