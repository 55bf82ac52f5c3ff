"""The whole demo organisation, seeded once for all the tests of a module.

Seeding Northwind (people, courses, real recordings transcoded by ffmpeg) takes most
of a minute, so the tests that read it share one seed: `seeded_demo` runs
`seed_demo` inside a transaction that stays open for the module, each test runs in a
savepoint within it (pytest-django's `db`), and the module's end rolls it all back.
The tests of such a module must only read, or undo what they change with their own
savepoint, which `db` gives them.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """What `seed_demo` printed; its data is in the database for the whole module."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            out = StringIO()
            call_command("seed_demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)
