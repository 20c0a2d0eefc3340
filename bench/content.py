"""How fast the library, an article page and a search are, compared with a bare view.

    .venv/bin/python bench/content.py --articles 10000

Creates a fresh PostgreSQL database, seeds N published articles (500-2,000 words, a third public,
the rest for members), 100 webinars (most of them past, in the library) and a member, serves the site with gunicorn and loads, signed in as that
member, the library, article pages, searches for theme words (each found in about a tenth of the
articles) and /health/ (a bare "ok" through the same middleware) with concurrent clients. Prints
p50 and p95 per page, the ratio of each p95 to the bare view's and whether the targets are met,
and, as its last line, one JSON object:
{"articles": N, "pages": {"library": {"p50_ms": .., "p95_ms": .., "ratio_p95": ..}, ...}}.

Targets at 10,000 articles: every page's p95 at most 2 times the bare view's; search p95 under
50 ms. The server, the load and the database helpers are bench/pages.py's.
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pages as stack  # noqa: E402  (bench/pages.py: database, gunicorn and load helpers)

TARGET_RATIO = 2.0
TARGET_SEARCH_P95_MS = 50.0
BENCH_WEBINARS = 100  # past ones share the library's pages with the articles
SEARCHES = ["burnout", "vendor contract", "promotion", "kubernetes migration", "interviews"]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles to seed")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per page first")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/roundtable_bench_content",
        help="PostgreSQL database to (re)create for the run; it is dropped afterwards",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database after the run")
    return parser.parse_args(argv)


def seed(articles: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from community.demo import seed_members
    from content.demo import seed_bench_articles
    from content.demo_webinars import seed_bench_webinars

    call_command("migrate", verbosity=0)
    seed_members(20)
    seed_bench_articles(articles)
    seed_bench_webinars(BENCH_WEBINARS)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # statistics as autovacuum keeps them on a live database


def prepare_visitors() -> dict:
    """The member whose session the clients use, and the pages they load."""
    from urllib.parse import quote

    from community.models import Member
    from content.models import Article

    member = Member.objects.listed().order_by("pk").select_related("user").first()
    session = stack.session_cookie(member.user)
    slugs = list(Article.objects.values_list("slug", flat=True))
    sample = random.Random(3).sample(slugs, min(100, len(slugs)))
    return {
        "bare": (session, ["/health/"]),
        "library": (session, ["/library/", "/library/?page=2", "/library/?topic=hiring"]),
        "article": (session, [f"/library/{slug}/" for slug in sample]),
        "search": (session, [f"/library/search/?q={quote(text)}" for text in SEARCHES]),
    }


def check_targets(figures: dict, articles: int) -> bool:
    print(f"\nTargets at {articles} articles:")
    met = []
    for name, values in figures.items():
        if name == "bare":
            continue
        ok = values["ratio_p95"] <= TARGET_RATIO
        met.append(ok)
        print(
            f"  {name:<10} p95/bare {values['ratio_p95']:.2f} (at most {TARGET_RATIO}): "
            f"{'met' if ok else 'NOT MET'}"
        )
    ok = figures["search"]["p95_ms"] < TARGET_SEARCH_P95_MS
    met.append(ok)
    print(
        f"  search     p95 {figures['search']['p95_ms']:.1f} ms (under {TARGET_SEARCH_P95_MS:.0f}): "
        f"{'met' if ok else 'NOT MET'}"
    )
    print("All targets met." if all(met) else "Some targets are not met.")
    return all(met)


def main(argv=None) -> None:
    args = parse_args(argv)
    if not args.database_url.startswith("postgres"):
        raise SystemExit("--database-url must point to PostgreSQL")
    stack.setup_django(args.database_url)
    started = time.monotonic()
    stack.recreate_database(args.database_url)
    try:
        seed(args.articles)
        pages = prepare_visitors()
        queries = stack.count_queries(pages)
        print(
            f"Seeded {args.articles} articles in {time.monotonic() - started:.0f}s", file=sys.stderr
        )
        port = stack.free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = stack.start_gunicorn(args.database_url, port, args.workers)
        try:
            stack.wait_until_up(base_url, server)
            figures = stack.measure(base_url, pages, args)
        finally:
            stack.stop(server)
    finally:
        if not args.keep:
            stack.drop_database(args.database_url)
    print(
        f"\n{args.articles} articles, {args.requests} requests per page, {args.concurrency} "
        f"clients, {args.workers} gunicorn workers\n"
    )
    print(f"{'page':<10}{'p50 ms':>9}{'p95 ms':>9}{'p95/bare':>10}{'queries':>9}")
    for name, values in figures.items():
        print(
            f"{name:<10}{values['p50_ms']:>9.1f}{values['p95_ms']:>9.1f}"
            f"{values['ratio_p95']:>10.2f}{queries[name]:>9}"
        )
    check_targets(figures, args.articles)
    pages_json = {name: values for name, values in figures.items() if name != "bare"}
    print(json.dumps({"articles": args.articles, "pages": pages_json, "bare": figures["bare"]}))


if __name__ == "__main__":
    main()
