"""Queries built and compiled once per process and run again with new values (issue
20): on a page such as My team, Django building and compiling its queries costs more
CPU than running them.

`rows(build, **values)` is `list(build(**values))` for a `values_list()` query. On
PostgreSQL the query is built and compiled once per shape; each call then sends the
same SQL with its own values, and the rows go through the compiler's converters as
Django's own iteration does. The values are of two sorts:

- lists of ids and datetimes are parameters: the first call builds the query twice,
  with two different sets of stand-in values unlike any real one, and keeps the SQL
  only if both compile to the same text with each stand-in in the same places and
  every other parameter the same (the second in another time zone); so a value that
  reached the query in any other way (or not at all) is refused, never frozen into
  it;
- every other value (a str, a bool, None, a date) decides the query's shape: it is
  part of the key under which the compiled query is kept.

`build` must be a plain function of its arguments (no closure over other state):
what it reads besides them would be frozen into the kept SQL. Other databases (the
tests' SQLite, where `AnyOf` writes one placeholder per id) build every query afresh.
"""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

# Different shapes a process keeps (filters a person can choose make new shapes).
MAX_SHAPES = 512
_STAND_IN_EPOCH = dt.datetime(1901, 1, 1, tzinfo=dt.UTC)
_OTHER_ZONE = zoneinfo.ZoneInfo("Pacific/Chatham")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Per parameter: the name of the value it takes, or None for a constant.
    slots: tuple[str | None, ...]
    constants: tuple[Any, ...]
    compiler: SQLCompiler


_compiled: dict[tuple[Any, ...], _Compiled] = {}
_lock = threading.Lock()


def _is_parameter(value: Any) -> bool:
    return type(value) is list or type(value) is dt.datetime


def _stand_ins(names: list[str], values: dict[str, Any], run: int) -> dict[str, Any]:
    """Values no real query sees, different for each name and each run."""
    stand_ins: dict[str, Any] = {}
    for n, name in enumerate(names):
        serial = 1000 * run + n + 1
        if type(values[name]) is list:
            stand_ins[name] = [-7_000_000_000 - serial, -8_000_000_000 - serial]
        else:
            stand_ins[name] = _STAND_IN_EPOCH + dt.timedelta(
                days=serial, microseconds=serial
            )
    return stand_ins


def _compile(
    build: Callable[..., QuerySet[Any]], values: dict[str, Any], using: str
) -> _Compiled:
    names = [name for name, value in values.items() if _is_parameter(value)]
    shape = {name: value for name, value in values.items() if name not in names}
    runs = []
    for run, zone in ((1, timezone.get_current_timezone()), (2, _OTHER_ZONE)):
        stand_ins = _stand_ins(names, values, run)
        # The second run in another time zone: a lookup that sends the reader's
        # zone (`__date` of a datetime) would differ, and be refused.
        with timezone.override(zone):
            queryset = build(**shape, **stand_ins)
            if queryset._iterable_class is not ValuesListIterable:
                raise TypeError("prepared.rows() runs values_list() queries only.")
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
        slots = tuple(
            next((name for name in names if stand_ins[name] == param), None)
            for param in params
        )
        constants = tuple(
            None if slot else param for slot, param in zip(slots, params, strict=True)
        )
        runs.append(_Compiled(sql, slots, constants, compiler))
    first, second = runs
    if (first.sql, first.slots, first.constants) != (
        second.sql,
        second.slots,
        second.constants,
    ) or set(names) - set(first.slots):
        raise ValueError(
            f"{build.__qualname__}: the query does not take each of "
            f"{', '.join(names)} as a parameter of its own."
        )
    return first


def rows(build: Callable[..., QuerySet[Any]], **values: Any) -> list[tuple[Any, ...]]:
    """The rows of `build(**values)`, a values_list() query, built and compiled once
    per shape on PostgreSQL (see above)."""
    if build.__code__.co_freevars:
        raise TypeError(f"{build.__qualname__} reads variables besides its arguments.")
    using = "default"
    connection = connections[using]
    if connection.vendor != "postgresql":
        return list(build(**values))
    key = (
        build.__module__,
        build.__qualname__,
        tuple(
            (name, type(value).__name__)
            if _is_parameter(value)
            else (name, type(value).__name__, value)
            for name, value in values.items()
        ),
    )
    compiled = _compiled.get(key)
    if compiled is None:
        compiled = _compile(build, values, using)
        with _lock:
            if len(_compiled) >= MAX_SHAPES:
                _compiled.clear()
            _compiled[key] = compiled
    params = [
        constant if slot is None else values[slot]
        for slot, constant in zip(compiled.slots, compiled.constants, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        fetched = cursor.fetchall()
    found = compiled.compiler.results_iter(results=[fetched], tuple_expected=True)
    return cast(list[tuple[Any, ...]], list(found))
