"""Mentoring groups for the tests: a coach's group, and members who ask, are accepted and consent
through the services (so every test goes the way members do)."""

from datetime import UTC, datetime

from community.models import User
from mentoring.models import GroupMembership, MentoringGroup
from mentoring.services import groups
from tests.mentoring.factories import make_coach_profile, make_other_member

FIRST = datetime(2027, 3, 2, 17, tzinfo=UTC)  # 18:00 in Berlin, before the clocks go forward


def open_test_group(coach: User, *, zone: str = "Europe/Berlin", **fields) -> MentoringGroup:
    profile = getattr(coach, "coach_profile", None) or make_coach_profile(coach, timezone=zone)
    values = {
        "topic": "Leading through a reorganisation",
        "description": "Six leaders, one problem each per session.",
        "format": MentoringGroup.Format.VIDEO,
        "place": "",
        "first_session_at": FIRST,
        "every_weeks": 2,
        "session_minutes": 60,
        "sessions": 6,
        "capacity": 6,
        **fields,
    }
    return groups.open_group(profile, **values)


def join(group: MentoringGroup, user: User, *, consent: bool = True) -> GroupMembership:
    """`user` asks, the coach accepts, and (unless told otherwise) the member consents."""
    membership = groups.request_to_join(group, member=user, note="I am about to reorganise.")
    membership = groups.accept_request(membership, by=group.coach.user)
    if consent:
        membership = groups.consent_to_group(membership, by=user)
    return membership


def members(count: int, *, start: int = 0) -> list[User]:
    return [make_other_member(f"peer{n}@example.com") for n in range(start, start + count)]
