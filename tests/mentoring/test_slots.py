"""Open slots from a coach's rules: plain data in, UTC instants out (no database)."""

import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentoring.slots import Booked, DateWindow, Rules, Window, is_open, open_slots

HOUR = timedelta(hours=1)
BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"
# 2027: Europe changes on 28 March and 31 October, America on 14 March and 7 November.
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def day_slots(rules: Rules, day: date, *, length: timedelta = HOUR, **kwargs) -> list[datetime]:
    """The slots starting on one UTC day (and the early hours of the next), seen from long before."""
    since = datetime.combine(day, time(), tzinfo=UTC) - timedelta(hours=12)
    kwargs.setdefault("now", since - timedelta(days=1))
    return open_slots(rules, length=length, since=since, until=since + timedelta(days=2), **kwargs)


# (timezone, local date, weekly window, expected UTC starts of one-hour sessions)
DST_CASES = [
    # Berlin: 09:00 is 08:00 UTC in winter time, 07:00 UTC in summer time, on both change days
    (BERLIN, date(2027, 3, 27), Window(SAT, time(9), time(10)), [utc(2027, 3, 27, 8)]),
    (BERLIN, date(2027, 3, 28), Window(SUN, time(9), time(10)), [utc(2027, 3, 28, 7)]),
    (BERLIN, date(2027, 10, 30), Window(SAT, time(9), time(10)), [utc(2027, 10, 30, 7)]),
    (BERLIN, date(2027, 10, 31), Window(SUN, time(9), time(10)), [utc(2027, 10, 31, 8)]),
    # New York: 09:00 is 14:00 UTC in standard time, 13:00 UTC in daylight time
    (NEW_YORK, date(2027, 3, 13), Window(SAT, time(9), time(10)), [utc(2027, 3, 13, 14)]),
    (NEW_YORK, date(2027, 3, 14), Window(SUN, time(9), time(10)), [utc(2027, 3, 14, 13)]),
    (NEW_YORK, date(2027, 11, 6), Window(SAT, time(9), time(10)), [utc(2027, 11, 6, 13)]),
    (NEW_YORK, date(2027, 11, 7), Window(SUN, time(9), time(10)), [utc(2027, 11, 7, 14)]),
    # A window across midnight on the spring-forward night is three real hours (23:00-03:00 local)
    (
        BERLIN,
        date(2027, 3, 27),
        Window(SAT, time(23), time(3)),
        [utc(2027, 3, 27, 22), utc(2027, 3, 27, 22, 30), utc(2027, 3, 27, 23)]
        + [utc(2027, 3, 27, 23, 30), utc(2027, 3, 28, 0)],
    ),
    # ... and five on the fall-back night (22:00-02:00 local, 02:00-07:00 UTC)
    (
        NEW_YORK,
        date(2027, 11, 6),
        Window(SAT, time(22), time(2)),
        [utc(2027, 11, 7, 2) + step * timedelta(minutes=30) for step in range(9)],
    ),
]


@pytest.mark.parametrize("zone, day, window, expected", DST_CASES)
def test_a_weekly_window_keeps_its_wall_clock_time_across_daylight_saving(
    zone, day, window, expected
):
    assert day_slots(Rules(zone, weekly=[window]), day) == expected


# A Berlin coach's Monday 18:00 seen by a member in New York: 12:00, then 13:00 in the two weeks
# when America has changed and Europe has not, then 12:00 again.
MEMBER_CASES = [
    (date(2027, 3, 8), time(12)),
    (date(2027, 3, 15), time(13)),
    (date(2027, 3, 22), time(13)),
    (date(2027, 3, 29), time(12)),
    (date(2027, 11, 1), time(13)),
    (date(2027, 11, 8), time(12)),
]


@pytest.mark.parametrize("day, member_time", MEMBER_CASES)
def test_a_member_in_another_timezone_sees_the_coachs_time_in_their_own(day, member_time):
    rules = Rules(BERLIN, weekly=[Window(MON, time(18), time(19))])
    (slot,) = day_slots(rules, day)
    local = slot.astimezone(ZoneInfo(NEW_YORK))
    assert (local.date(), local.time()) == (day, member_time)


def test_sessions_are_offered_every_half_hour_and_end_inside_the_window():
    rules = Rules(BERLIN, weekly=[Window(TUE, time(9), time(11))])
    slots = day_slots(rules, date(2027, 6, 1))
    assert slots == [utc(2027, 6, 1, 7), utc(2027, 6, 1, 7, 30), utc(2027, 6, 1, 8)]


def test_a_session_can_run_past_midnight():
    rules = Rules(NEW_YORK, weekly=[Window(FRI, time(23), time(1))])
    # Friday 23:00 in New York is 03:00 UTC on Saturday; the window closes at 01:00 local.
    assert day_slots(rules, date(2027, 6, 4), length=timedelta(minutes=90)) == [
        utc(2027, 6, 5, 3),
        utc(2027, 6, 5, 3, 30),
    ]


def test_buffers_keep_a_gap_around_the_existing_bookings():
    rules = Rules(
        "UTC",
        weekly=[Window(WED, time(9), time(13))],
        buffer_before=timedelta(minutes=15),
        buffer_after=timedelta(minutes=15),
    )
    booked = [Booked(utc(2027, 6, 2, 10), utc(2027, 6, 2, 9, 45), utc(2027, 6, 2, 11, 15))]
    assert day_slots(rules, date(2027, 6, 2), booked=booked) == [
        utc(2027, 6, 2, 11, 30),
        utc(2027, 6, 2, 12),
    ]


