"""Time "My team" and the completion matrix at scale, next to their floor, and measure
the memory of exporting every rep as CSV and as XLSX.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onramp_bench
    .venv/bin/python manage.py seed_scale --reps 10000
    .venv/bin/python bench/dashboard.py [--runs 15]

Run against a database seeded by `seed_scale` (a scratch database: it writes sessions
and one enablement admin, scale-admin@example.com, for the export). The dashboard and
matrix are requested through Django's test client by the manager of a 200-rep region,
so their time is the server's time for the whole request (middleware, session,
queries, rendering). The floor renders the same template from a context computed
beforehand, with every database access refused. The exports are
the CSV and the XLSX of all reps (an enablement admin's view), read to their end while
a sampler thread records the process's resident memory.
Before the last lines, the CPU time of this process per request (time.process_time)
for each page and its floor, with their ratio: what to compare on a shared machine.
The line before the last is `xlsx_export_rss_growth_mb=<float>`; the last line is
`dashboard_ms_median=<float> matrix_ms_median=<float> baseline_ms_median=<float>
queries=<int> export_rss_growth_mb=<float>` (on one line; the CSV's growth).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="onramp-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from dashboards.scale import region_manager_email  # noqa: E402
from dashboards.views import pending_invitations, team_page_context  # noqa: E402
from lms.accounts.models import User  # noqa: E402
from lms.accounts.roles import ENABLEMENT_ADMINS_GROUP  # noqa: E402


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
            time.sleep(0.002)


def timed(fn, runs: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Milliseconds per call: wall time, and this process's CPU time (the server's
    share, which a machine loaded by other work disturbs far less)."""
    fn()  # warm caches and templates
    times, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        reset_queries()
    return times, cpu


def refuse_queries(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
    raise AssertionError(f"The floor must not query the database: {sql[:80]}")


def export_growth_mb(admin: User, url_name: str) -> tuple[float, int]:
    """Peak resident memory growth while the export is made and read to its end,
    and how many bytes it had."""
    client = Client()
    client.force_login(admin)
    before = rss_bytes()
    sampler = PeakSampler()
    sampler.start()
    size = 0
    response = client.get(reverse(url_name))
    for chunk in response.streaming_content:
        size += len(chunk)
    sampler.running = False
    sampler.join()
    return (sampler.peak - before) / 2**20, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    manager = User.objects.filter(email=region_manager_email(1)).first()
    if manager is None:
        sys.exit("No scale data here: run `manage.py seed_scale --reps 10000` first.")
    admin, _ = User.objects.get_or_create(
        email="scale-admin@example.com", defaults={"full_name": "Scale Admin"}
    )
    admin.groups.add(Group.objects.get_or_create(name=ENABLEMENT_ADMINS_GROUP)[0])

    people = User.objects.filter(is_active=True, team__isnull=False).count()
    # Warm up first (imports, templates, the connection): a region's exports.
    export_growth_mb(manager, "team_export_csv")
    export_growth_mb(manager, "team_export_xlsx")
    growth, size = export_growth_mb(admin, "team_export_csv")
    print(
        f"CSV export of {people} people: {size / 2**20:.1f} MB, peak RSS growth "
        f"{growth:.1f} MB"
    )
    xlsx_growth, size = export_growth_mb(admin, "team_export_xlsx")
    print(
        f"XLSX export of {people} people: {size / 2**20:.1f} MB, peak RSS growth "
        f"{xlsx_growth:.1f} MB"
    )

    client = Client()
    client.force_login(manager)
    dashboard_url, matrix_url = reverse("team_overview"), reverse("team_matrix")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(dashboard_url)
    assert page.status_code == 200, page.status_code
    queries = len(captured)
    with CaptureQueriesContext(connection) as captured:
        matrix = client.get(matrix_url)
    assert matrix.status_code == 200, matrix.status_code
    matrix_queries = len(captured)
    print(f"dashboard: {queries} queries; matrix: {matrix_queries} queries")

    dashboard_ms, dashboard_cpu = timed(lambda: client.get(dashboard_url), args.runs)
    matrix_ms, matrix_cpu = timed(lambda: client.get(matrix_url), args.runs)

    # The floor: the same template, the same request and user, a context built
    # beforehand; any database access during rendering fails the benchmark.
    request = RequestFactory().get(dashboard_url)
    request.user = manager
    request.session = client.session
    from django.contrib.messages.storage.fallback import FallbackStorage

    request._messages = FallbackStorage(request)
    context = team_page_context(request)
    context["pending_invitations"] = list(pending_invitations(manager))
    print(f"dashboard rows: {context['view'].total_people} people")
    render_to_string("dashboards/team_overview.html", context, request)
    with connection.execute_wrapper(refuse_queries):
        baseline_ms, baseline_cpu = timed(
            lambda: render_to_string("dashboards/team_overview.html", context, request),
            args.runs,
        )
    # The matrix's floor, the same way.
    request = RequestFactory().get(matrix_url)
    request.user = manager
    request.session = client.session
    request._messages = FallbackStorage(request)
    context = team_page_context(request, with_cells=True)
    with connection.execute_wrapper(refuse_queries):
        _, matrix_floor_cpu = timed(
            lambda: render_to_string("dashboards/team_matrix.html", context, request),
            args.runs,
        )

    dashboard, matrix_median, baseline = (
        statistics.median(dashboard_ms),
        statistics.median(matrix_ms),
        statistics.median(baseline_ms),
    )
    print(
        f"dashboard median {dashboard:.1f} ms, matrix median {matrix_median:.1f} ms, "
        f"floor median {baseline:.1f} ms, dashboard/floor {dashboard / baseline:.2f}x"
    )
    cpu = {
        name: statistics.median(times)
        for name, times in (
            ("dashboard", dashboard_cpu),
            ("matrix", matrix_cpu),
            ("floor", baseline_cpu),
            ("matrix_floor", matrix_floor_cpu),
        )
    }
    print(
        f"CPU per request: dashboard {cpu['dashboard']:.1f} ms, floor "
        f"{cpu['floor']:.1f} ms ({cpu['dashboard'] / cpu['floor']:.2f}x); matrix "
        f"{cpu['matrix']:.1f} ms, floor {cpu['matrix_floor']:.1f} ms "
        f"({cpu['matrix'] / cpu['matrix_floor']:.2f}x)"
    )
    print(f"xlsx_export_rss_growth_mb={xlsx_growth:.1f}")
    print(
        f"dashboard_ms_median={dashboard:.1f} matrix_ms_median={matrix_median:.1f} "
        f"baseline_ms_median={baseline:.1f} queries={queries} "
        f"export_rss_growth_mb={growth:.1f}"
    )


if __name__ == "__main__":
    main()
