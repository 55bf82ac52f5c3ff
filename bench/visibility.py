"""Time the visibility selectors on a large organisation.

    .venv/bin/python bench/visibility.py [--reps 10000] [--teams 40]

Builds the organisation in a scratch SQLite database (or DATABASE_URL, if set: use a
scratch database there) and prints the median time and query count of each selector.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="onramp-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from lms.accounts import visibility  # noqa: E402
from lms.accounts.models import Team, User  # noqa: E402


def build(reps: int, teams: int) -> tuple[User, User, User]:
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        regions = [
            Team.add_root(name=f"Region {r}") for r in range(max(1, teams // 10))
        ]
        leaves = [
            Team.objects.get(pk=regions[t % len(regions)].pk).add_child(
                name=f"Team {t}"
            )
            for t in range(teams)
        ]
        User.objects.bulk_create(
            User(
                email=f"rep{n}@bench.example",
                full_name=f"Rep {n}",
                team=leaves[n % teams],
            )
            for n in range(reps)
        )
        region_manager = User.objects.create_user("region@bench.example", full_name="R")
        regions[0].managers.add(region_manager)
        coach = User.objects.create_user("coach@bench.example", full_name="C")
        leaves[0].coaches.add(coach)
        rep = User.objects.filter(team=leaves[0]).first()
    assert rep is not None
    return region_manager, coach, rep


def measure(label: str, run, repeat: int = 20) -> None:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - start)
    print(
        f"{label:<45} {statistics.median(times) * 1000:8.2f} ms  "
        f"{len(queries):2d} queries  -> {result}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=40)
    args = parser.parse_args()
    start = time.perf_counter()
    manager, coach, rep = build(args.reps, args.teams)
    elapsed = time.perf_counter() - start
    print(f"built {args.reps} reps in {args.teams} teams in {elapsed:.1f} s")
    for viewer in (manager, coach, rep):
        viewer.roles  # noqa: B018 - cached once per request in the real app
    measure(
        "visible_users(region manager).count()",
        lambda: visibility.visible_users(manager).count(),
    )
    measure(
        "visible_users(coach).count()", lambda: visibility.visible_users(coach).count()
    )
    measure(
        "can_see_user(region manager, rep)",
        lambda: visibility.can_see_user(manager, rep),
    )
    measure(
        "can_see_user(rep, other rep)", lambda: visibility.can_see_user(rep, manager)
    )
    measure(
        "managed_teams(region manager).count()",
        lambda: visibility.managed_teams(manager).count(),
    )


if __name__ == "__main__":
    main()
