"""Time the REST API at scale: a 200-person page of a region's people, and a 1,000-row
outcomes upsert.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onramp_bench
    .venv/bin/python manage.py seed_scale --reps 10000
    .venv/bin/python bench/api.py [--runs 15]

Run against a database seeded by `seed_scale` (a scratch database: it adds one
enablement admin, api-bench@example.com, a service token and sales outcomes). Requests
go through Django's test client with the bearer token, so the time is the server's
for the whole request (middleware, token check, queries, JSON). The page is
`GET /api/v1/people/?team=<region>&page_size=200` (a region holds 200 reps); the
query count is also taken at page size 20 to show it does not grow with the page.
The upsert is `POST /api/v1/outcomes/` with 1,000 rows (500 people, 2 months),
checked and written all or nothing. Ends with one line:
`people_page_ms_median=<float> outcomes_upsert_rows_per_second=<int>
queries_per_page=<int>` (on one line).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="onramp-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
# The benchmark makes more requests than the default per-token limit allows.
os.environ.setdefault("API_RATE_LIMIT_PER_MINUTE", "1000000")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dashboards.scale import region_manager_email  # noqa: E402
from integrations.scopes import SCOPES  # noqa: E402
from integrations.tokens import api_token_create  # noqa: E402
from lms.accounts import visibility  # noqa: E402
from lms.accounts.models import User  # noqa: E402
from lms.accounts.roles import ENABLEMENT_ADMINS_GROUP  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    manager = User.objects.filter(email=region_manager_email(1)).first()
    if manager is None:
        sys.exit("No scale data here: run `manage.py seed_scale --reps 10000` first.")
    region = visibility.managed_teams(manager).order_by("depth").first()
    assert region is not None
    admin, _ = User.objects.get_or_create(
        email="api-bench@example.com", defaults={"full_name": "API Bench"}
    )
    admin.groups.add(Group.objects.get_or_create(name=ENABLEMENT_ADMINS_GROUP)[0])
    admin.__dict__.pop("roles", None)
    secret = api_token_create(
        user=admin, name="bench", scopes=list(SCOPES), service=True
    ).secret
    client = Client(headers={"Authorization": f"Bearer {secret}"})

    url = f"/api/v1/people/?team={region.pk}&page_size=200"
    first = client.get(url)
    assert first.status_code == 200, first.content[:300]
    body = first.json()
    print(f"region {region.name}: first page {len(body['results'])} people")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/api/v1/people/?team={region.pk}&page_size=20")
    small_queries = len(captured)
    print(f"queries per page: {queries} at 200 people, {small_queries} at 20")

    page_ms = []
    for _ in range(args.runs):
        began = time.perf_counter()
        response = client.get(url)
        page_ms.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
        reset_queries()

    people = list(
        User.objects.filter(team__isnull=False)
        .order_by("pk")
        .values_list("email", flat=True)[:500]
    )
    rows = [
        {
            "email": email,
            "month": month,
            "opportunities": 10 + n % 7,
            "deals_won": n % 5,
            "revenue": f"{1000 + n * 3}.50",
            "quota": "20000",
        }
        for month in ("2030-01", "2030-02")
        for n, email in enumerate(people)
    ]
    payload = json.dumps({"rows": rows})
    rates = []
    for _ in range(max(3, args.runs // 3)):
        began = time.perf_counter()
        response = client.post(
            "/api/v1/outcomes/", payload, content_type="application/json"
        )
        elapsed = time.perf_counter() - began
        assert response.status_code == 200, response.content[:300]
        rates.append(len(rows) / elapsed)

    page_median = statistics.median(page_ms)
    rate = statistics.median(rates)
    print(
        f"people page median {page_median:.1f} ms over {args.runs} runs; "
        f"outcomes upsert {rate:.0f} rows/s over {len(rates)} runs of {len(rows)} rows"
    )
    print(
        f"people_page_ms_median={page_median:.1f} "
        f"outcomes_upsert_rows_per_second={rate:.0f} queries_per_page={queries}"
    )


if __name__ == "__main__":
    main()
