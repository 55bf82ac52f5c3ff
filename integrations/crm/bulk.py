"""Writing a page of CRM records in few round trips.

A first sync writes hundreds of thousands of rows: Django's bulk_create and
bulk_update build one placeholder per value and, for updates, a CASE per field,
which costs more than the database's own work. On PostgreSQL new rows go in with
COPY and changed rows with one UPDATE … FROM unnest(arrays); elsewhere (SQLite,
the default for development) through the ORM's bulk calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection as db
from django.db import models


def _column(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _quoted(field: models.Field[Any, Any]) -> str:
    assert field.column is not None
    return db.ops.quote_name(field.column)


def rows_insert(
    model: type[models.Model],
    *,
    fixed: Mapping[str, Any],
    names: Sequence[str],
    rows: Mapping[str, Mapping[str, Any]],
) -> None:
    """Insert one row per CRM id in `rows` (`names` of each, by attname), with
    the `fixed` values (attnames too) in every row."""
    if not rows:
        return
    if db.vendor != "postgresql":
        model._default_manager.bulk_create(
            [
                model(**fixed, crm_id=crm_id, **{n: values[n] for n in names})
                for crm_id, values in rows.items()
            ],
            batch_size=1000,
        )
        return
    attnames = [*fixed, "crm_id", *names]
    columns = ", ".join(_quoted(_column(model, name)) for name in attnames)
    table = db.ops.quote_name(model._meta.db_table)
    head = list(fixed.values())
    with db.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for crm_id, values in rows.items():
                copy.write_row([*head, crm_id, *(values[n] for n in names)])


def rows_update(
    model: type[models.Model],
    *,
    names: Sequence[str],
    rows: Mapping[int, Mapping[str, Any]],
) -> None:
    """Set `names` (attnames) of the rows whose primary keys are the keys of `rows`."""
    if not rows:
        return
    if db.vendor != "postgresql":
        changed = [
            model(pk=key, **{n: values[n] for n in names})
            for key, values in rows.items()
        ]
        model._default_manager.bulk_update(
            changed, fields=[_column(model, n).name for n in names], batch_size=1000
        )
        return
    pk = model._meta.pk
    assert pk is not None
    fields = [_column(model, name) for name in names]
    arrays = ", ".join(f"%s::{field.db_type(db)}[]" for field in [pk, *fields])
    aliases = ", ".join(_quoted(field) for field in [pk, *fields])
    assignments = ", ".join(f"{_quoted(f)} = u.{_quoted(f)}" for f in fields)
    table = db.ops.quote_name(model._meta.db_table)
    sql = (
        f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS u({aliases}) "
        f"WHERE {table}.{_quoted(pk)} = u.{_quoted(pk)}"
    )
    params = [list(rows)] + [[values[n] for values in rows.values()] for n in names]
    with db.cursor() as cursor:
        cursor.execute(sql, params)
