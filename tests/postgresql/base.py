"""PostgreSQL for the test suite: Django's backend, except that emptying the
database after a transactional test (a browser, worker or race test) deletes the
rows of the tables that have any, instead of truncating every table.

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

from typing import Any

from django.db.backends.postgresql import base, operations


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


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
