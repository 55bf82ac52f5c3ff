"""Rows written by the hundred in one statement, without model instances.

A tick of the sequence engine writes a Delivery and a StepSend row for each of
thousands of messages. Django's bulk_create makes a model instance of each,
prepares every value through its field and builds a placeholder per value,
which cost more of the tick's time than the database's own work. Here the rows
are plain tuples: on PostgreSQL they go in as one array per column
(`INSERT … SELECT * FROM unnest(…)`, a dozen parameters whatever the count);
elsewhere (SQLite, the default for development and tests) as multi-row VALUES,
each value prepared by its field as Django would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def rows_insert(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert `rows` (values in the order of `names`, the fields' attnames), in
    one statement on PostgreSQL. With `ignore_conflicts` a row a unique
    constraint refuses is left out. Returns the `returning` attnames of each row
    inserted (none without them), in no particular order: match them by value."""
    if not rows:
        return []
    fields = {field.attname: field for field in model._meta.concrete_fields}
    chosen = [fields[name] for name in names]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(field.column)) for field in chosen)
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    if returning:
        tail += " RETURNING " + ", ".join(
            quote(str(fields[name].column)) for name in returning
        )
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in chosen)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}){tail}",
                [list(column) for column in zip(*rows, strict=True)],
            )
            if returning:
                found.extend(tuple(row) for row in cursor.fetchall())
            return found
        size = connection.ops.bulk_batch_size(chosen, list(rows))
        placeholder = "(" + ", ".join(["%s"] * len(chosen)) + ")"
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "
                + ", ".join([placeholder] * len(chunk))
                + tail,
                [
                    field.get_db_prep_save(value, connection)
                    for row in chunk
                    for field, value in zip(chosen, row, strict=True)
                ],
            )
            if returning:
                found.extend(tuple(row) for row in cursor.fetchall())
    return found
