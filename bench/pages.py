"""How fast the busiest pages are, compared with a bare view through the same stack.

    .venv/bin/python bench/pages.py --members 1000 10000

For each number of members: creates a fresh PostgreSQL database, seeds N members and their
applications plus a queue of waiting applications, serves the site with gunicorn and loads the
member directory, a member profile, the vetting queue and /health/ (a bare "ok" through the same
middleware, signed in as the same member) with concurrent clients. Prints p50 and p95 per page and
the ratio of each page's p95 to the bare view's, then whether the targets are met, and, as its last
line, one JSON object: {"runs": [{"members": 1000, "pages": {...}}, {"members": 10000, ...}]}.

Targets, at the largest number of members (10,000): member pages' p95 at most 2.5 times the bare
view's, organizer pages' (the vetting queue) at most 4 times; and each page's p95 at most 1.25 times
its p95 at the smallest number of members (the cost does not grow with the data).
"""

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ORGANIZER_EMAIL = "organizer@bench.roundtable.local"
# The most each page's p95 may be, as a multiple of the bare view's.
TARGET_RATIO = {"bare": 1.0, "directory": 2.5, "profile": 2.5, "vetting_queue": 4.0}
# The most a page's p95 may grow from the smallest to the largest number of members.
TARGET_GROWTH = 1.25
ROUNDS = 5
# WhiteNoise warns that STATIC_ROOT was never collected; the benchmark loads no static files.
STATIC_WARNING = "ignore:No directory at:UserWarning"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--members", type=int, nargs="+", default=[1_000, 10_000], help="one run for each"
    )
    parser.add_argument(
        "--waiting", type=int, default=None, help="applications in the queue (default members/50)"
    )
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per page first")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/roundtable_bench",
        help="PostgreSQL database to (re)create for the run; it is dropped afterwards",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database after the run")
    return parser.parse_args(argv)


# The database -------------------------------------------------------------------------------------


def _admin_connection(database_url: str):
    import psycopg

    url = urlparse(database_url)
    return psycopg.connect(urlunparse(url._replace(path="/postgres")), autocommit=True)


