"""The demo coaches `make run` shows."""

from mentoring.demo import seed_mentoring_demo
from mentoring.models import AvailabilityRule, MentorshipDay
from mentoring.services.availability import open_slots_for
from tests.conftest import make_user


def test_the_demo_gives_coaches_open_times_and_can_run_twice(db):
    from community.demo import DEMO_LOGINS
    from community.models import User

    make_user(DEMO_LOGINS["coach"], groups=[User.COACHES])
    make_user("coach0@demo.roundtable.local", groups=[User.COACHES])
    profiles = seed_mentoring_demo()
    rules = AvailabilityRule.objects.count()
    assert len(seed_mentoring_demo()) == len(profiles) == 2
    assert AvailabilityRule.objects.count() == rules
    assert MentorshipDay.objects.count() == 1  # the demo coach's, kept on the second run
    for profile in profiles:
        assert open_slots_for(profile, minutes=min(profile.session_lengths))
