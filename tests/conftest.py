"""Shared fixtures: the named personas, and gates for tests that need real services."""

import os
import socket
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.utils import timezone

from community.models import Application, Member, User

PASSWORD = "a-long-test-password-42"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, url: str | None, default_port: int) -> str:
    """Skip on a laptop without the service; fail in CI, where REQUIRE_SERVICES=1."""
    if url and _reachable(url, default_port):
        return url
    message = f"{name} is not available (set its URL and start it)"
    if REQUIRE_SERVICES:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def redis_url() -> str:
    return require_service("Redis", os.environ.get("REDIS_URL"), 6379)


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return require_service("PostgreSQL", url if url.startswith("postgres") else None, 5432)


def make_user(email: str, *, name: str = "", groups=(), staff=False) -> User:
    first, _, last = name.partition(" ")
    user = User.objects.create_user(
        email=email, password=PASSWORD, first_name=first, last_name=last, is_staff=staff
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    return user


def make_application(user: User, **overrides) -> Application:
    now = timezone.now()
    fields = {
        "email": user.email,
        "full_name": user.get_full_name() or "Alex Applicant",
        "job_title": "VP Engineering",
        "role_kind": Application.RoleKind.VP_ENGINEERING,
        "company": "Northwind",
        "company_size": Application.CompanySize.LARGE,
        "team_size": 40,
        "city": "London",
        "timezone": "Europe/London",
        "leadership": "I lead six teams of engineers through their managers.",
        "wants_circles": True,
        "status": Application.Status.SUBMITTED,
        "submitted_at": now,
        "code_of_conduct_accepted_at": now,
        **overrides,
    }
    application = Application(user=user, **fields)
    application.refresh_keys()
    application.save()
    return application


def make_member(user: User, **overrides) -> Member:
    application = make_application(user, status=Application.Status.APPROVED, decided_at=timezone.now())
    fields = {
        "full_name": application.full_name,
        "job_title": application.job_title,
        "role_kind": application.role_kind,
        "company": application.company,
        "city": application.city,
        "timezone": application.timezone,
        **overrides,
    }
    return Member.objects.create(user=user, application=application, **fields)


def give_totp(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture
def outsider(db) -> User:
    """Signed up and verified, but has not applied."""
    return make_user("outsider@example.com", name="Oscar Outsider")


@pytest.fixture
def applicant(db) -> User:
    user = make_user("applicant@example.com", name="Alex Applicant")
    make_application(user)
    return user


@pytest.fixture
def member(db) -> User:
    user = make_user("member@example.com", name="Maya Member")
    make_member(user)
    return user


@pytest.fixture
def coach(db) -> User:
    user = make_user("coach@example.com", name="Colin Coach", groups=[User.COACHES])
    make_member(user, company="Coaching Co")
    return user


@pytest.fixture
def organizer(db) -> User:
    user = make_user(
        "organizer@example.com", name="Olivia Organizer", groups=[User.ORGANIZERS], staff=True
    )
    give_totp(user)
    return user


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns the test client signed in as that user (None: anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
