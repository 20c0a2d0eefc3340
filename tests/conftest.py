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
    if "timezone" in overrides:  # chosen on the application form, kept on the account
        user.timezone = overrides.pop("timezone")
        user.save(update_fields=["timezone"])
    fields = {
        "email": user.email,
        "full_name": user.get_full_name() or "Alex Applicant",
        "job_title": "VP Engineering",
        "role_kind": Application.RoleKind.VP_ENGINEERING,
        "company": "Northwind",
        "company_size": Application.CompanySize.LARGE,
        "team_size": 40,
        "city": "London",
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
    application = make_application(
        user, status=Application.Status.APPROVED, decided_at=timezone.now()
    )
    fields = {
        "full_name": application.full_name,
        "job_title": application.job_title,
        "role_kind": application.role_kind,
        "company": application.company,
        "city": application.city,
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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing a password properly takes a deliberate ~0.3 s; tests create hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate-limit counters, the directory's city list)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Celery tasks run eagerly unless a test starts a real worker (see `celery_worker`)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def wait_for(predicate, timeout: float = 45.0) -> bool:
    """Poll until `predicate()` is true (work done by another process), or give up."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


class WorkerProcess:
    def __init__(self, process, log_path):
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        return open(self.log_path).read()

    def kill(self) -> None:
        """Kill the worker abruptly, as a crash or an OOM kill would."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except Exception:
                self.kill()


def start_celery_worker(tmp_path, database_env: dict, redis_url: str) -> WorkerProcess:
    import subprocess
    import sys
    import time

    log_path = tmp_path / f"worker-{time.monotonic_ns()}.log"
    env = {
        **os.environ,
        **database_env,
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        f"--hostname=test-{time.monotonic_ns()}@localhost",
    ]
    log = open(log_path, "w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    worker = WorkerProcess(process, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready." in worker.log():
            return worker
        if process.poll() is not None:
            break
        time.sleep(0.2)
    worker.stop()
    pytest.fail(f"The Celery worker did not start:\n{worker.log()}")


@pytest.fixture
def celery_worker(postgres_url, redis_url, transactional_db, tmp_path):
    """A real Celery worker process consuming from Redis and using the test database.

    Tasks are no longer run in-process while it runs: they travel through Redis to the worker.
    """
    from django.db import connection

    from config.celery import app

    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    app.conf.task_always_eager = False
    app.conf.broker_url = redis_url
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # no stale messages from an earlier run
    worker = start_celery_worker(tmp_path, {"DATABASE_URL": database_url}, redis_url)
    yield worker
    worker.stop()


def migrate_to_latest() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def models_before(transactional_db):
    """`models_before(app, migration)` migrates the app back to just before that migration and
    returns the models as they were then; `migrate_to_latest()` runs it. The database is migrated
    to the latest state again afterwards, whatever happens."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def before(app: str, name: str):
        executor = MigrationExecutor(connection)
        migration = executor.loader.get_migration(app, name)
        target = [parent for parent in migration.dependencies if parent[0] == app]
        executor.migrate(target)
        return executor.loader.project_state(target).apps

    yield before
    migrate_to_latest()
