"""How ./bin/test shares the tests among its processes (tests/parallel.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.parallel import (
    ONE_PROCESS_MODULES,
    database_order,
    template_database_name,
)

ROOT = Path(__file__).resolve().parent.parent


def test_every_module_that_seeds_the_demo_stays_in_one_process():
    seeding = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("test_*.py")
        if path.name != Path(__file__).name and "seeded_at(" in path.read_text()
    }
    assert seeding == set(ONE_PROCESS_MODULES)


def test_seeded_then_no_database_then_database_then_transactional_in_their_order():
    class Item:
        def __init__(self, nodeid: str, *fixtures: str, marker: Any = None) -> None:
            self.nodeid = nodeid
            self.fixturenames = ["request", *fixtures]
            self.marker = marker

        def get_closest_marker(self, name: str) -> Any:
            return self.marker if name == "django_db" else None

    transactional = pytest.mark.django_db(transaction=True).mark
    items = [
        Item("tests/e2e/test_sign_in.py::test_f", "page", "live_server"),
        Item("tests/test_lib.py::test_g"),
        Item("tests/accounts/test_login.py::test_a", "db"),
        Item("tests/worker.py::test_h", "transactional_db"),
        Item("tests/test_seed_demo.py::test_b", "db"),
        Item(
            "tests/courses/test_services.py::test_c", marker=pytest.mark.django_db.mark
        ),
        Item("tests/quizzes/test_lost.py::test_i", marker=transactional),
        Item("tests/test_seed_demo.py::test_d", "db"),
        Item("tests/test_seed_demo.py::test_e", "db"),
    ]
    database_order(items)
    assert [item.nodeid.rsplit("_", 1)[1] for item in items] == list("bdegacfhi")


@pytest.mark.django_db
def test_every_test_process_has_every_migration_a_copy_on_postgresql():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    template = connection.settings_dict["TEST"].get("TEMPLATE")
    if connection.vendor != "postgresql" or not os.environ.get("ONRAMP_TEST_PROCESS"):
        assert template is None  # one process, or SQLite: it migrates its own
        return
    assert template == template_database_name(connection.settings_dict)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        assert cursor.fetchone() == (1,)
