"""Demo learning circles for `make run`: an open round, 200 imported sign-ups, composed once; and a
small round whose circle has invited the demo member, so an invitation can be opened at once."""

from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from circles.demo_health import HEALTH_ROUND_SLUG, seed_running_round
from circles.domain import SLOTS_PER_DAY
from circles.models import Circle, CircleMember, Round, SignUp
from circles.services.composition import start_composition
from circles.services.import_apply import apply_import
from circles.services.imports import start_import
from circles.services.invitation_links import invitation_url
from circles.services.invitations import send_circle_invitations
from circles.services.scheduling import offer_candidate_times, record_votes
from community.models import Member, User

DEMO_ROUND_SLUG = "demo-spring-circles"
DEMO_RUNNING_SLUG = "demo-winter-circles"
INVITED_ROUND_SLUG = "demo-invited-circles"
TUESDAY_EVENING = list(range(SLOTS_PER_DAY + 36, SLOTS_PER_DAY + 40))  # Tue 18:00-20:00 UTC
WEDNESDAY_NOON = list(range(2 * SLOTS_PER_DAY + 24, 2 * SLOTS_PER_DAY + 28))  # 12:00-14:00 UTC
# Realistic, messy sign-ups in the import format (the same rows the tests clean).
SIGNUPS_FILE = Path(__file__).with_name("demo_signups.jsonl")


def seed_circles_demo(
    *, organizer_email: str, member_email: str, time_limit: float = 8.0
) -> Round | None:
    """Open the demo round, import its sign-ups and compose it; None if it exists already."""
    if Round.objects.filter(slug=DEMO_ROUND_SLUG).exists():
        return None
    organizer = User.objects.get(email=organizer_email)
    now = timezone.now()
    with transaction.atomic():
        round = Round.objects.create(
            name="Spring learning circles",
            slug=DEMO_ROUND_SLUG,
            description="Six months of fortnightly conversations with eight peers.",
            status=Round.Status.OPEN,
            signup_opens_at=now - timedelta(days=7),
            signup_closes_at=now + timedelta(days=21),
            first_meeting=(now + timedelta(days=42)).date(),
            created_by=organizer,
        )
        batch = start_import(
            round,
            file_name="spring-sign-ups.jsonl",
            content=SIGNUPS_FILE.read_bytes(),
            uploaded_by=organizer,
        )
        apply_import(batch, applied_by=organizer)
        if not Round.objects.filter(slug=HEALTH_ROUND_SLUG).exists():
            seed_running_round(organizer=organizer)
        # Runs once this transaction commits: in-process without a broker, else on a worker.
        start_composition(round, requested_by=organizer, time_limit=time_limit)
        seed_voting_circle(member_email=member_email)
    return round


def seed_voting_circle(*, member_email: str) -> Circle:
    """A running round with one circle, the demo member in it, voting on its meeting time."""
    now = timezone.now()
    round = Round.objects.create(
        name="Winter learning circles",
        slug=DEMO_RUNNING_SLUG,
        status=Round.Status.RUNNING,
        signup_opens_at=now - timedelta(days=40),
        signup_closes_at=now - timedelta(days=20),
        first_meeting=(now + timedelta(days=10)).date(),
    )
    circle = Circle.objects.create(
        round=round, number=1, format=Circle.Format.VIDEO, window=TUESDAY_EVENING, status="active"
    )
    users = [User.objects.get(email=member_email)] + list(
        User.objects.filter(member__isnull=False, is_staff=False)
        .exclude(email=member_email)
        .order_by("email")[:6]
    )
    for user in users:
        signup = SignUp.objects.create(
            round=round, user=user, email=user.email, name=user.member.full_name,
            company=user.member.company, timezone=user.timezone or "Europe/London",
            format=SignUp.Format.VIDEO, slots=TUESDAY_EVENING,
        )  # fmt: skip
        CircleMember.objects.create(
            circle=circle, signup=signup, status=CircleMember.Status.ACCEPTED, consented_at=now
        )
    members = list(circle.members.all())
    circle.facilitator = members[1]
    circle.save(update_fields=["facilitator"])
    candidates = offer_candidate_times(circle)
    for index, member in enumerate(members[1:4]):  # a few have voted; the demo member has not
        record_votes(circle, member=member, can_attend={candidates[index % 2].pk})
    return circle


def seed_invitation_demo(*, member_email: str, organizer_email: str) -> str | None:
    """A reviewed round whose one circle (the demo member and five others) has been invited;
    returns the demo member's invitation link, or None if the round exists already."""
    if Round.objects.filter(slug=INVITED_ROUND_SLUG).exists():
        return None
    now = timezone.now()
    with transaction.atomic():
        round = Round.objects.create(
            name="New-year learning circles (invitations out)",
            slug=INVITED_ROUND_SLUG,
            status=Round.Status.REVIEWED,
            signup_opens_at=now - timedelta(days=30),
            signup_closes_at=now - timedelta(days=9),
            first_meeting=(now + timedelta(days=14)).date(),
            created_by=User.objects.get(email=organizer_email),
        )
        circle = Circle.objects.create(
            round=round, number=1, format=Circle.Format.VIDEO, window=WEDNESDAY_NOON
        )
        me = Member.objects.get(user__email=member_email)
        others = Member.objects.active().exclude(pk=me.pk).select_related("user")[:5]
        for member in [me, *others]:
            signup = SignUp.objects.create(
                round=round,
                user=member.user,
                email=member.user.email,
                name=member.full_name,
                company=member.company,
                pronouns=member.pronouns,
                format=SignUp.Format.VIDEO,
                timezone=member.user.timezone or "Europe/London",
                slots=WEDNESDAY_NOON,
            )
            CircleMember.objects.create(circle=circle, signup=signup)
        send_circle_invitations(circle)
        return invitation_url(circle.members.get(signup__user=me.user))
