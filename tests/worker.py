"""A real Celery worker process for job tests.

One worker per test session consumes from the configured broker (the embedded
filesystem broker by default, Redis in CI) and uses the test database, so tests that
use it need committed data (`transactional_db`). E-mails it sends are written to files
that the test can read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connection

from lms.celery import app

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
MESSAGE_END = "-" * 79 + "\n"


@dataclass
class Worker:
    log_path: Path
    mail_dir: Path
    log_offset: int = 0

    def log(self) -> str:
        """What the worker logged since the current test began."""
        with self.log_path.open(errors="replace") as log:
            log.seek(self.log_offset)
            return log.read()

    def received(self, task_name: str) -> int:
        return sum(
            1
            for line in self.log().splitlines()
            if f"{task_name}[" in line and "received" in line.lower()
        )

    def mails(self) -> list[str]:
        """The e-mails the worker has finished writing.

        Django's file backend creates a file, then writes each message followed by a
        line of 79 dashes; a file without that line is still being written.
        """
        if not self.mail_dir.exists():
            return []
        texts = (path.read_text() for path in sorted(self.mail_dir.iterdir()))
        return [text for text in texts if text.endswith(MESSAGE_END)]

    def wait_for(
        self, condition: Callable[[], T], timeout: float = 30, what: str = "it"
    ) -> T:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            time.sleep(0.1)
        raise AssertionError(f"Timed out waiting for {what}. Worker log:\n{self.log()}")


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@contextmanager
def running_worker(
    folder: Path,
    *,
    queues: str = "default,media",
    pool: str = "solo",
    env: dict[str, str] | None = None,
) -> Iterator[tuple[Worker, subprocess.Popen[bytes]]]:
    """A `celery worker` process on the test database, stopped on exit; `env`
    overrides its environment (e.g. another broker)."""
    worker = Worker(log_path=folder / "worker.log", mail_dir=folder / "mail")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # Without Redis the worker's cache is its own memory: no per-person cache.
        "PERSON_CACHE": "true" if os.environ.get("REDIS_URL") else "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(worker.mail_dir),
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "lms", "worker",
        "--queues", queues, "--pool", pool, "--concurrency", "1", "--loglevel", "INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--hostname", f"test-{os.getpid()}-{folder.name}@%h",
    ]  # fmt: skip
    with worker.log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        worker.wait_for(lambda: " ready." in worker.log(), what="the worker to start")
        yield worker, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def reset_without_post_migrate(django_db_serialized_rollback: None) -> None:
    """For tests on a transactional database: put back what the migrations made at
    the start, and empty the database at the end without re-running post-migrate
    handlers, whose fresh rows would clash with the next test's restored ones."""


@pytest.fixture
def tasks_to_broker() -> Iterator[None]:
    """Tasks go to the broker (and a real worker) instead of running in the test."""
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True


@pytest.fixture(scope="session")
def _worker_process(
    django_db_setup: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Worker]:
    app.control.purge()  # nothing left over from an earlier run reaches this worker
    with running_worker(tmp_path_factory.mktemp("worker")) as (worker, _):
        yield worker


@pytest.fixture
def celery_worker(
    transactional_db: None,
    reset_without_post_migrate: None,
    _worker_process: Worker,
    settings: Any,
    tasks_to_broker: None,
) -> Iterator[Worker]:
    """The session's worker: tasks enqueued in this test are sent to it, and the test
    sees the files it writes (the run's private storage, not the test's own)."""
    from tests import settings as test_settings

    settings.STORAGES = {
        **settings.STORAGES,
        "private": test_settings.STORAGES["private"],
    }
    worker = _worker_process
    worker.log_offset = worker.log_path.stat().st_size
    shutil.rmtree(worker.mail_dir, ignore_errors=True)
    yield worker
