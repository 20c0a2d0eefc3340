"""Demo coaches for `make run` and the benchmark: profiles, topics and realistic weekly windows."""

import random
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from community.demo import DEMO_LOGINS
from community.models import User
from mentoring.demo_groups import seed_demo_groups
from mentoring.models import AvailabilityRule, CoachProfile, MentorshipDay, Topic

TOPICS = (
    "Hiring",
    "Conflict",
    "Career ladders",
    "Scaling teams",
    "Fundraising",
    "Burnout",
    "Cloud migrations",
    "First-time managers",
)
TIMEZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles")
LANGUAGES = ("English", "English, German", "English, French", "English, Spanish")
# (weekday, start, end) patterns a volunteer might keep: evenings, a lunch hour, a weekend morning.
PATTERNS = (
    [(1, time(18), time(20)), (3, time(18), time(20))],
    [(0, time(12), time(13, 30)), (2, time(12), time(13, 30)), (4, time(9), time(11))],
    [(5, time(9), time(12))],
    [(day, time(8), time(10)) for day in range(5)],
    [(3, time(21), time(0, 30))],  # late on Thursday, across midnight
)


def ensure_topics() -> list[Topic]:
    return [
        Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in TOPICS
    ]


def ensure_coach_profile(user: User, rng: random.Random, topics: list[Topic]) -> CoachProfile:
    """A coach's profile with a pattern of weekly windows (kept as they are if it exists)."""
    profile, created = CoachProfile.objects.get_or_create(
        user=user,
        defaults={
            "bio": "Engineering leader for fifteen years; I coach new managers and VPs.",
            "languages": rng.choice(LANGUAGES),
            "session_lengths": rng.choice([[30, 60], [60], [30, 45, 60]]),
            "intake_question": rng.choice(["", "What would make this session a success?"]),
            "buffer_after_minutes": rng.choice([0, 10, 15]),
            "notice_hours": rng.choice([12, 24]),
            "max_per_week": rng.choice([None, 3, 5]),
        },
    )
    if created:
        if not user.timezone:
            user.timezone = rng.choice(TIMEZONES)
            user.save(update_fields=["timezone"])
        profile.topics.set(rng.sample(topics, 3))
        AvailabilityRule.objects.bulk_create(
            AvailabilityRule(coach=profile, weekday=day, starts_at=start, ends_at=end)
            for pattern in rng.sample(PATTERNS, 2)
            for day, start, end in pattern
        )
    return profile


def ensure_mentorship_day(profile: CoachProfile) -> MentorshipDay:
    """A mentorship day two weeks ahead, shown on the coach list (not emailed: a demo)."""
    upcoming = profile.days.upcoming().first()
    if upcoming:
        return upcoming
    day = MentorshipDay.objects.create(
        coach=profile,
        timezone=profile.timezone,
        day=timezone.localdate() + timedelta(days=14),
        starts_at=time(9),
        ends_at=time(13),
        session_minutes=45,
        break_minutes=15,
        description="Four sessions for leaders hiring their first managers.",
        announced_at=timezone.now(),
    )
    day.topics.set(profile.topics.all())
    return day


@transaction.atomic
def seed_mentoring_demo() -> list[CoachProfile]:
    """Profiles for the demo coaches, their mentoring groups and a mentorship day (idempotent)."""
    rng = random.Random(10)
    topics = ensure_topics()
    emails = [DEMO_LOGINS["coach"]] + [f"coach{n}@demo.roundtable.local" for n in range(3)]
    users = User.objects.filter(email__in=emails).order_by("email")
    profiles = [ensure_coach_profile(user, rng, topics) for user in users]
    from mentoring.framework_demo import seed_framework_demo

    seed_framework_demo()
    seed_demo_groups(profiles)
    for profile in profiles:
        if profile.user.email == DEMO_LOGINS["coach"]:
            ensure_mentorship_day(profile)
    return profiles