def test_the_members_other_sessions_are_not_offered_again():
    rules = Rules("UTC", weekly=[Window(WED, time(9), time(11))])
    elsewhere = [(utc(2027, 6, 2, 9, 30), utc(2027, 6, 2, 10))]
    assert day_slots(rules, date(2027, 6, 2), member_busy=elsewhere) == [utc(2027, 6, 2, 10)]


def test_minimum_notice_hides_the_next_hours_and_the_past():
    rules = Rules("UTC", weekly=[Window(WED, time(6), time(12))], notice=timedelta(hours=2))
    now = utc(2027, 6, 2, 8, 10)
    slots = day_slots(rules, date(2027, 6, 2), now=now)
    assert slots[0] == utc(2027, 6, 2, 10, 30)


def test_nothing_is_offered_beyond_the_horizon():
    weekly = [Window(day, time(9), time(10)) for day in range(7)]
    rules = Rules("UTC", weekly=weekly, horizon=timedelta(days=7))
    now = utc(2027, 6, 1, 9)
    slots = open_slots(rules, length=HOUR, since=now, until=now + timedelta(days=30), now=now)
    assert slots == [utc(2027, 6, 1, 9) + timedelta(days=n) for n in range(8)]


@pytest.mark.parametrize(
    "day_off, extra, expected",
    [
        (None, None, [utc(2027, 6, 3, 9)]),
        (date(2027, 6, 3), None, []),
        (date(2027, 6, 3), DateWindow(date(2027, 6, 3), time(15), time(16)), [utc(2027, 6, 3, 15)]),
        (  # an extra window overlapping the weekly one joins it
            None,
            DateWindow(date(2027, 6, 3), time(9, 30), time(11)),
            [utc(2027, 6, 3, 9), utc(2027, 6, 3, 9, 30), utc(2027, 6, 3, 10)],
        ),
    ],
)
def test_date_exceptions_take_a_day_off_or_add_a_window(day_off, extra, expected):
    rules = Rules(
        "UTC",
        weekly=[Window(THU, time(9), time(10))],
        days_off=frozenset([day_off] if day_off else []),
        extra=[extra] if extra else [],
    )
    assert day_slots(rules, date(2027, 6, 3)) == expected


def session(start: datetime) -> Booked:
    return Booked(start, start, start + HOUR)


def test_the_daily_limit_counts_sessions_on_the_coachs_local_day():
    # Late on Monday in New York is Tuesday in UTC: the session still counts for Monday.
    rules = Rules(
        NEW_YORK,
        weekly=[Window(MON, time(9), time(23)), Window(TUE, time(9), time(11))],
        max_per_day=1,
    )
    booked = [session(utc(2027, 6, 8, 2))]  # Monday 22:00 in New York
    assert day_slots(rules, date(2027, 6, 7), booked=booked) == []
    assert day_slots(rules, date(2027, 6, 8), booked=booked)[0] == utc(2027, 6, 8, 13)


def test_the_weekly_limit_closes_the_rest_of_the_week():
    weekly = [Window(day, time(9), time(12)) for day in range(5)]
    rules = Rules(BERLIN, weekly=weekly, max_per_week=2)
    booked = [session(utc(2027, 6, 7, 7)), session(utc(2027, 6, 8, 7))]
    assert day_slots(rules, date(2027, 6, 9), booked=booked) == []
    assert day_slots(rules, date(2027, 6, 14), booked=booked) != []


@pytest.mark.parametrize(
    "start, expected",
    [
        (utc(2027, 6, 2, 9), True),
        (utc(2027, 6, 2, 9, 10), False),  # not on a slot boundary
        (utc(2027, 6, 2, 10), False),  # its buffer would run into the next booking
        (utc(2027, 6, 2, 12), False),  # runs past the window
        (utc(2027, 6, 2, 16), False),  # outside availability
        (utc(2027, 6, 1, 9), False),  # in the past
    ],
)
def test_a_requested_start_is_checked_against_every_rule(start, expected):
    rules = Rules(
        "UTC",
        weekly=[Window(TUE, time(9), time(13)), Window(WED, time(9), time(13))],
        buffer_after=timedelta(minutes=30),
    )
    booked = [Booked(utc(2027, 6, 2, 11), utc(2027, 6, 2, 11), utc(2027, 6, 2, 12, 30))]
    now = utc(2027, 6, 1, 12)
    assert is_open(rules, start, length=HOUR, now=now, booked=booked) is expected


def test_eight_weeks_of_a_busy_coach_take_well_under_20_ms():
    weekly = [Window(day, time(8), time(12)) for day in range(5)]
    weekly += [Window(day, time(17), time(22)) for day in range(5)]
    rules = Rules(
        BERLIN,
        weekly=weekly,
        buffer_before=timedelta(minutes=10),
        buffer_after=timedelta(minutes=10),
        max_per_day=4,
        max_per_week=12,
    )
    now = utc(2027, 3, 1, 6)
    booked = [session(now + timedelta(days=n, hours=3)) for n in range(0, 56, 2)]
    timings = []
    for _ in range(5):
        started = clock.perf_counter()
        slots = open_slots(
            rules, length=HOUR, since=now, until=now + timedelta(weeks=8), now=now, booked=booked
        )
        timings.append(clock.perf_counter() - started)
    assert slots
    assert min(timings) < 0.020
