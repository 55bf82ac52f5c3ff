"""Test processes under pytest-xdist (`./bin/test` runs one per core) share nothing.

pytest-django gives each process its own test database (`test_<name>_gw1`). This gives
each its own folder (SQLite file, embedded broker, files) and, where Redis is used, its
own pair of Redis databases: the broker's and the cache's numbers plus twice the
process's index. A test clears the cache (`FLUSHDB`) and purges the broker, which must
not reach another process's data. Celery workers that a test process starts inherit its
environment, and with it these choices.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16  # Redis's default `databases`


def shifted_redis_url(url: str, by: int) -> str:
    """`url` with its database number (0 when absent) moved up by `by`."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + by
    if number >= REDIS_DATABASES:
        raise SystemExit(
            f"{url} moved up by {by} is database {number}, beyond Redis's "
            f"{REDIS_DATABASES}: run fewer test processes (-n) or start lower."
        )
    return urlunsplit(parts._replace(path=f"/{number}"))


def isolate_xdist_worker() -> None:
    """Give this xdist process its own folder and Redis databases; idempotent."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, …
    if not worker or os.environ.get("ONRAMP_TEST_PROCESS") == worker:
        return
    os.environ["ONRAMP_TEST_PROCESS"] = worker
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix=f"onramp-test-{worker}-")
    atexit.register(shutil.rmtree, os.environ["VAR_DIR"], True)
    index = int(worker.removeprefix("gw"))
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):
        url = os.environ.get(name, "")
        if url.startswith("redis://"):
            os.environ[name] = shifted_redis_url(url, by=2 * index)


# Modules whose tests share one demo seed (a module fixture, `seeded_at` in
# tests/demo_story.py): each is handed to one test process whole, so it is seeded once.
ONE_PROCESS_MODULES = ("tests/test_seed_demo.py", "tests/dashboards/test_demo_story.py")


def make_scheduler(config: Any, log: Any) -> Any:
    """xdist's scheduler for `./bin/test`: tests are handed out one at a time in the
    order pytest-django sorts them (transactional tests last, since they empty the
    database at their end), except that each of ONE_PROCESS_MODULES goes to one
    process whole. (xdist's own `--dist=loadgroup` does this by rewriting node ids,
    which pytest 9.2 no longer allows, pytest-dev/pytest-xdist#1386; and
    `--dist=loadscope` sends whole modules largest first, which ran transactional
    tests early and emptied the database under the tests after them.)"""
    from xdist.scheduler import LoadScopeScheduling

    class ModulesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_PROCESS_MODULES else nodeid

    config.option.loadscopereorder = False  # keep pytest-django's order
    return ModulesTogether(config, log)
