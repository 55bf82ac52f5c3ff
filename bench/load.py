"""Load test of the whole server: gunicorn (2 workers) on PostgreSQL and Redis with the
demo data, driven from 127.0.0.1 by an asyncio client.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onramp_bench
    export REDIS_URL=redis://127.0.0.1:6379/12
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo
    .venv/bin/python bench/load.py [--requests 400] [--seconds 20]

It says so and exits with 2 without PostgreSQL and Redis. The server runs with
`bench/load_settings.py`: Onramp's settings plus a bench-only page type, a bare
Wagtail page with no sign-in and no per-person parts (the same base template and the
rich text of Maya's lesson), created in the benchmark database at /reference/ (its table
by `migrate --run-syncdb`; production never has it). The reference page the ratios
divide by is that page as bare Wagtail serves it: Wagtail's own page view, with its
site look-up, locale and one query per level of routing (`/bare-wagtail/reference/`,
bench/urls.py), the yardstick issue 20 measured against (a `wagtail start` site).
Onramp's router (`lms.pages.serve`: routes, the site and translations kept in the
cache) serves every Onramp page, and the same page at /reference/ too: its line,
"reference, Onramp's router", says what that routing saves any page. Each endpoint
gets at most `--requests` requests or `--seconds` seconds, at 8 and then 32 concurrent
clients (Maya for her pages, Daniel for My team, a service token for the API). The
lesson page is measured twice: in English and in Bengali (Maya with the language
switcher's cookie set to `bn`, so the page's words come from the Bengali catalogues
and its numbers are written in Bengali digits, lms.lib.digits).

One line per endpoint and concurrency: req/s, p50 and p95 in ms, errors (any status
but 200), queries per request (counted in this process with Django's test client) and
the server's CPU time per request (the workers' user + system time from /proc). The line
before the last: `bn_lesson_ratio=<x>`, the Bengali lesson page's req/s at 8 clients
divided by the English one's (issue 19 wants it at 0.90 or more). The last line:
`lesson_ratio=<x> learning_ratio=<x> start_ratio=<x> team_ratio=<x> errors=<n>`, each
endpoint's req/s at 8 clients divided by the reference page's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def refuse(reason: str) -> NoReturn:
    print(f"bench/load.py cannot run here: {reason}", file=sys.stderr)
    sys.exit(2)


if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    refuse("it needs PostgreSQL (DATABASE_URL=postgres://…).")
if not os.environ.get("REDIS_URL", "").startswith("redis"):
    refuse("it needs Redis (REDIS_URL=redis://…).")

ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.load_settings",
    "DEBUG": "false",
    "SECRET_KEY": "load-test-only-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,testserver,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "API_RATE_LIMIT_PER_MINUTE": "100000000",
    "CERTIFICATE_VERIFY_RATE_PER_MINUTE": "100000000",
    # Keys production requires at start; these are for the benchmark only.
    "OPEN_BADGES_SIGNING_KEY": "b25yYW1wLWxvYWQtdGVzdC1vbmx5LW9iMy1rZXktMzI",
    "INTEGRATIONS_ENCRYPTION_KEY": "b25yYW1wLWxvYWQtdGVzdC1vbmx5LWZlcm5ldC1rZXk=",
    "VAR_DIR": tempfile.mkdtemp(prefix="onramp-load-"),
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

import aiohttp  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.reference.models import ReferencePage  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from courses.models import LessonPage  # noqa: E402
from courses.selectors import my_learning  # noqa: E402
from integrations.scopes import SCOPES  # noqa: E402
from integrations.tokens import api_token_create  # noqa: E402
from lms.accounts.models import User  # noqa: E402
from lms.accounts.roles import ENABLEMENT_ADMINS_GROUP  # noqa: E402
from lms.models import HomePage  # noqa: E402
from lms.pages import in_source_language  # noqa: E402

REP, MANAGER = "maya@northwind.example", "daniel@northwind.example"
# The reference page as Wagtail's own page view serves it (bench/urls.py).
BARE_WAGTAIL_REFERENCE = "/bare-wagtail/reference/"


@dataclass
class Endpoint:
    name: str
    url: str
    headers: dict[str, str]
    queries: int = 0
    language: str = ""  # the page must be in this language (<html lang>)


@dataclass
class Result:
    rps: float
    p50: float
    p95: float
    errors: int
    cpu_ms: float


def _session_cookie(user: User) -> dict[str, str]:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return {"Cookie": f"sessionid={session.session_key}"}


def _reference_page(lesson: LessonPage) -> ReferencePage:
    """The reference page, with the lesson's rich text, at /reference/."""
    text = "".join(
        str(block.value.source)
        for block in lesson.specific.body
        if block.block_type == "paragraph"
    )
    home = in_source_language(HomePage.objects.all()).get()
    existing = ReferencePage.objects.child_of(home).first()
    if existing is not None:
        existing.delete()
    page = ReferencePage(title=lesson.title, slug="reference", body=text)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def endpoints() -> list[Endpoint]:
    rep = User.objects.filter(email=REP).first()
    manager = User.objects.filter(email=MANAGER).first()
    if rep is None or manager is None:
        refuse("no demo data: run `manage.py migrate` and `manage.py seed_demo`.")
    lesson = my_learning(user=rep).continue_lesson or LessonPage.objects.live().first()
    assert lesson is not None
    reference = _reference_page(lesson)
    admin = User.objects.filter(groups__name=ENABLEMENT_ADMINS_GROUP).first()
    if admin is None:
        refuse("the demo data has no enablement admin to hold the API token.")
    secret = api_token_create(
        user=admin, name="load test", scopes=list(SCOPES), service=True
    ).secret
    certificate = Certificate.objects.first()
    if certificate is None:
        refuse("the demo data has no certificate to verify.")
    rep_cookie, manager_cookie = _session_cookie(rep), _session_cookie(manager)
    return [
        Endpoint("reference page", BARE_WAGTAIL_REFERENCE, {}),
        Endpoint("reference, Onramp's router", reference.url, {}),
        Endpoint("lesson page", lesson.url, rep_cookie),
        Endpoint(
            "lesson page (bn)",
            lesson.url,
            {"Cookie": f"{rep_cookie['Cookie']}; {settings.LANGUAGE_COOKIE_NAME}=bn"},
            language="bn",
        ),
        Endpoint("My learning", "/learning/", rep_cookie),
        Endpoint("start page", "/", rep_cookie),
        Endpoint("My team", "/team/", manager_cookie),
        Endpoint("/verify/", f"/verify/{certificate.verification_code}/", {}),
        Endpoint(
            "GET /api/v1/people/",
            "/api/v1/people/",
            {"Authorization": f"Bearer {secret}"},
        ),
    ]


