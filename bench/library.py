"""Time library searches as a rep over at least 50,000 items with extracted text.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onramp_library
    .venv/bin/python bench/library.py [--items 50000] [--runs 60]

On a scratch PostgreSQL database (it is migrated, and its library is replaced): seeds
`--items` library items, each with a title, summary, tags and about 150 words of
"extracted document text" drawn from a sales vocabulary, a third of them for one team
subtree and the rest for everyone (PostgreSQL generates their full-text columns),
and builds Wagtail's search index for them (the admin's search). Then, as a rep in
the audience, runs the library's search (`library.selectors.library_search`: ranked
results, count, facets and passages, see library/search.py) for a list of one- and
two-word queries, `--runs` times in all, and prints the median and 95th percentile
of the server time. Ends with one line:
`search_ms_median=<n> search_ms_p95=<n> items=<n>`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="onramp-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from wagtail.models import Locale  # noqa: E402
from wagtail.search.backends import get_search_backend  # noqa: E402

from library.models import DealStage, LibraryItem  # noqa: E402
from library.selectors import library_search  # noqa: E402
from lms.accounts.models import Team, User  # noqa: E402
from lms.lib import clock  # noqa: E402

WORDS = (
    "pricing discount forecast stockout markdown retailer inventory store category "
    "seasonal promotion weather merchandising planner replenishment warehouse margin "
    "renewal contract security privacy integration onboarding rollout dashboard "
    "accuracy pilot procurement budget objection competitor quantigo stockwise "
    "enterprise cloud analytics report quarter revenue churn expansion champion "
    "executive sponsor timeline approval legal invoice billing support training "
    "grocery fashion apparel electronics pharmacy hardware furniture beauty toys"
).split()
PRODUCTS = ["Northwind Cloud", "Northwind Enterprise", "Northwind Mobile", ""]
COMPETITORS = ["Quantigo", "Stockwise", "Foresight", "", "", ""]
QUERIES = [
    "pricing",
    "stockout",
    "quantigo",
    "security questionnaire",
    "seasonal promotion",
    "renewal contract",
    "grocery forecast",
    "executive sponsor",
    "warehouse",
    "markdown margin",
]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def seed(count: int) -> User:
    rng = random.Random(14)
    region = Team.objects.filter(name="Bench region").first() or Team.add_root(
        name="Bench region"
    )
    team = Team.objects.filter(name="Bench team").first() or Team.objects.get(
        pk=region.pk
    ).add_child(name="Bench team")
    other = Team.objects.filter(name="Bench other").first() or Team.add_root(
        name="Bench other"
    )
    owner, _ = User.objects.get_or_create(
        email="bench-owner@example.com", defaults={"full_name": "Bench Owner"}
    )
    rep, _ = User.objects.get_or_create(
        email="bench-rep@example.com",
        defaults={"full_name": "Bench Rep", "team": team},
    )
    get_search_backend().reset_indexes()
    LibraryItem.objects.all().delete()
    today = clock.today()
    # bulk_create skips Wagtail's pre_save that puts a new item in the default locale.
    locale = Locale.get_default()
    stages = [value for value, _ in DealStage.choices]
    began = time.perf_counter()
    batch: list[LibraryItem] = []
    for number in range(count):
        kind = rng.choice(["document", "document", "card", "link"])
        batch.append(
            LibraryItem(
                locale=locale,
                kind=kind,
                card_kind="battlecard" if kind == "card" else "",
                title=f"{sentence(rng, 4)[:-1]} #{number}",
                summary=sentence(rng, 18),
                product=rng.choice(PRODUCTS),
                competitor=rng.choice(COMPETITORS),
                deal_stage=rng.choice(stages),
                persona=rng.choice(["CFO", "VP Merchandising", "IT security", ""]),
                url="https://example.com/" if kind == "link" else "",
                extracted_text=" ".join(sentence(rng, 15) for _ in range(10)),
                owner=owner,
                audience_everyone=number % 3 != 0,
                review_by=today + dt.timedelta(days=rng.randint(-40, 200)),
            )
        )
        if len(batch) == 2000:
            _write(batch, region, other)
            batch = []
    if batch:
        _write(batch, region, other)
    print(
        f"seeded {count} items and their index in {time.perf_counter() - began:.0f} s"
    )
    return rep


def _write(batch: list[LibraryItem], region: Team, other: Team) -> None:
    created = LibraryItem.objects.bulk_create(batch)
    through = LibraryItem.audience_teams.through
    through.objects.bulk_create(
        through(libraryitem_id=item.pk, team_id=(region if item.pk % 2 else other).pk)
        for item in created
        if not item.audience_everyone
    )
    get_search_backend().add_bulk(LibraryItem, created)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded items")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a scratch PostgreSQL database.")
    call_command("migrate", verbosity=0)
    if args.reuse and LibraryItem.objects.count() >= args.items:
        rep = User.objects.get(email="bench-rep@example.com")
    else:
        rep = seed(args.items)
    items = LibraryItem.objects.count()
    # What autovacuum does soon after a bulk load in production: fresh planner
    # statistics and a visibility map.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE library_libraryitem")
    for query in QUERIES:  # warm up
        library_search(viewer=rep, query=query)
    times = []
    totals = {}
    for run in range(args.runs):
        query = QUERIES[run % len(QUERIES)]
        began = time.perf_counter()
        result = library_search(viewer=rep, query=query)
        times.append((time.perf_counter() - began) * 1000)
        totals[query] = result.total
    print("matches per query:", totals)
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"search_ms_median={median:.1f} search_ms_p95={p95:.1f} items={items}")


if __name__ == "__main__":
    main()
