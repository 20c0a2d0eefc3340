"""How fast coaching is, and whether fifty people asking for one slot at once get one booking.

    .venv/bin/python bench/bookings.py --coaches 500

Creates a fresh PostgreSQL database, seeds N coaches with realistic weekly windows, buffers,
limits and bookings, then prints: the time to compute one coach's open slots over 8 weeks (p50,
p95; the pure computation, and with the database reads of a page); the p50/p95 of the coach list
and a coach's slots page served by gunicorn, against a bare view through the same middleware; and
the outcome of 50 concurrent booking requests for one slot. Its last line is one JSON object:
{"coaches": N, "slots_ms": {...}, "pages": {...}, "contention": {...}}.

Targets: slots for one coach over 8 weeks under 20 ms; pages' p95 at most 2 times the bare view's
with 500 coaches; exactly 1 booking from 50 concurrent requests, with 0 server errors.
"""

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pages import (  # noqa: E402
    drop_database,
    free_port,
    load,
    percentile,
    recreate_database,
    session_cookie,
    setup_django,
    start_gunicorn,
    stop,
    wait_until_up,
)

TARGET_SLOTS_MS = 20.0
TARGET_RATIO = 2.0
CONTENDERS = 50
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # a CSRF secret (32 characters) set as cookie and field


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coaches", type=int, default=500)
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per page first")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/roundtable_bench_bookings",
        help="PostgreSQL database to (re)create for the run; it is dropped afterwards",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database after the run")
    return parser.parse_args(argv)


# Seeding ------------------------------------------------------------------------------------------


