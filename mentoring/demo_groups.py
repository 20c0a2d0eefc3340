"""Demo mentoring groups for `make run`: the demo coach's, which the demo member has joined, with
a request waiting and a member whose time to confirm is over, so the coach may release the place;
and a small one the organizers' list flags."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from community.demo import DEMO_LOGINS
from community.models import User
from mentoring.models import CoachProfile, GroupMembership, MentoringGroup
from mentoring.services import groups

GROUPS = (
    {
        "topic": "Leading through a reorganisation",
        "description": "Bring the reorg you are in the middle of: six leaders, one problem each.",
        "members": 4,
        "unconfirmed": 1,
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
    day = timezone.localdate(timezone.now(), ZoneInfo(profile.timezone))
    day += timedelta(days=spec["first_in_days"])
    return groups.open_group(
        profile,
        topic=spec["topic"],
        description=spec["description"],
        format=MentoringGroup.Format.VIDEO,
        place="",
        # An early evening in the coach's zone, whenever the demo is loaded.
        first_session_at=datetime.combine(day, time(18), tzinfo=ZoneInfo(profile.timezone)),
        every_weeks=2,
        session_minutes=60,
        capacity=6,
    )


def _accepted_long_ago(group: MentoringGroup, user: User) -> None:
    """Accepted, never confirmed, and the time to confirm is over."""
    membership = groups.request_to_join(group, member=user, note="Count me in.")
    groups.accept_request(membership, by=group.coach.user)
    long_ago = timezone.now() - timedelta(days=settings.MENTORING_GROUP_CONFIRM_DAYS + 2)
    GroupMembership.objects.filter(pk=membership.pk).update(
        requested_at=long_ago - timedelta(days=1), decided_at=long_ago
    )


def seed_demo_groups(profiles: list[CoachProfile]) -> int:
    """A group for each of the first coaches that leads none yet, the demo coach first
    (idempotent)."""
    made, candidates, offset = 0, _candidates(), 0
    profiles = sorted(profiles, key=lambda profile: profile.user.email != DEMO_LOGINS["coach"])
    for profile, spec in zip(profiles, GROUPS, strict=False):
        count, unconfirmed = spec["members"], spec.get("unconfirmed", 0)
        size = count + unconfirmed + 1  # and one request still to answer
        people = candidates[offset : offset + size]
        offset += size
        if profile.groups.exists():
            continue
        group = _open(profile, spec)
        for user in people[:count]:
            membership = groups.request_to_join(group, member=user, note="I would like to join.")
            groups.accept_request(membership, by=profile.user)
            groups.consent_to_group(membership, by=user)
        for user in people[count : count + unconfirmed]:
            _accepted_long_ago(group, user)
        for user in people[count + unconfirmed :]:
            groups.request_to_join(group, member=user, note="Could I join next?")
        made += 1
    return made
