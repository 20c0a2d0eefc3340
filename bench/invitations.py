"""Benchmark: a round's invitations for N people through a real Celery worker to a real SMTP server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/roundtable REDIS_URL=redis://127.0.0.1:6379/1 \
        .venv/bin/python bench/invitations.py --people 1000

Needs PostgreSQL and Redis (the worker is a separate process). A fresh database is made next to
the one DATABASE_URL names (and dropped afterwards), and the Redis database of REDIS_URL is
emptied first. Mail goes to a local SMTP sink that counts each message it accepts.

Two runs, each a fresh round of N imported people in circles of nine: the first undisturbed; in
the second the worker is killed in the middle of a send, once half the emails are delivered, and
a new worker is started; a quarter of an hour later (simulated) the beat resends what the dead
worker held. The kill comes while the sink holds a message's data unaccepted; a kill in the one
UPDATE after the server's acceptance would double that message (the outbox is at least once). Prints the seconds from the organizer's click to the last email delivered, the
emails delivered, the duplicates and the losses; the last line is one JSON object. Target: 1,000
invitations in under 60 s, 0 duplicates and 0 lost.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.smtp_sink import Hangup, SmtpSink  # noqa: E402

STALE = timedelta(minutes=16)  # past the outbox's 15-minute claim


def fresh_database(url: str) -> str:
    """Create an empty database beside the one `url` names; returns its URL."""
    import psycopg

    parts = urlsplit(url)
    name = f"bench_invitations_{os.getpid()}"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


class Worker:
    """A real Celery worker process, as `make worker` runs it, logging to a file."""

    def __init__(self, log_dir: str, env: dict):
        self.log_path = Path(log_dir) / f"worker-{time.monotonic_ns()}.log"
        command = [
            sys.executable,
            *("-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            f"--hostname=bench-{time.monotonic_ns()}@localhost",
        ]
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
            )
        deadline = time.monotonic() + 60
        while "ready." not in self.log_path.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the worker did not start:\n{self.log_path.read_text()}")
            time.sleep(0.1)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def wait_until(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the invitations")
        time.sleep(0.05)


def counts(sink: SmtpSink, emails: set[str], seconds: float) -> dict:
    deliveries = sink.deliveries()
    return {
        "seconds": round(seconds, 2),
        "sent": sum(deliveries[email] for email in emails),
        "duplicates": sum(max(0, deliveries[email] - 1) for email in emails),
        "lost": sum(1 for email in emails if not deliveries[email]),
    }


def run(people: int, slug: str, env: dict, log_dir: str, *, kill: bool) -> dict:
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from circles.models import CircleMember
    from circles.services.invitations import send_round_invitations
    from community.models import Email
    from community.tasks import send_queued_emails
    from tests.circles.invited_people import round_of_circles

    round = round_of_circles(people, slug=slug)
    members = CircleMember.objects.filter(circle__round=round)
    emails = set(members.values_list("signup__email", flat=True))
    keys = [f"circles-invite:{pk}" for pk in members.values_list("pk", flat=True)]
    with SmtpSink() as sink:
        worker = Worker(log_dir, {**env, "EMAIL_URL": sink.url})
        killed = {}

        def kill_midway(accepted: int) -> None:
            if kill and not killed and accepted >= people // 2:
                worker.kill()
                killed["at"] = timezone.now()
                raise Hangup

        sink.before_accept = kill_midway
        started = time.perf_counter()
        with transaction.atomic():
            send_round_invitations(round, by=None)
        if kill:
            wait_until(lambda: killed, timeout=600)
            worker = Worker(log_dir, {**env, "EMAIL_URL": sink.url})
            held = Email.objects.filter(status=Email.Status.SENDING, claimed_at__lte=killed["at"])
            held.update(claimed_at=F("claimed_at") - STALE)  # what the clock does meanwhile
            send_queued_emails.delay()  # what the beat does then
        sent = Email.objects.filter(key__in=keys, status=Email.Status.SENT)
        try:
            wait_until(lambda: sent.count() == people, timeout=600)
        finally:
            seconds = time.perf_counter() - started
            worker.stop()
        return counts(sink, emails, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    args = parser.parse_args()
    base_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not base_url.startswith("postgres") or not redis_url:
        raise SystemExit("set DATABASE_URL (PostgreSQL) and REDIS_URL: the worker shares them")

    database_url = fresh_database(base_url)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "LOG_LEVEL": "WARNING",
        # A worker keeps its database connection between tasks, as in production.
        "CONN_MAX_AGE": "60",
    }
    os.environ.update(env)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from config.celery import app

        call_command("migrate", verbosity=0)
        with app.connection_for_write() as conn:
            conn.default_channel.client.flushdb()  # no messages left from an earlier run
        with tempfile.TemporaryDirectory() as log_dir:
            first = run(args.people, "bench", env, log_dir, kill=False)
            after_kill = run(args.people, "bench-kill", env, log_dir, kill=True)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(database_url)

    print(f"Invitations for {args.people} people through a real worker")
    print(f"  undisturbed: {first}")
    print(f"  killed once midway and restarted: {after_kill}")
    print(json.dumps({"people": args.people, **first, "after_kill": after_kill}))


if __name__ == "__main__":
    main()
