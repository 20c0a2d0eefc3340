from datetime import UTC, date, datetime

from circles.schedule import candidate_times, proposed_first_meeting, slot_instant, start_slots

TUESDAY_18_UTC = 48 + 36  # Tuesday is day 1; 18:00 is the 36th half-hour


def test_a_slot_is_the_first_such_time_on_or_after_the_first_meeting_date():
    # 2027-01-13 is a Wednesday: Tuesday's slot falls in the following week.
    assert slot_instant(TUESDAY_18_UTC, date(2027, 1, 13)) == datetime(2027, 1, 19, 18, tzinfo=UTC)
    assert slot_instant(TUESDAY_18_UTC, date(2027, 1, 12)) == datetime(2027, 1, 12, 18, tzinfo=UTC)


def test_a_meeting_starts_only_where_it_can_end_inside_the_window():
    window = list(range(TUESDAY_18_UTC, TUESDAY_18_UTC + 4))  # 18:00-20:00
    assert start_slots(window, 60) == window[:3]
    assert start_slots(window, 150) == []


def test_candidates_are_spread_across_a_long_window():
    window = list(range(TUESDAY_18_UTC, TUESDAY_18_UTC + 12))  # 18:00-24:00, 11 possible starts
    times = candidate_times(window, date(2027, 1, 11), 60)
    assert len(times) == 5
    assert times[0] == datetime(2027, 1, 12, 18, tzinfo=UTC)
    assert times[-1] == datetime(2027, 1, 12, 23, tzinfo=UTC)


def test_a_narrow_window_offers_the_same_time_in_the_next_weeks():
    window = [TUESDAY_18_UTC, TUESDAY_18_UTC + 1]
    times = candidate_times(window, date(2027, 1, 11), 60)
    assert times == [datetime(2027, 1, day, 18, tzinfo=UTC) for day in (12, 19, 26)]


def test_the_invitation_proposes_the_earliest_time_and_none_without_a_window():
    window = list(range(TUESDAY_18_UTC, TUESDAY_18_UTC + 4))
    assert proposed_first_meeting(window, date(2027, 1, 11), 60) == datetime(
        2027, 1, 12, 18, tzinfo=UTC
    )
    assert proposed_first_meeting([], date(2027, 1, 11), 60) is None
