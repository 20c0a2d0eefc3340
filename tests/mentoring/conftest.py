"""What the coaching tests share: a clock stopped on a Wednesday morning, and a coach's profile."""

import pytest
import time_machine

from tests.mentoring.factories import NOW, make_coach_profile


@pytest.fixture
def clock():
    """The clock stopped at NOW; a test moves it with `clock.move_to(...)`."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def profile(coach):
    return make_coach_profile(coach)
