"""Demo mentoring groups for `make run`: one the demo member has joined, with a request waiting
for the demo coach, and a small one the organizers' list flags."""

from datetime import timedelta

from django.utils import timezone

from community.demo import DEMO_LOGINS
from community.models import User
from mentoring.models import CoachProfile, MentoringGroup
from mentoring.services import groups

GROUPS = (
    {
        "topic": "Leading through a reorganisation",
        "description": "Bring the reorg you are in the middle of: six leaders, one problem each.",
        "members": 4,
        "first_in_days": 9,
    },
    {
        "topic": "Your first 90 days as a VP",
        "description": "For leaders new to a VP role: expectations, first hires, early wins.",
        "members": 1,
        "first_in_days": 3,
    },
)


def _candidates() -> list[User]:
    """The demo member first, then the generated members: each group takes the next few."""
    demo = list(User.objects.filter(email=DEMO_LOGINS["member"]))
    others = User.objects.filter(
        email__endswith="@members.demo.roundtable.local", member__isnull=False
    )
    return demo + list(others.order_by("email")[:20])


def _open(profile: CoachProfile, spec: dict) -> MentoringGroup:
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    return groups.open_group(
        profile,
        topic=spec["topic"],
        description=spec["description"],
        format=MentoringGroup.Format.VIDEO,
        place="",
        first_session_at=start + timedelta(days=spec["first_in_days"]),
        every_weeks=2,
        session_minutes=60,
        capacity=6,
    )


def seed_demo_groups(profiles: list[CoachProfile]) -> int:
    """A group for each of the first coaches that leads none yet (idempotent)."""
    made, candidates, offset = 0, _candidates(), 0
    for profile, spec in zip(profiles, GROUPS, strict=False):
        count = spec["members"]
        people = candidates[offset : offset + count + 1]  # and one request still to answer
        offset += count + 1
        if profile.groups.exists():
            continue
        group = _open(profile, spec)
        for user in people[:count]:
            membership = groups.request_to_join(group, member=user, note="I would like to join.")
            groups.accept_request(membership, by=profile.user)
            groups.consent_to_group(membership, by=user)
        for user in people[count:]:
            groups.request_to_join(group, member=user, note="Could I join next?")
        made += 1
    return made
