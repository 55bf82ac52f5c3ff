"""Test processes under pytest-xdist (`./bin/test` runs one per core) share nothing.

pytest-django gives each process its own test database (`test_<name>_gw1`). This gives
each its own folder (SQLite file, embedded broker, files) and, where Redis is used, its
own pair of Redis databases: the broker's and the cache's numbers plus twice the
process's index. A test clears the cache (`FLUSHDB`) and purges the broker, which must
not reach another process's data. Celery workers that a test process starts inherit its
environment, and with it these choices.

On PostgreSQL the migrations run once per run, not once per process: the first process
migrates a template database (`test_<name>_migrated`) and every process's database is
created as a copy of it (`migrate_once`).
"""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
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


# The folder of the whole run (pytest's first process), shared by its test processes.
RUN_DIR_VARIABLE = "ONRAMP_TEST_RUN_DIR"


def isolate_xdist_worker() -> None:
    """Give this xdist process its own folder and Redis databases; idempotent."""
    os.environ.setdefault(RUN_DIR_VARIABLE, os.environ["VAR_DIR"])
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
ONE_PROCESS_MODULES = ("tests/test_seed_demo.py",)


def database_order(items: list[Any]) -> None:
    """Sort the tests, in place, as they must run against one database per process:
    ONE_PROCESS_MODULES first, then the tests with no database, then the other
    database tests, then the transactional ones (each empties the database at its
    end), and otherwise in the order they came.

    pytest-django sorts database tests this way, but before pytest regroups them by
    their parametrised session fixtures, which can pull transactional tests
    forward: a test whose parameter was named `page` took pytest-playwright's
    browser as a parameter, and every browser test then ran beside it, in the
    middle of the run, emptying the database under the tests after them. Applied
    last, this order holds whatever regrouping came before.

    The seeded modules take minutes in one process; started first, they run while
    the other processes share out the short tests, instead of starting late and
    leaving the run waiting for them. The tests with no database come next: the
    other processes run them while the first migrates the run's database
    (`migrate_once`), instead of waiting for it."""
    items.sort(
        key=lambda item: (
            item.nodeid.split("::", 1)[0] not in ONE_PROCESS_MODULES,
            _database_use(item),
        )
    )


# In the order they run.
NO_DATABASE, DATABASE, TRANSACTIONAL = range(3)


def _database_use(item: Any) -> int:
    """How the test uses the database, as pytest-django tells it."""
    from django.test import TestCase, TransactionTestCase
    from pytest_django.fixtures import validate_django_db

    test_class = getattr(item, "cls", None)
    if test_class and issubclass(test_class, TransactionTestCase):
        return DATABASE if issubclass(test_class, TestCase) else TRANSACTIONAL
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & {"transactional_db", "live_server", "django_db_reset_sequences"}:
        return TRANSACTIONAL
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return DATABASE if "db" in fixtures else NO_DATABASE
    transaction, reset_sequences, *_ = validate_django_db(marker)
    return TRANSACTIONAL if transaction or reset_sequences else DATABASE


def make_scheduler(config: Any, log: Any) -> Any:
    """xdist's scheduler for `./bin/test`: tests are handed out one at a time in the
    suite's order (`database_order`: transactional tests last, since they empty the
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


# Migrations once per run


def migrate_once(blocker: Any) -> None:
    """Under pytest-xdist on PostgreSQL: make sure the run's template database exists,
    migrated, and have this process's test database created as a copy of it
    (PostgreSQL's `CREATE DATABASE … TEMPLATE`), so the migrations run in one process
    instead of in each. pytest-django then creates the database as usual. Elsewhere
    (one process, SQLite, a kept database) nothing changes."""
    from django.db import connection

    settings_dict = connection.settings_dict
    if (
        not os.environ.get("ONRAMP_TEST_PROCESS")
        or connection.vendor != "postgresql"
        or settings_dict["TEST"].get("TEMPLATE")
    ):
        return
    template = template_database_name(settings_dict)
    with _run_lock() as folder, blocker.unblock():
        made = folder / f"{template}.made"
        if not made.exists():
            _create_migrated_database(template)
            made.touch()
    settings_dict["TEST"]["TEMPLATE"] = template
    # The copy has every table and every migration's data: Django's `migrate` would
    # still work out the state of all 251 migrations (most of a migration's CPU
    # time) to find nothing to do. Without migrations it only finds each table
    # there, and sends post_migrate as usual.
    settings_dict["TEST"]["MIGRATE"] = False


def template_database_name(settings_dict: dict[str, Any]) -> str:
    """`test_<name>_migrated`: pytest-django's name without the process's suffix."""
    process = os.environ["ONRAMP_TEST_PROCESS"]
    name = settings_dict["TEST"].get("NAME") or f"test_{settings_dict['NAME']}"
    return f"{name.removesuffix(f'_{process}')}_migrated"


def drop_template_database() -> None:
    """At the end of the run (pytest's first process): drop the template, if a test
    process made one."""
    from django.db import connection

    folder = Path(os.environ[RUN_DIR_VARIABLE])
    for made in folder.glob("*_migrated.made"):
        template = made.name.removesuffix(".made")
        original_name = connection.settings_dict["NAME"]
        connection.settings_dict["NAME"] = template
        connection.creation.destroy_test_db(
            old_database_name=original_name, verbosity=0
        )
        made.unlink()


def _create_migrated_database(name: str) -> None:
    """Create the database `name` and run the migrations in it, then leave it with
    no connection open (PostgreSQL copies only a database nobody uses)."""
    from django.conf import settings
    from django.db import connection

    settings_dict = connection.settings_dict
    original_name, test_name = settings_dict["NAME"], settings_dict["TEST"].get("NAME")
    settings_dict["TEST"]["NAME"] = name
    try:
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
    finally:
        connection.close()
        settings_dict["TEST"]["NAME"] = test_name
        settings_dict["NAME"] = original_name
        settings.DATABASES[connection.alias]["NAME"] = original_name


@contextmanager
def _run_lock() -> Iterator[Path]:
    """The run's folder, held by one test process at a time."""
    folder = Path(os.environ[RUN_DIR_VARIABLE])
    with (folder / "databases.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
