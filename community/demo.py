"""Demo and benchmark data: realistic members and applications, created in bulk and idempotently."""

import random
import time
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from community.models import Application, Decision, Member, User

DEMO_PASSWORD = "roundtable-demo"
# The demo organizer's two-factor secret, so the demo can be tried without an authenticator app
# (`manage.py demo_code` prints the current code). Demo data only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DEMO_LOGINS = {
    "organizer": "organizer@demo.roundtable.local",
    "member": "member@demo.roundtable.local",
    "coach": "coach@demo.roundtable.local",
    "editor": "editor@demo.roundtable.local",
    "applicant": "applicant@demo.roundtable.local",
}

FIRST = "Ada Grace Linus Margaret Ken Barbara Dennis Frances Guido Radia Tim Sophie Yukihiro Anita Bjarne Katherine Alan Hedy Donald Shafi Fei-Fei Vint Joan Edsger Jean Leslie Carol Werner Priya Tomasz Amara Diego Mei Olu Ingrid Rafael Chidi Hana Marta Omar".split()  # noqa: E501
LAST = "Okafor Lindqvist Tanaka Moreau Fischer Novak Haddad Silva Kowalski Nakamura Rossi Mensah Jensen Alvarez Kim Byrne Dubois Costa Weber Patel Ivanova Schmidt Nguyen Laurent Hughes Ortega Sato Berg Romero Adeyemi".split()  # noqa: E501
COMPANIES = "Northwind Contoso Initech Globex Umbrella Hooli Stark Wayne Acme Soylent Tyrell Cyberdyne Wonka Vandelay Gringotts Oscorp Aperture Monzo Zalando Spotify Klarna Adyen Booking Shopify Atlassian Canva Stripe Wise Revolut".split()  # noqa: E501
CITIES = [
    ("London", "Europe/London"),
    ("Berlin", "Europe/Berlin"),
    ("Amsterdam", "Europe/Amsterdam"),
    ("Paris", "Europe/Paris"),
    ("San Francisco", "America/Los_Angeles"),
    ("New York", "America/New_York"),
    ("Toronto", "America/Toronto"),
    ("Singapore", "Asia/Singapore"),
]
CITY_TIMEZONES = dict(CITIES)  # a demo person's timezone is their city's
TITLES = {
    "cto": "CTO",
    "vp_engineering": "VP Engineering",
    "head_of_engineering": "Head of Engineering",
    "engineering_director": "Director of Engineering",
    "staff_plus": "Principal Engineer",
    "founder": "Co-founder & CTO",
}
SIZES = [choice for choice, _ in Application.CompanySize.choices]
# What people say they would like to talk through (some say nothing); by position, so the random
# draws of the other answers stay as they were.
INTERESTS = [
    "Hiring my first managers, and burnout in the team",
    "Career ladders and scaling teams",
    "",
    "Conflict between two senior engineers",
    "Cloud migrations and choosing vendors",
    "",
]


def _person(rng: random.Random, index: int) -> dict:
    role = rng.choice(list(TITLES))
    city, _ = CITIES[index % len(CITIES)]
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return {
        "full_name": f"{first} {last}",
        "job_title": TITLES[role],
        "role_kind": role,
        "company": rng.choice(COMPANIES),
        "company_size": rng.choice(SIZES),
        "team_size": rng.choice([4, 8, 12, 25, 40, 80, 150]),
        "city": city,
        "linkedin_url": f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{index}",
        "pronouns": rng.choice(["", "she/her", "he/him", "they/them", ""]),
        "interests": INTERESTS[index % len(INTERESTS)],
    }


def _application(user: User, person: dict, status: str, submitted_at) -> Application:
    application = Application(
        user=user,
        email=user.email,
        status=status,
        leadership="I lead engineering managers and senior engineers across several product teams.",
        wants_circles=True,
        wants_mentoring=True,
        wants_content=True,
        code_of_conduct_accepted_at=submitted_at,
        submitted_at=submitted_at,
        decided_at=submitted_at + timedelta(days=2) if status == "approved" else None,
        **person,
    )
    application.refresh_keys()
    return application


@transaction.atomic
def seed_members(
    count: int, *, domain: str = "members.demo.roundtable.local", seed: int = 7
) -> int:
    """Create `count` approved members (skipping any that exist) in bulk; returns how many were new."""
    rng = random.Random(seed)
    password = make_password(DEMO_PASSWORD)
    emails = [f"member{i:05d}@{domain}" for i in range(count)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    people = [(i, email, _person(rng, i)) for i, email in enumerate(emails)]
    new = [(i, email, person) for i, email, person in people if email not in existing]
    users = User.objects.bulk_create(
        [
            User(
                email=email,
                password=password,
                first_name=person["full_name"].split()[0],
                last_name=person["full_name"].split()[-1],
                timezone=CITY_TIMEZONES[person["city"]],
            )
            for _, email, person in new
        ],
        batch_size=1000,
    )
    users = list(User.objects.filter(email__in=[email for _, email, _ in new]).order_by("email"))
    by_email = {user.email: user for user in users}
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=1000,
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        [
            _application(by_email[email], person, "approved", now - timedelta(days=30 + i % 300))
            for i, email, person in new
        ],
        batch_size=1000,
    )
    Decision.objects.bulk_create(
        [step for app in applications for step in _history(app)], batch_size=2000
    )
    Member.objects.bulk_create(
        [
            Member(
                user_id=app.user_id,
                application=app,
                bio=f"{app.job_title} at {app.company}. Happy to talk about hiring and team growth.",
                listed_in_directory=rng.random() > 0.05,
                show_linkedin=rng.random() > 0.3,
                **{f: getattr(app, f) for f in Member.FROM_APPLICATION},
            )
            for app in applications
        ],
        batch_size=1000,
    )
    return len(new)


