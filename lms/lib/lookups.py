"""Query lookups Django does not have.

`AnyOf(F("user_id"), ids)` is `user_id IN (ids)` with the ids sent as one array
parameter on PostgreSQL (`user_id = ANY(%s)`): Django's `__in` prepares every value
on its own and psycopg then parses a statement with one placeholder per value, which
for the 200 people of a region's My team cost more CPU than the page's queries took to
run. Other databases get the plain `IN` list.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler


class AnyOf(Lookup):
    """The left side is one of these integer ids (an empty list matches nothing)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def __init__(self, lhs: Any, rhs: Collection[int]) -> None:
        super().__init__(lhs, list(rhs))

    def get_prep_lookup(self) -> list[int]:
        return list(self.rhs)

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        lhs, params = self.process_lhs(compiler, connection)
        ids = self.rhs
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*params, ids)
        if not ids:
            return "1 = 0", tuple(params)
        placeholders = ", ".join(["%s"] * len(ids))
        return f"{lhs} IN ({placeholders})", (*params, *ids)
