"""Time the weekly manager digest for 5,000 managers through a real Celery worker.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onramp_bench
    export CELERY_BROKER_URL=redis://127.0.0.1:6379/1
    .venv/bin/python manage.py seed_scale --reps 100000
    .venv/bin/python bench/digest.py [--managers 5000]

Run against a database seeded by `seed_scale` (a scratch database: it adds managers
and clears this week's digests). Besides the region managers `seed_scale` made, each
team gets a manager of its own until there are `--managers`; every one of them is due
this week's digest. The benchmark then starts `celery worker` (two processes, the
`default` queue), enqueues the hourly digest job once, as beat does, and waits until
the worker has run every batch job it handed out. The e-mails are rendered and handed
to Django's dummy backend (no SMTP server here). The line before the last gives the
worker's CPU time (its processes, user and system, once it has stopped): on a shared
machine a steadier figure than the seconds. Ends with one line:
`digest_managers=<int> digest_seconds=<float> digests_per_second=<float>`.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="onramp-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from dashboards.digests import DIGEST_BATCH, KIND  # noqa: E402
from dashboards.scale import region_manager_email  # noqa: E402
from dashboards.tasks import manager_digests_send_task  # noqa: E402
from lms.accounts.models import Team, User  # noqa: E402
from lms.notifications.models import NotificationLog  # noqa: E402

HANDED_OUT = re.compile(
    r"manager_digests_send_task\[[^\]]+\] succeeded in [0-9.]+s: (\d+)"
)
BATCH_DONE = re.compile(r"manager_digests_batch_task\[[^\]]+\] succeeded in")


def add_team_managers(total: int) -> int:
    """Give teams without a manager one each until `total` people manage a team."""
    managing = Team.managers.through.objects.values("user_id").distinct().count()
    wanted = total - managing
    if wanted <= 0:
        return managing
    teams = list(
        Team.objects.filter(managers__isnull=True, depth=2)
        .order_by("path")
        .values_list("pk", flat=True)[:wanted]
    )
    made = User.objects.bulk_create(
        [
            User(
                email=f"scale-team-manager-{team_id}@example.com",
                full_name=f"Scale Team Manager {team_id}",
                password="!unusable-scale-password",
                time_zone="UTC",
            )
            for team_id in teams
        ]
    )
    Team.managers.through.objects.bulk_create(
        [
            Team.managers.through(team_id=team_id, user_id=user.pk)
            for team_id, user in zip(teams, made, strict=True)
        ]
    )
    return managing + len(made)


def finished(log: str) -> bool:
    """The hourly job has handed the managers out and every batch job is done."""
    handed_out = HANDED_OUT.search(log)
    if handed_out is None:
        return False
    batches = -(-int(handed_out.group(1)) // DIGEST_BATCH)
    return len(BATCH_DONE.findall(log)) >= batches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--managers", type=int, default=5000)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: set DATABASE_URL (see the docstring).")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        sys.exit("Run this with Redis as the broker: set CELERY_BROKER_URL.")
    if not User.objects.filter(email=region_manager_email(1)).exists():
        sys.exit("No scale data here: run `manage.py seed_scale --reps 100000` first.")

    managers = add_team_managers(args.managers)
    NotificationLog.objects.filter(kind=KIND).delete()
    print(f"{managers} managers, each due this week's digest")

    with tempfile.TemporaryDirectory(prefix="onramp-bench-digest-") as folder:
        log_path = Path(folder) / "worker.log"
        env = {
            **os.environ,
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
        with log_path.open("w") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "lms", "worker",
                 "--queues", "default", "--concurrency", "2", "--loglevel", "INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "--hostname", f"bench-digest-{os.getpid()}@%h"],
                cwd=ROOT, env=env, stdout=log, stderr=log,
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while " ready." not in log_path.read_text():
                if worker.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"The worker did not start:\n{log_path.read_text()}")
                time.sleep(0.2)
            began = time.monotonic()
            manager_digests_send_task.delay()
            deadline = began + args.timeout
            while not finished(log_path.read_text()):
                if worker.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"The digest jobs did not finish:\n{log_path.read_text()}")
                time.sleep(0.5)
            seconds = time.monotonic() - began
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = used.ru_utime + used.ru_stime

    sent = NotificationLog.objects.filter(kind=KIND).count()
    print(f"{sent} digests sent in {seconds:.1f} s from enqueueing the hourly job")
    print(
        f"worker CPU {worker_cpu:.1f} s (start-up included), "
        f"{1000 * worker_cpu / max(sent, 1):.1f} ms per digest"
    )
    print(
        f"digest_managers={sent} digest_seconds={seconds:.1f} "
        f"digests_per_second={sent / seconds:.1f}"
    )


if __name__ == "__main__":
    main()