REASONS = {
    "approved": "Leads engineering managers; meets the criteria.",
    "waitlisted": "A strong fit; no place in their city's circles this quarter.",
    "rejected": "Does not lead technologists yet; welcome to apply again later.",
}


def _history(application: Application) -> list[Decision]:
    """The decisions that led to the application's status, as organizers would have recorded them."""
    steps = [
        Decision(
            application=application,
            from_status="draft",
            to_status="submitted",
            decided_by_name=application.full_name,
            created_at=application.submitted_at,
        )
    ]
    if application.status != "submitted":
        steps.append(
            Decision(
                application=application,
                from_status="submitted",
                to_status=application.status,
                reason=REASONS.get(application.status, ""),
                decided_by_name="Olivia Organizer" if application.status in REASONS else "",
                created_at=application.decided_at,
            )
        )
    return steps


@transaction.atomic
def seed_applications(
    count: int,
    *,
    statuses: tuple[str, ...] = ("submitted",),
    domain: str = "applicants.demo.roundtable.local",
    seed: int = 11,
) -> int:
    """Create `count` applications cycling through `statuses`, a few of them duplicates."""
    rng = random.Random(seed)
    password = make_password(DEMO_PASSWORD)
    created = 0
    now = timezone.now()
    for i in range(count):
        email = f"applicant{i:05d}@{domain}"
        if User.objects.filter(email=email).exists():
            continue
        person = _person(rng, i + 1000)
        user = User.objects.create(
            email=email, password=password, timezone=CITY_TIMEZONES[person["city"]]
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if i % 10 == 9:  # a second application from the same person, as happens in real life
            person["linkedin_url"] = f"https://www.linkedin.com/in/dup-{i - 1}"
        if i % 10 == 8:
            person["linkedin_url"] = f"https://www.linkedin.com/in/dup-{i}"
        status = statuses[i % len(statuses)]
        submitted = now - timedelta(days=rng.randint(0, 9), hours=rng.randint(0, 23))
        if status != "submitted":
            submitted -= timedelta(days=rng.randint(10, 80))
        application = _application(user, person, status, submitted)
        if status != "submitted":
            application.decided_at = submitted + timedelta(days=rng.randint(1, 6))
        application.save()
        Decision.objects.bulk_create(_history(application))
        created += 1
    return created


def seed_waiting_applications(count: int, **options) -> int:
    """Create `count` submitted applications waiting for review."""
    return seed_applications(count, statuses=("submitted",), **options)


def ensure_user(email: str, *, full_name: str, groups: tuple[str, ...] = (), staff=False) -> User:
    user, created = User.objects.get_or_create(email=email)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.first_name, _, user.last_name = full_name.partition(" ")
        user.timezone = "Europe/London"
        user.is_staff = staff
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def ensure_member(user: User, person: dict) -> Member:
    if hasattr(user, "member"):
        return user.member
    now = timezone.now()
    application = _application(user, person, "approved", now - timedelta(days=60))
    application.save()
    return Member.objects.create(
        user=user,
        application=application,
        bio="Demo account.",
        **{f: person[f] for f in Member.FROM_APPLICATION},
    )


@transaction.atomic
def seed_demo(members: int = 200, waiting: int = 24) -> dict:
    """The demo community for `make run`: safe to run any number of times."""
    rng = random.Random(3)
    organizer = ensure_user(
        DEMO_LOGINS["organizer"],
        full_name="Olivia Organizer",
        groups=(User.ORGANIZERS,),
        staff=True,
    )
    if not organizer.authenticator_set.exists():
        TOTP.activate(organizer, DEMO_TOTP_SECRET)
    member = ensure_user(DEMO_LOGINS["member"], full_name="Maya Member")
    ensure_member(member, {**_person(rng, 0), "full_name": "Maya Member", "company": "Northwind"})
    coach = ensure_user(DEMO_LOGINS["coach"], full_name="Colin Coach", groups=(User.COACHES,))
    ensure_member(coach, {**_person(rng, 1), "full_name": "Colin Coach"})
    editor = ensure_user(DEMO_LOGINS["editor"], full_name="Erin Editor", groups=(User.EDITORS,))
    ensure_member(editor, {**_person(rng, 2), "full_name": "Erin Editor"})
    ensure_user(DEMO_LOGINS["applicant"], full_name="Avery Applicant")
    for index in range(3):
        coach_user = ensure_user(
            f"coach{index}@demo.roundtable.local",
            full_name=f"{FIRST[index + 5]} {LAST[index + 3]}",
            groups=(User.COACHES,),
        )
        ensure_member(coach_user, _person(rng, index + 3))
    return {
        "organizer": organizer.email,
        "members": seed_members(members),
        "waiting": seed_waiting_applications(waiting)
        + seed_applications(
            waiting // 2,
            statuses=("rejected", "waitlisted", "withdrawn"),
            domain="decided.demo.roundtable.local",
            seed=13,
        ),
    }


def demo_code() -> str:
    """The demo organizer's current two-factor code."""
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
