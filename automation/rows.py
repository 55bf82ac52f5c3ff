"""Rows written by the hundred in one statement, without model instances.

A tick of the sequence engine writes a Delivery and a StepSend row for each of
thousands of messages and moves each enrolment on. Django's bulk_create makes a
model instance of each row, prepares every value through its field and builds a
placeholder per value, and bulk_update a CASE per field and row: that cost more
of the tick's time than the database's own work, and one UPDATE per row costs
the database a statement each. Here the rows are plain tuples: on PostgreSQL
they go as one array per column (`INSERT … SELECT * FROM unnest(…)`,
`UPDATE … FROM unnest(…)`: a dozen parameters whatever the count, values as the
database driver takes them); elsewhere (SQLite, the default for development and
tests) as multi-row VALUES or one UPDATE per row, each value prepared by its
field as Django would.
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


def rows_update(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Set the fields `names` (attnames) of some rows: each of `rows` is a primary
    key and then the values, in the order of `names`. One statement on
    PostgreSQL."""
    if not rows:
        return
    pk = model._meta.pk
    assert pk is not None
    fields = {field.attname: field for field in model._meta.concrete_fields}
    chosen = [pk, *(fields[name] for name in names)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key = quote(str(pk.column))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in chosen)
            aliases = ", ".join(quote(str(field.column)) for field in chosen)
            assignments = ", ".join(
                f"{quote(str(field.column))} = u.{quote(str(field.column))}"
                for field in chosen[1:]
            )
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM unnest({arrays}) "
                f"AS u({aliases}) WHERE {table}.{key} = u.{key}",
                [list(column) for column in zip(*rows, strict=True)],
            )
            return
        assignments = ", ".join(
            f"{quote(str(field.column))} = %s" for field in chosen[1:]
        )
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {key} = %s",
            [
                [
                    *(
                        field.get_db_prep_save(value, connection)
                        for field, value in zip(chosen[1:], row[1:], strict=True)
                    ),
                    row[0],
                ]
                for row in rows
            ],
        )