def count_queries(endpoint: Endpoint) -> int:
    client = Client(headers=endpoint.headers)
    response = client.get(endpoint.url)
    assert response.status_code == 200, endpoint.url
    if endpoint.language and f'<html lang="{endpoint.language}"' not in response.text:
        refuse(
            f"{endpoint.name} is not in {endpoint.language} (a language saved in "
            f"{REP}'s profile wins over the switcher's cookie)."
        )
    with CaptureQueriesContext(connection) as captured:
        client.get(endpoint.url)
    return len(captured)


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


async def drive(
    base: str,
    endpoint: Endpoint,
    clients: int,
    requests: int,
    seconds: float,
    workers: list[int],
) -> Result:
    latencies: list[float] = []
    errors = 0
    remaining = requests
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(base, connector=connector) as session:

        async def one_client() -> None:
            nonlocal remaining, errors
            while remaining > 0 and time.perf_counter() < deadline:
                remaining -= 1
                began = time.perf_counter()
                try:
                    async with session.get(
                        endpoint.url, headers=endpoint.headers, allow_redirects=False
                    ) as response:
                        await response.read()
                        if response.status != 200:
                            errors += 1
                except aiohttp.ClientError:
                    errors += 1
                latencies.append((time.perf_counter() - began) * 1000)

        cpu_before, began = _cpu_seconds(workers), time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed, cpu = time.perf_counter() - began, _cpu_seconds(workers) - cpu_before
    latencies.sort()
    return Result(
        rps=len(latencies) / elapsed,
        p50=statistics.median(latencies),
        p95=latencies[int(0.95 * (len(latencies) - 1))],
        errors=errors,
        cpu_ms=cpu * 1000 / len(latencies),
    )


def start_gunicorn(port: int) -> tuple[subprocess.Popen[bytes], list[int]]:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "lms.wsgi",
            "--config",
            "python:lms.gunicorn_config",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
        ],
        env={**os.environ, **ENV},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        try:
            import urllib.request

            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/accounts/login/", timeout=2
            )
            if len(workers) == 2:
                return server, [int(pid) for pid in workers]
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()

    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # into VAR_DIR
    targets = endpoints()
    for endpoint in targets:
        endpoint.queries = count_queries(endpoint)

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server, workers = start_gunicorn(port)
    results: dict[tuple[str, int], Result] = {}
    try:
        base = f"http://127.0.0.1:{port}"
        for clients in (8, 32):
            for endpoint in targets:
                # warm both workers' caches (templates, content types, site paths)
                asyncio.run(drive(base, endpoint, 4, 20, 10, workers))
                result = asyncio.run(
                    drive(base, endpoint, clients, args.requests, args.seconds, workers)
                )
                results[endpoint.name, clients] = result
                print(
                    f"{endpoint.name:22} clients={clients:2} "
                    f"req/s={result.rps:7.1f} p50_ms={result.p50:6.1f} "
                    f"p95_ms={result.p95:6.1f} errors={result.errors} "
                    f"queries={endpoint.queries} cpu_ms_per_req={result.cpu_ms:5.1f}",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    for endpoint in targets:
        p95_32, p50_8 = results[endpoint.name, 32].p95, results[endpoint.name, 8].p50
        verdict = "ok" if p95_32 <= 4 * p50_8 else "over"
        print(
            f"{endpoint.name:22} p95@32={p95_32:.1f} ms vs 4×p50@8="
            f"{4 * p50_8:.1f} ms: {verdict}"
        )
    reference = results["reference page", 8].rps

    def ratio(name: str) -> str:
        return f"{results[name, 8].rps / reference:.2f}"

    errors = sum(result.errors for result in results.values())
    bn_lesson = results["lesson page (bn)", 8].rps / results["lesson page", 8].rps
    print(f"bn_lesson_ratio={bn_lesson:.2f}")
    print(
        f"lesson_ratio={ratio('lesson page')} learning_ratio={ratio('My learning')} "
        f"start_ratio={ratio('start page')} team_ratio={ratio('My team')} "
        f"errors={errors}"
    )
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
