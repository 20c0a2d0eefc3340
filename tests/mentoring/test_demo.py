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


def test_the_demo_gives_the_demo_member_a_framework_history_and_can_run_twice(db):
    from community.demo import DEMO_LOGINS
    from community.models import User
    from mentoring.models import Review
    from tests.conftest import make_member

    make_user(DEMO_LOGINS["coach"], groups=[User.COACHES])
    member = make_user(DEMO_LOGINS["member"])
    make_member(member)
    seed_mentoring_demo()
    seed_mentoring_demo()
    reviews = list(Review.objects.agreed().of_member(member).order_by("agreed_at"))
    assert [str(r.agreed_progress) for r in reviews] == ["1.65", "2.40"]  # weights 30/10/15/20/25
    assert reviews[1].supersedes == reviews[0]


def test_the_demo_opens_mentoring_groups_the_demo_member_has_joined_once(db):
    from community.demo import DEMO_LOGINS
    from community.models import User
    from mentoring.models import GroupMembership, MentoringGroup
    from tests.conftest import make_member

    make_user(DEMO_LOGINS["coach"], groups=[User.COACHES])
    make_user("coach0@demo.roundtable.local", groups=[User.COACHES])
    make_member(make_user(DEMO_LOGINS["member"], name="Maya Member"))
    for n in range(5):
        make_member(make_user(f"member{n:05d}@members.demo.roundtable.local"))
    seed_mentoring_demo()
    seed_mentoring_demo()
    assert MentoringGroup.objects.count() == 2
    joined = GroupMembership.objects.filter(user__email=DEMO_LOGINS["member"])
    assert joined.get().has_joined
    assert GroupMembership.objects.filter(status="requested").count() == 1
    # The demo coach leads the group with the waiting request, and one place they may release.
    ours = MentoringGroup.objects.get(coach__user__email=DEMO_LOGINS["coach"])
    assert ours.memberships.filter(status="requested").exists()
    waiting = ours.memberships.get(status="accepted", consented_at__isnull=True)
    assert waiting.days_to_confirm() == 0
