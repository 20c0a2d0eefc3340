"""Composing circles: every rule holds, locks hold, the unplaced are explained (plain data, no DB)."""

import random
from collections import Counter

import pytest

from circles.composition import circle_violations, compose, describe_circle
from circles.domain import SLOTS_PER_WEEK, Circle, Format, Gender, Place, Rules, SignUp

RULES = Rules()

CITIES = [  # name, latitude, longitude, UTC offset in minutes at the first meeting
    ("San Francisco", 37.7749, -122.4194, -480),
    ("New York", 40.7128, -74.0060, -300),
    ("London", 51.5074, -0.1278, 0),
    ("Berlin", 52.52, 13.405, 60),
    ("Tel Aviv", 32.0853, 34.7818, 120),
    ("Bangalore", 12.9716, 77.5946, 330),
]
# (day, first half-hour, end half-hour) in local time: breakfast, lunch, evening blocks
BLOCKS = [
    (0, 15, 18),
    (0, 24, 27),
    (0, 36, 40),
    (1, 15, 18),
    (1, 36, 40),
    (2, 15, 18),
    (2, 24, 27),
    (3, 36, 40),
    (4, 15, 18),
    (3, 24, 27),
]
ROLES = ["CTO", "VP Eng", "Director", "Staff+", "Eng Manager", ""]


