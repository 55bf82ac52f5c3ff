"""The test suite's PostgreSQL backend (tests/postgresql): after a transactional
test it deletes the rows of the tables that have any, and leaves every table as
empty as Django's `TRUNCATE` of all tables would; before the next it puts back
every row the migrations left."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import connection

from tests.factories import RepFactory
from tests.postgresql.base import DatabaseCreation, column_list

SNAPSHOT = DatabaseCreation.SNAPSHOT

pytestmark = [
    # Serialized: the tests that follow find the database as the migrations left it
    # (a flush without it runs post_migrate, whose new content types would clash
    # with the rows the next serialized test restores).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the backend is the suite's PostgreSQL backend (DATABASE_URL)",
    ),
]


def tables_with_rows() -> set[str]:
    tables = connection.introspection.django_table_names(
        only_existing=True, include_views=False
    )
    with connection.cursor() as cursor:
        return {
            table
            for table in tables
            if cursor.execute(
                f"SELECT EXISTS (SELECT FROM {connection.ops.quote_name(table)})"
            ).fetchone()[0]
        }


def test_it_deletes_only_from_the_tables_with_rows():
    RepFactory()
    written = tables_with_rows()
    assert {"accounts_user", "accounts_team"} <= written

    statements = sql_flush(no_style(), connection, reset_sequences=False)

    assert statements[0] == "SET CONSTRAINTS ALL DEFERRED;"
    assert sorted(statements[1:]) == sorted(
        f'DELETE FROM "{table}";' for table in written
    )


def test_it_empties_every_table_and_truncates_them_once_none_has_rows():
    RepFactory()  # a person in a team, with content types and pages around

    # As a transactional test's teardown flushes: sequences kept (restarted, the
    # rows put back before the next test would clash with the next new ones).
    call_command(
        "flush",
        interactive=False,
        inhibit_post_migrate=True,
        reset_sequences=False,
        verbosity=0,
    )

    assert tables_with_rows() == set()
    # Nothing to delete: Django's own TRUNCATE, so that the flush command runs
    # post_migrate only after a flush with something to do.
    [statement] = sql_flush(no_style(), connection, reset_sequences=False)
    assert statement.startswith("TRUNCATE ")


def test_it_truncates_every_table_when_the_sequences_must_restart():
    RepFactory()

    [statement] = sql_flush(no_style(), connection, reset_sequences=True)

    assert statement.startswith("TRUNCATE ")
    assert statement.endswith(" RESTART IDENTITY;")
    assert statement.count(",") + 1 == len(
        connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
    )


def test_it_puts_back_every_row_the_migrations_left_before_each_such_test():
    # Each test of this module starts after the last one emptied the database.
    snapshot: dict[str, list[str]] = json.loads(connection._test_serialized_contents)
    assert {"wagtailcore_page", "wagtailcore_locale", "auth_group"} <= set(snapshot)

    assert tables_with_rows() == set(snapshot)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, columns in snapshot.items():
            listed = column_list(connection.ops, columns)
            ours = f"SELECT {listed} FROM public.{quote(table)}"
            kept = f"SELECT {listed} FROM {SNAPSHOT}.{quote(table)}"
            cursor.execute(
                f"SELECT count(*) FROM (({ours} EXCEPT ALL {kept})"
                f" UNION ALL ({kept} EXCEPT ALL {ours})) AS differences"
            )
            assert cursor.fetchone()[0] == 0, table
