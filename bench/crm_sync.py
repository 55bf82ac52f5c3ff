"""Time a Salesforce sync against the local Salesforce fake, on PostgreSQL.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onramp_crm
    .venv/bin/python bench/crm_sync.py [--opportunities 100000]
        [--activities 500000] [--owners 10000] [--changes 1000]

On a scratch database (it is migrated; its CRM data and bench people are replaced):
makes `--owners` people and a Salesforce fake (tests/integrations/crm/
salesforce_fake.py, over HTTPS, in a process of its own so that its records do not
count in this process's memory) holding as many users, `--opportunities`
opportunities over the last year and `--activities` tasks and events. Then runs a
first sync through the real simple-salesforce client (owners, opportunities,
activities, the monthly outcomes that follow), changes `--changes` records in the
fake (updates, new ones and deletions) and runs an incremental sync. The resident
memory of this process is sampled during both. Ends with one line:
`first_sync_rows_per_second=<n> incremental_sync_seconds=<n> rss_growth_mb=<n>`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="onramp-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.setdefault("DEBUG", "true")  # development keys; DEBUG is off below

NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
KINDS = ("Call", "Email", "ListEmail")


def owner_email(n: int) -> str:
    return f"bench-rep-{n}@crm.bench.example"


def _fill(state: Any, opportunities: int, activities: int, owners: int) -> None:
    rng = random.Random(17)
    for n in range(owners):
        state.put_user(f"005B{n:08d}", owner_email(n), "Rep", str(n))
    for n in range(opportunities):
        created = NOW - dt.timedelta(days=rng.randint(30, 365))
        closed = None
        if rng.random() < 0.8:
            closed = (created + dt.timedelta(days=rng.randint(5, 90))).date()
            closed = min(closed, NOW.date())
        state.put_opportunity(
            f"006B{n:09d}",
            owner=f"005B{rng.randrange(owners):08d}",
            amount=rng.randint(500, 50_000),
            created=created,
            closed=closed,
            won=rng.random() < 0.3,
            modified=created + dt.timedelta(minutes=n % 997),
            currency=rng.choice(("USD", "USD", "USD", "EUR")),
        )
    for n in range(activities):
        at = NOW - dt.timedelta(minutes=rng.randint(60, 365 * 24 * 60))
        owner = f"005B{rng.randrange(owners):08d}"
        if n % 5 == 0:
            state.put_event(f"00UB{n:09d}", owner=owner, at=at, modified=at)
        else:
            state.put_task(
                f"00TB{n:09d}", owner=owner, subtype=KINDS[n % 3], at=at, modified=at
            )


def _change(state: Any, count: int, owners: int) -> None:
    """Updates, new records and deletions, all stamped after the first sync."""
    rng = random.Random(29)
    later = NOW + dt.timedelta(hours=1)
    opportunities = list(state.objects["Opportunity"])
    tasks = list(state.objects["Task"])
    for n in range(count):
        stamp = later + dt.timedelta(seconds=n)
        kind = n % 10
        if kind < 5:
            record = state.objects["Opportunity"][rng.choice(opportunities)]
            record["Amount"] = rng.randint(500, 50_000)
            record["SystemModstamp"] = stamp.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
        elif kind < 7:
            state.put_opportunity(
                f"006N{n:09d}",
                owner=f"005B{rng.randrange(owners):08d}",
                amount=1000,
                created=NOW - dt.timedelta(days=10),
                closed=NOW.date(),
                won=True,
                modified=stamp,
            )
        elif kind < 9:
            state.put_task(
                f"00TN{n:09d}",
                owner=f"005B{rng.randrange(owners):08d}",
                subtype="Call",
                at=NOW,
                modified=stamp,
            )
        else:
            state.delete("Task", rng.choice(tasks), stamp)


def _serve(pipe: Any, opportunities: int, activities: int, owners: int) -> None:
    from tests.integrations.crm.salesforce_fake import SalesforceFake

    fake = SalesforceFake().start()
    _fill(fake.state, opportunities, activities, owners)
    refresh_token = fake.state.grant()
    pipe.send((fake.url, fake.ca_bundle, refresh_token))
    while True:
        command = pipe.recv()
        if command == "stop":
            fake.stop()
            pipe.send("stopped")
            return
        _change(fake.state, int(command), owners)
        pipe.send("changed")


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakSampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = rss_bytes()
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_bytes())
            time.sleep(0.01)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=500_000)
    parser.add_argument("--owners", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=1_000)
    args = parser.parse_args()

    # The fake starts (forked) before Django so that it shares nothing with it.
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(
        target=_serve,
        args=(theirs, args.opportunities, args.activities, args.owners),
        daemon=True,
    )
    server.start()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from integrations.crm.sync import crm_sync
    from integrations.models import CrmConnection, CrmSyncLog
    from lms.accounts.models import User
    from lms.lib.crypto import seal

    # A debug cursor keeps every query, which would spoil the memory figure.
    settings.DEBUG = False
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        print("warning: not PostgreSQL; set DATABASE_URL", file=sys.stderr)
    call_command("migrate", verbosity=0)
    CrmConnection.objects.filter(name="Bench Salesforce").delete()
    User.objects.filter(email__endswith="@crm.bench.example").delete()
    User.objects.bulk_create(
        [
            User(email=owner_email(n), full_name=f"Bench Rep {n}")
            for n in range(args.owners)
        ],
        batch_size=2000,
    )
    url, ca_bundle, refresh_token = ours.recv()
    os.environ["REQUESTS_CA_BUNDLE"] = ca_bundle
    settings.CRM_SALESFORCE_LOGIN_URL = url
    from tests.integrations.crm.salesforce_fake import CLIENT_ID, CLIENT_SECRET

    connection = CrmConnection.objects.create(
        name="Bench Salesforce",
        kind=CrmConnection.Kind.SALESFORCE,
        credentials_sealed=seal(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "currency": "",
                "instance_url": url,
                "api_version": "62.0",
                "refresh_token": refresh_token,
            }
        ),
    )
    before = rss_bytes()
    sampler = PeakSampler()
    sampler.start()
    started, cpu = time.perf_counter(), time.process_time()
    first = crm_sync(connection=connection)
    first_seconds = time.perf_counter() - started
    first_cpu = time.process_time() - cpu
    assert first.status == CrmSyncLog.Status.SUCCEEDED, first.error
    rows = first.created + first.updated
    print(
        f"first sync: {first.created} created, {first.skipped} skipped in "
        f"{first_seconds:.1f} s ({first_cpu:.1f} s of this process's CPU)",
        file=sys.stderr,
    )
    ours.send(str(args.changes))
    ours.recv()
    started, cpu = time.perf_counter(), time.process_time()
    second = crm_sync(connection=connection)
    incremental = time.perf_counter() - started
    incremental_cpu = time.process_time() - cpu
    sampler.running = False
    sampler.join()
    assert second.status == CrmSyncLog.Status.SUCCEEDED, second.error
    print(
        f"incremental sync: {second.created} created, {second.updated} updated, "
        f"{second.deleted} deleted in {incremental:.2f} s ({incremental_cpu:.2f} s "
        "of this process's CPU)",
        file=sys.stderr,
    )
    ours.send("stop")
    ours.recv()
    growth = (sampler.peak - before) / 2**20
    print(
        f"first_sync_rows_per_second={rows / first_seconds:.0f} "
        f"incremental_sync_seconds={incremental:.2f} rss_growth_mb={growth:.1f}"
    )


if __name__ == "__main__":
    main()
