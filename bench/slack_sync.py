"""Benchmark: a full Slack sync of N members into K channels, against the local Slack server.

    .venv/bin/python bench/slack_sync.py --members 1000 --channels 20

The workspace starts as a real one would when the site takes over: every member has joined Slack
(through the invite link) but is not linked yet, the K default channels exist, the app is in them,
and a fraction of the members (--already, 25% by default) are in each channel already, alongside
some people who are not members (guests, staff). The sync links everyone from users.list, reads
each channel's members and adds who is missing.

Prints the calls made by method, the minimum possible for that state (the reads needed to learn
Slack's side, at Slack's recommended 200 items a page, plus the fewest writes: 100 users per
conversations.invite), the wall time, and the calls of a second run. The last line is one JSON
object. Target: calls at most 1.1 times the minimum, and no write call on the second run.
With --rate-limit-every N, every N-th call of the first run is a 429 and the sync is run again
(as its task's retries would) until it converges; "runs" says how many it took.

Uses a throwaway SQLite database unless BENCH_DATABASE_URL names an empty one to use instead.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from math import ceil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.slack_server import INVITE_LIMIT, PAGE_LIMIT, WRITE_METHODS, FakeSlack  # noqa: E402


def pages(count: int) -> int:
    return max(1, ceil(count / PAGE_LIMIT))


def build_workspace(slack: FakeSlack, emails: list[str], channels: int, already: float, rng):
    """Members and outsiders in Slack, unrelated channels, then the default channels."""
    members = [slack.add_user(email) for email in emails]
    outsiders = [slack.add_user(f"guest{i}@elsewhere.example") for i in range(len(emails) // 20)]
    for i in range(30):
        slack.add_channel(f"topic-{i:02d}", members=rng.sample(outsiders, min(5, len(outsiders))))
    names = [f"community-{i:02d}" for i in range(channels)]
    for name in names:
        present = rng.sample(members, int(len(members) * already)) + outsiders[:10]
        slack.add_channel(name, members=present)
    return names, set(members)


def minimum_calls(slack: FakeSlack, names: list[str], members: set[str]) -> Counter:
    """The fewest calls that can bring this workspace in step, worked out from Slack's state."""
    needed = Counter()
    needed["users.list"] = pages(len(slack.users))
    listed = [c["name"] for c in slack.channels.values()]
    needed["conversations.list"] = pages(max(listed.index(name) for name in names) + 1)
    for name in names:
        channel = slack.channel(name)
        needed["conversations.members"] += pages(len(channel["members"]))
        missing = len(members - channel["members"])
        needed["conversations.invite"] += ceil(missing / INVITE_LIMIT)
    return needed


def reconcile_until_done(slack_sync, limit: int = 1000) -> int:
    """Run the reconcile as its task's retries would, without waiting; returns the runs made."""
    for runs in range(1, limit + 1):
        try:
            slack_sync.reconcile(trigger="bench")
        except slack_sync.TransientSlackError:
            continue
        return runs
    raise SystemExit(f"the reconcile did not converge in {limit} runs")


def table(title: str, calls: Counter, minimum: Counter | None = None) -> str:
    lines = [title]
    for method in sorted(set(calls) | set(minimum or {})):
        extra = f"  (minimum {minimum[method]})" if minimum is not None else ""
        lines.append(f"  {method:<24}{calls[method]:>6}{extra}")
    lines.append(f"  {'total':<24}{sum(calls.values()):>6}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--already", type=float, default=0.25, help="share already in each channel")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rate-limit-every",
        type=int,
        default=0,
        metavar="N",
        help="answer 429 (Retry-After 0) to every N-th call of the first run, as a storm would",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        names = [f"community-{i:02d}" for i in range(args.channels)]
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"),
            LOG_LEVEL="WARNING",
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_API_URL=slack.base_url,
            SLACK_DEFAULT_CHANNELS=",".join(names),
            SLACK_INVITE_URL="https://join.slack.com/t/bench/shared_invite/zt-bench",
        )
        import django

        django.setup()
        from django.core.management import call_command

        from community.demo import seed_members
        from community.models import User
        from community.services import slack_sync

        call_command("migrate", verbosity=0)
        seed_members(args.members)
        emails = list(User.objects.filter(member__isnull=False).values_list("email", flat=True))
        names, members = build_workspace(slack, emails, args.channels, args.already, rng)
        minimum = minimum_calls(slack, names, members)

        if args.rate_limit_every:
            slack.rate_limit_every(args.rate_limit_every)
        started = time.perf_counter()
        runs = reconcile_until_done(slack_sync)
        seconds = time.perf_counter() - started
        slack.clear_faults()
        first = Counter(slack.calls)
        missing = sum(len(members - slack.channel(name)["members"]) for name in names)
        assert missing == 0, f"{missing} memberships still missing after the sync"

        slack.reset_calls()
        slack_sync.reconcile(trigger="bench")
        second = Counter(slack.calls)

    calls, least = sum(first.values()), sum(minimum.values())
    second_writes = sum(n for method, n in second.items() if method in WRITE_METHODS)
    print(f"Full sync of {args.members} members into {args.channels} channels")
    print(table("First run: calls by method", first, minimum))
    print(f"  {calls} calls for a minimum of {least} ({calls / least:.3f}x), {seconds:.2f} s")
    if args.rate_limit_every:
        print(f"  with a 429 on one call in {args.rate_limit_every}: {runs} runs to converge")
    print(table("Second run, nothing changed: calls by method", second))
    print(f"  write calls: {second_writes}")
    result = {
        "members": args.members,
        "channels": args.channels,
        "calls": calls,
        "minimum_calls": least,
        "second_run_calls": sum(second.values()),
        "second_run_write_calls": second_writes,
        "seconds": round(seconds, 2),
        "runs": runs,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
