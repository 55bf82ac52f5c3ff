"""Queries compiled once per process and run again with new values
(`lms.lib.prepared`, issue 20): the rows are always those of the database now, for
the values of this call; a value that would be frozen into the kept SQL is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, F, QuerySet
from django.utils import timezone

from courses.models import LessonCompletion
from lms.lib import prepared
from lms.lib.lookups import AnyOf
from tests.factories import CoursePageFactory, LessonPageFactory, RepFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="queries are kept compiled on PostgreSQL only (SQLite builds each afresh)",
)

built: list[str] = []


def _completions_since(
    *, ids: list[int], since: dt.datetime, how: str
) -> QuerySet[Any]:
    built.append(how)
    return (
        LessonCompletion.objects.filter(
            AnyOf(F("user_id"), ids), completed_at__gte=since, how=how
        )
        .values("user_id")
        .annotate(done=Count("pk"))
        .order_by("user_id")
        .values_list("user_id", "done")
    )


def _completions_in_the_week_before(
    *, ids: list[int], until: dt.datetime
) -> QuerySet[Any]:
    # The window's start is worked out inside: it cannot be a parameter of its own.
    return LessonCompletion.objects.filter(
        AnyOf(F("user_id"), ids),
        completed_at__gte=until - dt.timedelta(days=7),
        completed_at__lt=until,
    ).values_list("user_id")


def _completions_on(*, ids: list[int], day: dt.date) -> QuerySet[Any]:
    # The day of a timestamp depends on the reader's time zone, sent with the query.
    return LessonCompletion.objects.filter(
        AnyOf(F("user_id"), ids), completed_at__date=day
    ).values_list("user_id")


def _complete(user: Any, lesson: Any, days_ago: int) -> None:
    LessonCompletion.objects.create(
        user=user,
        lesson=lesson,
        how=LessonCompletion.How.READ,
        completed_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_it_reads_the_rows_of_the_values_given_at_each_call(db):
    ann, bob = RepFactory(), RepFactory()
    course = CoursePageFactory()
    lessons = [LessonPageFactory(parent=course) for _ in range(2)]
    _complete(ann, lessons[0], days_ago=1)
    _complete(bob, lessons[0], days_ago=10)
    week_ago = timezone.now() - dt.timedelta(days=7)

    def done(ids: list[int], since: dt.datetime) -> list[tuple[Any, ...]]:
        return prepared.rows(_completions_since, ids=ids, since=since, how="read")

    assert done([ann.pk, bob.pk], week_ago) == [(ann.pk, 1)]
    assert done([bob.pk], week_ago - dt.timedelta(days=7)) == [(bob.pk, 1)]
    _complete(ann, lessons[1], days_ago=0)
    assert done([ann.pk, bob.pk], week_ago) == [(ann.pk, 2)]
    assert prepared.rows(_completions_since, ids=[ann.pk], since=week_ago, how="") == []


@on_postgresql
def test_it_builds_a_query_once_per_shape(db):
    ann = RepFactory()
    since = timezone.now() - dt.timedelta(days=7)
    built.clear()
    # Shapes no other test uses: the compiled queries are kept for the process.
    for how in ("shape a", "shape a", "shape b", "shape a"):
        prepared.rows(_completions_since, ids=[ann.pk], since=since, how=how)
    # Twice per shape, on first use, with two different sets of stand-in values.
    assert built == ["shape a", "shape a", "shape b", "shape b"]


@on_postgresql
def test_it_refuses_a_value_worked_out_inside_the_query(db):
    with pytest.raises(ValueError, match="parameter of its own"):
        prepared.rows(_completions_in_the_week_before, ids=[1], until=timezone.now())


@on_postgresql
def test_it_refuses_a_query_that_reads_the_time_zone(db):
    with pytest.raises(ValueError, match="parameter of its own"):
        prepared.rows(_completions_on, ids=[1], day=dt.date(2026, 3, 1))


def test_it_refuses_a_query_that_reads_other_variables(db):
    since = timezone.now()

    def recent(*, ids: list[int]) -> QuerySet[Any]:
        return LessonCompletion.objects.filter(
            AnyOf(F("user_id"), ids), completed_at__gte=since
        ).values_list("user_id")

    with pytest.raises(TypeError, match="besides its arguments"):
        prepared.rows(recent, ids=[1])
