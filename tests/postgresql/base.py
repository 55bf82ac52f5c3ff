"""PostgreSQL for the test suite: Django's backend, except that emptying the
database after a transactional test (a browser, worker or race test) deletes the
rows of the tables that have any, instead of truncating every table, and that the
rows the migrations left are put back before such a test by SQL, not object by
object (`DatabaseCreation`).

Django empties all 164 tables with one `TRUNCATE`, and PostgreSQL gives each
truncated table, and each of its indexes, new files: measured here, 0.4 s of the
server's CPU and 4 to 7 s of waiting for the disk on a loaded machine, for tables
that were almost all empty. A test writes a few dozen, with a few hundred rows.
(Truncating only those is not allowed: a `TRUNCATE` must name every table whose
foreign keys point at the ones it empties, and nearly every table points at
people or content types. A `DELETE` checks those keys instead, at the commit,
since Django makes them deferrable.)
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.backends.postgresql import base, creation, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self,
        style: Any,
        tables: list[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        # Django's way where deleting would not do the same: sequences to restart,
        # rows of unnamed tables to cascade to. And where no table has rows: the
        # flush command runs post_migrate only after a flush with something to do.
        with_rows = [] if reset_sequences or allow_cascade else self._with_rows(tables)
        if not with_rows:
            return super().sql_flush(
                style,
                tables,
                reset_sequences=reset_sequences,
                allow_cascade=allow_cascade,
            )
        # The flush runs in one transaction: the keys are checked when it commits.
        return [
            f"{style.SQL_KEYWORD('SET CONSTRAINTS ALL DEFERRED')};",
            *(
                f"{style.SQL_KEYWORD('DELETE FROM')} "
                f"{style.SQL_FIELD(self.quote_name(table))};"
                for table in with_rows
            ),
        ]

    def _with_rows(self, tables: list[str]) -> list[str]:
        """Those of `tables` that have at least one row, in one query."""
        if not tables:
            return []
        probes = " UNION ALL ".join(
            f"(SELECT %s FROM {self.quote_name(table)} LIMIT 1)" for table in tables
        )
        with self.connection.cursor() as cursor:
            cursor.execute(probes, tables)
            return [table for (table,) in cursor.fetchall()]


def column_list(ops: Any, columns: list[str]) -> str:
    """The columns, quoted, for a SELECT or an INSERT."""
    return ", ".join(ops.quote_name(name) for name in columns)


class DatabaseCreation(creation.DatabaseCreation):
    """Django keeps the test database's first rows (what the migrations made: the
    site's root pages, groups, locales...) as JSON, and before each test that wants
    them back (`serialized_rollback`) saves them again one object at a time: 0.5 to
    0.8 s a test here. This copies each table with rows into a schema of the test
    database instead, and puts them back with one `INSERT … SELECT` per table."""

    SNAPSHOT = "onramp_test_snapshot"

    def serialize_db_to_string(self) -> str:
        ops = self.connection.ops
        tables = ops._with_rows(
            self.connection.introspection.django_table_names(
                only_existing=True, include_views=False
            )
        )
        columns: dict[str, list[str]] = {table: [] for table in tables}
        with self.connection.cursor() as cursor:
            # Generated columns are made again by the insert, not copied.
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' AND table_name = ANY(%s)"
                " AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position",
                [tables],
            )
            for table, column in cursor.fetchall():
                columns[table].append(column)
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.SNAPSHOT} CASCADE")
            cursor.execute(f"CREATE SCHEMA {self.SNAPSHOT}")
            for table in tables:
                cursor.execute(
                    f"CREATE TABLE {self.SNAPSHOT}.{ops.quote_name(table)}"
                    f" AS SELECT {column_list(ops, columns[table])}"
                    f" FROM public.{ops.quote_name(table)}"
                )
        return json.dumps(columns)

    def deserialize_db_from_string(self, data: str) -> None:
        ops = self.connection.ops
        with (
            transaction.atomic(using=self.connection.alias),
            self.connection.cursor() as cursor,
        ):
            # Rows point at each other: the keys are checked when it commits.
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, columns in json.loads(data).items():
                # As Django's saves would, whatever the table holds (before the
                # first such test, these same rows).
                cursor.execute(f"DELETE FROM public.{ops.quote_name(table)}")
                listed = column_list(ops, columns)
                cursor.execute(
                    f"INSERT INTO public.{ops.quote_name(table)} ({listed})"
                    f" SELECT {listed} FROM {self.SNAPSHOT}.{ops.quote_name(table)}"
                )


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    creation_class = DatabaseCreation
