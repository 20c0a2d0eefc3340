"""The career framework's rules on plain data: levels, progress, the working, what to work on."""

import pytest

from mentoring.default_framework import COMPETENCIES, DIRECTIONS
from mentoring.framework import (
    Reason,
    competency_level,
    explain_competency,
    next_skills,
    overall_progress,
)

FULL = [2, 2, 2]


@pytest.mark.parametrize(
    "scores_by_level, level",
    [
        pytest.param([], 0, id="no levels at all is level 0"),
        pytest.param([[0, 0]], 0, id="starter not reached is level 0"),
        pytest.param([FULL], 0, id="starter reached is level 0 too"),
        pytest.param([FULL, FULL, FULL], 2, id="every level reached up to 2"),
        pytest.param([FULL, FULL] + [FULL] * 4, 5, id="all six levels reached is 5"),
        # Seven 2s and three 1s: 17 over 10 skills, exactly 1.7, which is not above 1.7.
        pytest.param([FULL, [2] * 7 + [1] * 3], 0, id="exactly 1.7 is not above it"),
        pytest.param([FULL, [2] * 8 + [1] * 2], 1, id="1.8 is above 1.7"),
        # 2, 2, 1 averages 1.67: not above 1.7 either, and float rounding plays no part.
        pytest.param([FULL, [2, 2, 1]], 0, id="two of three fully is not enough"),
        pytest.param([FULL, [2] * 19 + [0]], 0, id="a single 0 blocks a level with a 1.9 average"),
        pytest.param(
            [FULL, [1, 1], FULL, FULL], 0, id="a level above a missing one does not count"
        ),
        pytest.param([[2, 0], FULL, FULL], 0, id="nothing counts above an unreached starter"),
        pytest.param([FULL, FULL, [], FULL], 1, id="a level without skills is not reached"),
    ],
)
def test_a_competencys_level_follows_the_rules(scores_by_level, level):
    assert competency_level(scores_by_level) == level


def test_a_score_outside_0_1_2_is_refused():
    with pytest.raises(ValueError):
        competency_level([[2, 3]])


@pytest.mark.parametrize(
    "levels, weights, progress",
    [
        pytest.param(
            [2, 3, 2, 2, 1], [25, 30, 30, 10, 5], 2.25, id="the individual contributor example"
        ),
        pytest.param([2, 3, 2, 2, 1], [5, 30, 25, 20, 20], 2.1, id="functional leader"),
        pytest.param([2, 3, 2, 2, 1], [30, 10, 15, 20, 25], 1.85, id="cross-functional leader"),
        pytest.param([0, 0, 0, 0, 0], [25, 30, 30, 10, 5], 0.0, id="all at starter"),
        pytest.param([5, 5, 5, 5, 5], [30, 10, 15, 20, 25], 5.0, id="all at leading expert"),
    ],
)
def test_progress_is_the_weighted_average_of_the_levels(levels, weights, progress):
    names = ["delivery", "domain", "problem", "communication", "leadership"]
    result = overall_progress(
        dict(zip(names, levels, strict=True)), dict(zip(names, weights, strict=True))
    )
    assert result == pytest.approx(progress, abs=1e-12)


def test_progress_refuses_levels_and_weights_that_name_different_competencies():
    with pytest.raises(ValueError):
        overall_progress({"delivery": 2}, {"leadership": 100})


@pytest.mark.parametrize("name, description, weights", DIRECTIONS, ids=[d[0] for d in DIRECTIONS])
def test_each_default_directions_weights_add_up_to_100(name, description, weights):
    assert sum(weights) == 100 and len(weights) == len(COMPETENCIES)


def test_the_default_framework_has_two_to_four_skills_on_all_six_levels_of_five_competencies():
    assert [name for name, *_ in COMPETENCIES] == [
        "Delivery",
        "Domain expertise",
        "Problem solving",
        "Communication",
        "Leadership",
    ]
    assert all(len(levels) == 6 for *_, levels in COMPETENCIES)
    assert all(2 <= len(skills) <= 4 for *_, levels in COMPETENCIES for skills in levels)


def test_the_working_names_the_skills_that_hold_each_level_back():
    working = explain_competency([FULL, [2, 0, 1], [2, 1, 1], FULL])
    assert working.level == 0
    starter, beginner, intermediate, advanced = working.levels
    assert starter.reached and starter.holding_back == ()
    assert (beginner.reason, beginner.holding_back) == (Reason.ZERO, (1,))
    assert (intermediate.reason, intermediate.holding_back) == (Reason.AVERAGE, (1, 2))
    assert advanced.reason == Reason.PREVIOUS and advanced.met_on_its_own
    assert working.next_level is beginner


def test_the_next_skills_come_from_the_competencies_the_direction_weighs_most():
    workings = {
        "delivery": explain_competency([FULL, [2, 1, 2]]),
        "leadership": explain_competency([FULL, [1, 0]]),
        "domain": explain_competency([FULL, FULL]),
    }
    found = next_skills(workings, {"delivery": 10, "leadership": 60, "domain": 30})
    assert [(s.competency, s.level, s.position, s.score) for s in found] == [
        ("leadership", 1, 1, 0),
        ("leadership", 1, 0, 1),
        ("delivery", 1, 1, 1),
    ]