def synthetic_signups(count: int, seed: int, cities=CITIES) -> list[SignUp]:
    """Seeded sign-ups with realistic clumps: a few cities, popular weekly blocks, shared companies."""
    rng = random.Random(seed)
    companies = [f"company-{k}" for k in range(max(8, count))]
    people = []
    for k in range(count):
        city, lat, lon, offset = rng.choice(cities)
        area = rng.randrange(4)
        place = Place(f"{city}: area {area}", lat + 0.03 * (area - 1.5), lon + 0.04 * area, city)
        slots = set()
        for day, first, end in rng.sample(BLOCKS, rng.randint(1, 5)):
            for slot in range(first, end):
                slots.add((day * 48 + slot - offset // 30) % SLOTS_PER_WEEK)
        draw = rng.random()
        gender = (
            Gender.WOMAN
            if draw < 0.25
            else Gender.NON_BINARY
            if draw < 0.28
            else Gender.MAN
            if draw < 0.85
            else Gender.NOT_STATED
        )
        people.append(
            SignUp(
                id=f"p{k:05d}",
                name=f"Person {k}",
                company_key=rng.choice(companies) if rng.random() < 0.9 else "",
                format=rng.choice(
                    [Format.IN_PERSON, Format.IN_PERSON, Format.VIDEO, Format.EITHER, Format.EITHER]
                ),
                place=None if rng.random() < 0.05 else place,
                timezone="Etc/UTC",
                utc_offset_minutes=offset,
                slots=frozenset(slots),
                gender=gender,
                underrepresented=rng.random() < 0.1,
                role_kind=rng.choice(ROLES),
                seniority=rng.randint(0, 3),
            )
        )
    return people


def person(pid: str, **changes) -> SignUp:
    """A London person free Monday 18:00-20:00 UTC, accepting both formats, unless told otherwise."""
    values = dict(
        id=pid,
        name=f"Name {pid}",
        company_key=f"company-{pid}",
        format=Format.EITHER,
        place=Place("London: Soho", 51.5136, -0.1365, "London", "GB"),
        timezone="Europe/London",
        utc_offset_minutes=0,
        slots=frozenset(range(36, 40)),
    )
    values.update(changes)
    return SignUp(**values)


def circle_of(count: int, **changes) -> list[SignUp]:
    return [person(f"m{k}", **changes) for k in range(count)]


def assert_composition_is_sound(people, composition, rules=RULES):
    by_id = {p.id: p for p in people}
    placed = [pid for circle in composition.circles for pid in circle.members]
    assert len(placed) == len(set(placed)), "nobody is in two circles"
    assert set(placed).isdisjoint(composition.unplaced)
    assert set(placed) | set(composition.unplaced) == set(by_id), "everyone is accounted for"
    for circle in composition.circles:
        members = [by_id[pid] for pid in circle.members]
        assert circle_violations(members, circle.format, rules) == []
        assert circle.window and all(
            slot in member.slots for member in members for slot in circle.window
        )
        if circle.format == Format.IN_PERSON:
            assert circle.place in {m.place for m in members}
    assert all(reason.strip() for reason in composition.unplaced.values())


@pytest.mark.parametrize(
    ("count", "seed", "cities"),
    [(20, 1, 1), (86, 2, 3), (86, 3, 6), (150, 4, 4), (400, 5, 6), (400, 6, 3)],
)
def test_every_circle_follows_every_rule_on_generated_rounds(count, seed, cities):
    people = synthetic_signups(count, seed, cities=CITIES[:cities])
    composition = compose(people, RULES, time_limit=2)
    assert_composition_is_sound(people, composition)
    assert composition.circles, "a round of this size forms some circles"
    placed = sum(len(c.members) for c in composition.circles)
    assert composition.upper_bound is None or composition.upper_bound >= placed


def test_a_small_round_is_solved_to_proven_optimality():
    people = synthetic_signups(40, 1, cities=CITIES[:2])
    composition = compose(people, RULES, time_limit=10)
    placed = sum(len(c.members) for c in composition.circles)
    assert composition.optimal
    assert composition.upper_bound == placed


def test_locked_circles_stay_exactly_and_their_people_are_not_reused():
    people = synthetic_signups(120, 8)
    first = compose(people, RULES, time_limit=2)
    keep = first.circles[0]
    locked = Circle(
        members=list(keep.members),
        format=keep.format,
        window=list(keep.window),
        place=keep.place,
        locked=True,
    )
    again = compose(people, RULES, locked=[locked], time_limit=2)
    assert again.circles[0] is locked and locked.members == keep.members
    others = {pid for circle in again.circles[1:] for pid in circle.members}
    assert others.isdisjoint(locked.members)
    assert_composition_is_sound(people, again)


def test_re_running_with_everything_locked_changes_nothing():
    people = synthetic_signups(120, 9)
    first = compose(people, RULES, time_limit=2)
    for circle in first.circles:
        circle.locked = True
    held = [pid for pid in first.unplaced]
    again = compose(people, RULES, locked=first.circles, held_back=held, time_limit=2)
    assert [c.members for c in again.circles] == [c.members for c in first.circles]
    assert set(again.unplaced) == set(first.unplaced)


def test_held_back_people_stay_unplaced_with_a_reason():
    people = circle_of(8)
    composition = compose(people, RULES, held_back=["m0", "m1"], time_limit=1)
    assert set(composition.unplaced) == {"m0", "m1"}
    assert "organizer" in composition.unplaced["m0"]
    assert [sorted(c.members) for c in composition.circles] == [[f"m{k}" for k in range(2, 8)]]


def test_a_round_with_nobody_compatible_leaves_everyone_unplaced_with_reasons():
    people = [
        person(f"x{k}", slots=frozenset(range(k * 6, k * 6 + 2)), format=Format.VIDEO)
        for k in range(12)
    ]
    composition = compose(people, RULES, time_limit=1)
    assert composition.circles == []
    assert set(composition.unplaced) == {p.id for p in people}
    assert all("share" in reason for reason in composition.unplaced.values())


def test_the_unplaced_get_specific_reasons():
    boulder = Place("Boulder: Pearl Street", 40.0176, -105.2797, "Boulder", "US")
    people = circle_of(8) + [
        person("alone", place=boulder, format=Format.IN_PERSON, utc_offset_minutes=-420),
        person("nowhere", place=None, format=Format.IN_PERSON),
        person("no-times", slots=frozenset()),
        person("short", slots=frozenset({3, 9})),
    ]
    composition = compose(people, RULES, time_limit=1)
    reasons = composition.unplaced
    assert reasons["alone"] == "nobody else near Boulder can meet in person"
    assert reasons["nowhere"] == "your place is unknown, and you accept only in person"
    assert reasons["no-times"] == "you marked no available times"
    assert "60 minutes long" in reasons["short"]


def test_a_lone_woman_is_paired_rather_than_left_out():
    people = circle_of(9) + [
        person("w1", gender=Gender.WOMAN, format=Format.IN_PERSON),
        person("w2", gender=Gender.WOMAN, format=Format.IN_PERSON),
    ]
    composition = compose(people, RULES, time_limit=2)
    assert_composition_is_sound(people, composition)
    assert {"w1", "w2"} <= {pid for c in composition.circles for pid in c.members}


def test_a_woman_who_would_be_alone_is_told_so():
    people = circle_of(9, format=Format.VIDEO) + [person("w", gender=Gender.WOMAN)]
    composition = compose(people, RULES, time_limit=2)
    assert composition.unplaced["w"] == "only woman available in this window"


def test_women_are_not_left_out_more_than_anyone_else():
    placed = women_placed = women = 0
    total = 0
    for seed in (11, 12, 13):
        people = synthetic_signups(86, seed, cities=CITIES[:3])
        composition = compose(people, RULES, time_limit=2)
        in_circles = {pid for c in composition.circles for pid in c.members}
        total += len(people)
        placed += len(in_circles)
        women += sum(1 for p in people if p.gender == Gender.WOMAN)
        women_placed += sum(1 for p in people if p.gender == Gender.WOMAN and p.id in in_circles)
    assert women_placed / women >= placed / total - 0.05


def test_a_window_may_wrap_from_sunday_to_monday():
    late_sunday = frozenset({SLOTS_PER_WEEK - 1, 0, 1})  # Sun 23:30 to Mon 01:00 UTC
    members = circle_of(6, slots=late_sunday)
    assert circle_violations(members, Format.VIDEO, RULES) == []
    composition = compose(members, RULES, time_limit=1)
    assert len(composition.circles) == 1
    assert sorted(composition.circles[0].window) == [0, 1, SLOTS_PER_WEEK - 1]


def test_stopping_at_once_still_returns_a_valid_composition():
    people = synthetic_signups(200, 14)
    fractions = []
    composition = compose(
        people, RULES, time_limit=2, progress=fractions.append, should_stop=lambda: True
    )
    assert_composition_is_sound(people, composition)
    assert fractions[-1] == 1.0


def test_progress_is_reported_as_parts_finish():
    people = synthetic_signups(300, 15)
    fractions = []
    compose(people, RULES, time_limit=2, progress=fractions.append)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) > 2


def test_a_valid_circle_has_no_violations_and_explains_itself():
    members = circle_of(8)
    assert circle_violations(members, Format.IN_PERSON, RULES) == []
    circle = Circle(members=[m.id for m in members], format=Format.IN_PERSON, window=[36, 37, 38])
    circle.place = members[0].place
    lines = describe_circle(members, circle)
    assert lines[0].startswith("Everyone is free Mon 18:00-19:30 UTC")
    assert "near London: Soho" in lines[1]


@pytest.mark.parametrize(
    ("members", "fmt", "rule"),
    [
        (circle_of(5), Format.VIDEO, "Size"),
        (circle_of(11), Format.VIDEO, "Size"),
        (circle_of(5) + [person("late", slots=frozenset({100, 101}))], Format.VIDEO, "Time"),
        (circle_of(5) + [person("gap", slots=frozenset({36, 38}))], Format.VIDEO, "Time"),
        (circle_of(5) + [person("v", format=Format.VIDEO)], Format.IN_PERSON, "Format"),
        (circle_of(5) + [person("i", format=Format.IN_PERSON)], Format.VIDEO, "Format"),
        (circle_of(5) + [person("u", place=None)], Format.IN_PERSON, "Place"),
        (
            circle_of(5) + [person("far", place=Place("Croydon", 51.3762, -0.0982, "London"))],
            Format.IN_PERSON,
            "Place",
        ),
        (circle_of(5) + [person("tok", utc_offset_minutes=540)], Format.VIDEO, "Timezones"),
        (circle_of(5) + [person("same", company_key="company-m0")], Format.VIDEO, "Company"),
        (circle_of(5) + [person("w", gender=Gender.WOMAN)], Format.VIDEO, "Groups"),
        (circle_of(5) + [person("nb", gender=Gender.NON_BINARY)], Format.VIDEO, "Groups"),
        (circle_of(5) + [person("ur", underrepresented=True)], Format.VIDEO, "Groups"),
        (circle_of(6) + [person("m0")], Format.VIDEO, "Nobody in two places"),
        (circle_of(6), Format.EITHER, "Format"),
    ],
)
def test_circle_violations_names_each_broken_rule(members, fmt, rule):
    problems = circle_violations(members, fmt, RULES)
    assert problems and all(problem.startswith(rule) for problem in problems), problems


def test_group_messages_give_counts_never_names():
    members = circle_of(5) + [person("w", name="Ada", gender=Gender.WOMAN)]
    problems = circle_violations(members, Format.VIDEO, RULES)
    assert "only 1 woman" in problems[0] and not any("Ada" in p for p in problems)


def test_a_woman_and_a_non_binary_person_together_still_leave_one_woman_alone():
    members = circle_of(4) + [
        person("w", gender=Gender.WOMAN),
        person("nb", gender=Gender.NON_BINARY),
    ]
    problems = circle_violations(members, Format.VIDEO, RULES)
    assert problems == ["Groups: only 1 woman; a circle needs none or at least 2 women."]


def test_generated_rounds_have_realistic_reasons_counted():
    people = synthetic_signups(86, 16)
    composition = compose(people, RULES, time_limit=2)
    assert Counter(composition.unplaced.values()).most_common(1)[0][1] < len(people)


def pin(circle: Circle, members: list[str], ref: str = "row-1") -> Circle:
    """The circle as a re-run takes it when only some of its people are locked."""
    return Circle(members=members, format=circle.format, place=circle.place, ref=ref)


def circle_with_ref(composition, ref: str) -> Circle:
    [found] = [circle for circle in composition.circles if circle.ref == ref]
    return found


def test_a_locked_person_stays_in_their_circle_which_is_filled_anew_around_them():
    people = synthetic_signups(120, 8)
    first = compose(people, RULES, time_limit=2)
    keep = first.circles[0]
    again = compose(people, RULES, pinned=[pin(keep, [keep.members[0]])], time_limit=2)
    refilled = circle_with_ref(again, "row-1")
    assert refilled.members[0] == keep.members[0]
    assert RULES.min_size <= len(refilled.members) <= RULES.max_size
    assert sum(keep.members[0] in c.members for c in again.circles) == 1
    assert_composition_is_sound(people, again)


def test_several_locked_people_of_one_circle_stay_together_in_it():
    people = synthetic_signups(300, 3)
    first = compose(people, RULES, time_limit=2)
    keep = max(first.circles, key=lambda c: len(c.members))
    locked = keep.members[:3]
    again = compose(people, RULES, pinned=[pin(keep, locked)], time_limit=2)
    assert set(locked) <= set(circle_with_ref(again, "row-1").members)
    assert_composition_is_sound(people, again)


def test_locked_people_who_cannot_form_a_valid_circle_are_kept_together_and_told_why():
    people = circle_of(12) + [person("same", company_key="company-m0")]
    shell = Circle(members=[], format=Format.VIDEO)
    composition = compose(people, RULES, pinned=[pin(shell, ["m0", "same"])], time_limit=2)
    kept = circle_with_ref(composition, "row-1")
    assert kept.members == ["m0", "same"]
    assert kept.explanation[0].startswith("Kept together because its people are locked")
    assert "Company" in kept.explanation[0]
    assert "m0" not in composition.unplaced and "same" not in composition.unplaced
    assert all("m0" not in c.members for c in composition.circles if c is not kept)


def test_a_locked_person_nobody_can_join_stays_alone_in_their_circle_with_the_reason():
    loner = person("loner", slots=frozenset({100, 101}), format=Format.VIDEO)
    people = circle_of(8) + [loner]
    shell = Circle(members=[], format=Format.VIDEO)
    composition = compose(people, RULES, pinned=[pin(shell, ["loner"])], time_limit=2)
    kept = circle_with_ref(composition, "row-1")
    assert kept.members == ["loner"] and "nobody still free" in kept.explanation[0]


def test_re_running_with_locked_circles_and_people_changes_nothing_that_is_locked():
    people = synthetic_signups(200, 21)
    first = compose(people, RULES, time_limit=2)
    whole, partly = first.circles[0], first.circles[1]
    whole.locked = True
    locked_people = partly.members[:2]
    for seed in range(2):
        again = compose(
            people,
            RULES,
            locked=[whole],
            pinned=[pin(partly, locked_people, ref=f"seed-{seed}")],
            time_limit=1 + seed,
        )
        assert again.circles[0] is whole
        assert set(locked_people) <= set(circle_with_ref(again, f"seed-{seed}").members)
        assert_composition_is_sound(people, again)