def seed(coaches: int) -> dict:
    """N coaches with windows and about a third of their first open slots booked; members to book."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from community.demo import seed_members
    from community.models import User
    from mentoring.demo import ensure_coach_profile, ensure_topics
    from mentoring.services.availability import open_slots_for
    from mentoring.services.bookings import book_session

    call_command("migrate", verbosity=0)
    seed_members(coaches, domain="coaches.bench.local", seed=1)
    seed_members(coaches * 3 + CONTENDERS + 1, domain="members.bench.local", seed=2)
    rng, topics = random.Random(3), ensure_topics()
    group = Group.objects.get(name=User.COACHES)
    profiles = []
    for user in User.objects.filter(email__endswith="@coaches.bench.local").order_by("pk"):
        user.groups.add(group)
        profiles.append(ensure_coach_profile(user, rng, topics))
    members = list(User.objects.filter(email__endswith="@members.bench.local").order_by("pk"))
    bookers = iter(members[CONTENDERS + 1 :])
    for profile in profiles:
        minutes = min(profile.session_lengths)
        for start in open_slots_for(profile, minutes=minutes, weeks=8)[:9:3]:
            try:
                book_session(
                    profile, member=next(bookers), starts_at=start, minutes=minutes, agenda="Seeded"
                )
            except Exception:  # a limit or a buffer closed it: the seed is realistic either way
                pass
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"profiles": profiles, "visitor": members[0], "contenders": members[1 : CONTENDERS + 1]}


# Measuring ----------------------------------------------------------------------------------------


def time_slots(profiles: list) -> dict:
    """Per coach: the pure computation over 8 weeks, and the same with its database reads."""
    from django.utils import timezone

    from mentoring import slots
    from mentoring.services.availability import open_slots_for, taken_for

    pure, with_reads = [], []
    now = timezone.now()
    for profile in profiles:
        rules, taken = profile.rules(), taken_for(profile, since=now)
        length = timedelta(minutes=min(profile.session_lengths))
        started = time.perf_counter()
        slots.open_slots(
            rules, length=length, since=now, until=now + timedelta(weeks=8), now=now, **taken
        )
        pure.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        open_slots_for(profile, minutes=min(profile.session_lengths), weeks=8)
        with_reads.append((time.perf_counter() - started) * 1000)
    return {
        "p50": round(statistics.median(pure), 3),
        "p95": round(percentile(pure, 95), 3),
        "with_reads": {
            "p50": round(statistics.median(with_reads), 2),
            "p95": round(percentile(with_reads, 95), 2),
        },
    }


def measure_pages(base_url: str, session: str, profiles: list, args) -> dict:
    sample = random.Random(5).sample(profiles, min(50, len(profiles)))
    pages = {
        "bare": ["/health/"],
        "coaches": ["/coaching/"],
        "slots": [f"/coaching/coaches/{profile.pk}/" for profile in sample],
    }
    for paths in pages.values():
        asyncio.run(load(base_url, session, paths, args.warmup, args.concurrency))
    timings = {name: [] for name in pages}
    for _ in range(5):  # rounds, so a burst of load elsewhere is shared between the pages
        for name, paths in pages.items():
            timings[name] += asyncio.run(
                load(base_url, session, paths, args.requests // 5, args.concurrency)
            )
    bare = percentile(timings["bare"], 95)
    return {
        name: {
            "p50_ms": round(percentile(values, 50), 2),
            "p95_ms": round(percentile(values, 95), 2),
            "ratio_p95": round(percentile(values, 95) / bare, 2),
        }
        for name, values in timings.items()
    }


async def contend(base_url: str, sessions: list[str], path: str, form: dict) -> list[int]:
    """Every contender POSTs the same booking at once; their status codes."""
    import httpx

    async def one(session: str) -> int:
        cookies = {"sessionid": session, "csrftoken": CSRF}
        async with httpx.AsyncClient(base_url=base_url, cookies=cookies, timeout=60) as client:
            response = await client.post(path, data={**form, "csrfmiddlewaretoken": CSRF})
            return response.status_code

    return await asyncio.gather(*(one(session) for session in sessions))


def measure_contention(base_url: str, profiles: list, contenders: list) -> dict:
    from mentoring.models import Booking
    from mentoring.services.availability import open_slots_for

    profile = next(p for p in profiles if open_slots_for(p, minutes=min(p.session_lengths)))
    minutes = min(profile.session_lengths)
    start = open_slots_for(profile, minutes=minutes)[0]
    before = Booking.objects.filter(coach=profile).count()
    form = {"starts_at": start.isoformat(), "minutes": minutes, "agenda": "Contended"}
    if profile.intake_question:
        form["intake_answer"] = "Clarity"
    sessions = [session_cookie(user) for user in contenders]
    codes = asyncio.run(contend(base_url, sessions, f"/coaching/coaches/{profile.pk}/book/", form))
    return {
        "requests": len(codes),
        "bookings": Booking.objects.filter(coach=profile).count() - before,
        "booked_responses": codes.count(302),
        "refused": codes.count(409),
        "server_errors": sum(code >= 500 for code in codes),
        "other": sorted({code for code in codes if code not in {302, 409} and code < 500}),
    }


def report(coaches: int, slots_ms: dict, pages: dict, contention: dict) -> dict:
    print(f"\n{coaches} coaches")
    print(
        f"open slots, 8 weeks: p50 {slots_ms['p50']:.2f} ms, p95 {slots_ms['p95']:.2f} ms "
        f"(with the database reads: p50 {slots_ms['with_reads']['p50']:.1f}, p95 {slots_ms['with_reads']['p95']:.1f})"
    )
    print(f"{'page':<10}{'p50 ms':>9}{'p95 ms':>9}{'p95/bare':>10}")
    for name, values in pages.items():
        print(
            f"{name:<10}{values['p50_ms']:>9.1f}{values['p95_ms']:>9.1f}{values['ratio_p95']:>10.2f}"
        )
    print(f"contention: {contention}")
    checks = {
        f"slots p95 under {TARGET_SLOTS_MS} ms": slots_ms["p95"] < TARGET_SLOTS_MS,
        **{
            f"{name} p95 at most {TARGET_RATIO}x bare": pages[name]["ratio_p95"] <= TARGET_RATIO
            for name in ("coaches", "slots")
        },
        "exactly one booking": contention["bookings"] == 1,
        "no server error": contention["server_errors"] == 0,
    }
    for name, ok in checks.items():
        print(f"  {name}: {'met' if ok else 'NOT MET'}")
    return {"coaches": coaches, "slots_ms": slots_ms, "pages": pages, "contention": contention}


def main(argv=None) -> None:
    args = parse_args(argv)
    if not args.database_url.startswith("postgres"):
        raise SystemExit("--database-url must point to PostgreSQL")
    setup_django(args.database_url)
    recreate_database(args.database_url)
    try:
        started = time.monotonic()
        world = seed(args.coaches)
        print(
            f"Seeded {args.coaches} coaches in {time.monotonic() - started:.0f}s", file=sys.stderr
        )
        slots_ms = time_slots(world["profiles"])
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = start_gunicorn(args.database_url, port, args.workers)
        try:
            wait_until_up(base_url, server)
            pages = measure_pages(
                base_url, session_cookie(world["visitor"]), world["profiles"], args
            )
            contention = measure_contention(base_url, world["profiles"], world["contenders"])
        finally:
            stop(server)
        result = report(args.coaches, slots_ms, pages, contention)
    finally:
        if not args.keep:
            drop_database(args.database_url)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