def recreate_database(database_url: str) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    connections.close_all()  # a previous run's connection goes with its database
    ContentType.objects.clear_cache()
    name = urlparse(database_url).path.lstrip("/")
    with _admin_connection(database_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url: str) -> None:
    from django.db import connections

    connections.close_all()
    name = urlparse(database_url).path.lstrip("/")
    with _admin_connection(database_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(database_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()


def seed(members: int, waiting: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from community.demo import seed_members, seed_waiting_applications

    call_command("migrate", verbosity=0)
    seed_members(members)
    seed_waiting_applications(waiting)
    with connection.cursor() as cursor:
        # Statistics and visibility map as autovacuum keeps them on a live database.
        cursor.execute("VACUUM ANALYZE")


def session_cookie(user) -> str:
    """A signed-in session for `user`, as the login view would leave it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def prepare_visitors() -> dict:
    """The member and the organizer whose sessions the clients use, and the pages they load."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from community.demo import ensure_user
    from community.models import Member, User

    organizer = ensure_user(
        ORGANIZER_EMAIL, full_name="Bench Organizer", groups=(User.ORGANIZERS,), staff=True
    )
    if not organizer.authenticator_set.filter(type="totp").exists():
        TOTP.activate(organizer, generate_totp_secret())  # or the two-factor middleware redirects
    member = Member.objects.listed().order_by("pk").select_related("user").first()
    listed = list(Member.objects.listed().values_list("pk", flat=True))
    profiles = random.Random(7).sample(listed, min(50, len(listed)))
    member_session, organizer_session = session_cookie(member.user), session_cookie(organizer)
    return {
        "bare": (member_session, ["/health/"]),
        "directory": (member_session, ["/members/"]),
        "profile": (member_session, [f"/members/{pk}/" for pk in profiles]),
        "vetting_queue": (organizer_session, ["/admin/community/application/"]),
    }


def count_queries(pages: dict) -> dict[str, int]:
    """Database queries per page, measured in-process (the figure must not grow with the data)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, (session_key, paths) in pages.items():
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        with CaptureQueriesContext(connection) as queries:
            response = client.get(paths[0])
        assert response.status_code == 200, f"{paths[0]} answered {response.status_code}"
        counts[name] = len(queries)
    return counts


# The server ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database_url: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "60",  # persistent connections, as in production
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": STATIC_WARNING,
    }
    command = [
        *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
        *("--log-level", "warning", "--chdir", str(ROOT)),
    ]
    return subprocess.Popen(command, env=env, cwd=ROOT)


def wait_until_up(base_url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before it served a request")
        try:
            if httpx.get(f"{base_url}/health/", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {base_url} within {timeout:.0f}s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# The load -----------------------------------------------------------------------------------------


async def load(base_url: str, session_key: str, paths: list[str], count: int, concurrency: int):
    """GET `count` requests spread over `paths` with `concurrency` clients; the latencies in ms."""
    import httpx
    from django.conf import settings

    order = [paths[i % len(paths)] for i in range(count)]
    random.Random(count).shuffle(order)
    timings: list[float] = []
    cookies = {settings.SESSION_COOKIE_NAME: session_key}

    async def client_loop(client: httpx.AsyncClient) -> None:
        while order:
            path = order.pop()
            started = time.perf_counter()
            response = await client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}, not 200")

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base_url, cookies=cookies, timeout=30, limits=limits
    ) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
    return timings


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def measure(base_url: str, pages: dict, args: argparse.Namespace) -> dict:
    """Load each page in turn, in several rounds, so a passing burst of load elsewhere on the
    machine is shared between the pages instead of landing on one of them."""
    for session_key, paths in pages.values():
        asyncio.run(load(base_url, session_key, paths, args.warmup, args.concurrency))
    timings: dict[str, list[float]] = {name: [] for name in pages}
    rounds = max(1, min(ROUNDS, args.requests // 20))
    for round_number in range(rounds):
        count = args.requests // rounds + (round_number < args.requests % rounds)
        for name, (session_key, paths) in pages.items():
            timings[name] += asyncio.run(
                load(base_url, session_key, paths, count, args.concurrency)
            )
    figures = {
        name: {"p50_ms": percentile(values, 50), "p95_ms": percentile(values, 95)}
        for name, values in timings.items()
    }
    bare_p95 = figures["bare"]["p95_ms"]
    for values in figures.values():
        values["ratio_p95"] = values["p95_ms"] / bare_p95
    return {
        name: {key: round(value, 2) for key, value in values.items()}
        for name, values in figures.items()
    }


def report(members: int, waiting: int, figures: dict, queries: dict, args) -> dict:
    print(
        f"\n{members} members, {waiting} waiting applications, {args.requests} requests per page, "
        f"{args.concurrency} clients, {args.workers} gunicorn workers\n"
    )
    print(f"{'page':<15}{'p50 ms':>9}{'p95 ms':>9}{'p95/bare':>10}{'queries':>9}")
    for name, values in figures.items():
        values["queries"] = queries[name]
        print(
            f"{name:<15}{values['p50_ms']:>9.1f}{values['p95_ms']:>9.1f}"
            f"{values['ratio_p95']:>10.2f}{values['queries']:>9}"
        )
    return {"members": members, "waiting": waiting, "pages": figures}


def check_targets(runs: list[dict]) -> bool:
    """Print each target and whether it is met; True when all are."""
    first, last = runs[0], runs[-1]
    print(f"\nTargets at {last['members']} members:")
    met = []
    for name, values in last["pages"].items():
        if name == "bare":
            continue
        ok = values["ratio_p95"] <= TARGET_RATIO[name]
        met.append(ok)
        print(
            f"  {name:<15} p95/bare {values['ratio_p95']:.2f} "
            f"(at most {TARGET_RATIO[name]}): {'met' if ok else 'NOT MET'}"
        )
    if len(runs) > 1:
        print(f"Growth of p95 from {first['members']} to {last['members']} members:")
        for name, values in last["pages"].items():
            growth = values["p95_ms"] / first["pages"][name]["p95_ms"]
            ok = growth <= TARGET_GROWTH
            met.append(ok)
            print(
                f"  {name:<15} x{growth:.2f} (at most {TARGET_GROWTH}): "
                f"{'met' if ok else 'NOT MET'}"
            )
    print("All targets met." if all(met) else "Some targets are not met.")
    return all(met)


def run(members: int, args: argparse.Namespace) -> dict:
    """Seed `members` into a fresh database, serve it and measure every page."""
    waiting = args.waiting if args.waiting is not None else max(24, members // 50)
    started = time.monotonic()
    recreate_database(args.database_url)
    try:
        seed(members, waiting)
        pages = prepare_visitors()
        queries = count_queries(pages)
        print(
            f"Seeded {members} members and {waiting} waiting applications "
            f"in {time.monotonic() - started:.0f}s",
            file=sys.stderr,
        )
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = start_gunicorn(args.database_url, port, args.workers)
        try:
            wait_until_up(base_url, server)
            figures = measure(base_url, pages, args)
        finally:
            stop(server)
        return report(members, waiting, figures, queries, args)
    finally:
        if not args.keep:
            drop_database(args.database_url)


def main(argv=None) -> None:
    args = parse_args(argv)
    if not args.database_url.startswith("postgres"):
        raise SystemExit("--database-url must point to PostgreSQL")
    setup_django(args.database_url)
    runs = [run(members, args) for members in sorted(args.members)]
    check_targets(runs)
    print(json.dumps({"runs": runs}))


if __name__ == "__main__":
    main()
