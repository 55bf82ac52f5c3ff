"""Exports compute My team's rows a batch of people at a time (team_rows), so that an
export of a whole organisation keeps its memory flat; the rows and their order must
be exactly the page's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.team import TeamFilters, team_rows, team_view
from lms.accounts.models import User
from tests.dashboards import history
from tests.factories import RepFactory


@pytest.fixture
def team(org, onboarding):
    """Eleven more people with every kind of figure, some sharing a name."""
    for n in range(11):
        rep = RepFactory(
            team=org.east if n % 2 else org.west,
            full_name="Alex Same" if n % 5 == 0 else f"Rep {n:02d}",
        )
        onboarding.assign(rep, started_days_ago=3 + 4 * n)
        onboarding.complete(
            rep, *[onboarding.d1, onboarding.d2, onboarding.m1][: n % 4]
        )
        history.quiz_attempt(rep, title="Discovery quiz", percent=str(40 + 5 * n))
        if n % 3 == 0:
            history.review(rep, org.east_coach, score="3.50")
            history.certificate(rep, expires_in_days=5 + n)
    return org


@pytest.mark.parametrize(
    "filters",
    [
        TeamFilters(),
        TeamFilters(sort="-name"),
        TeamFilters(sort="-overdue"),
        TeamFilters(sort="progress"),
        TeamFilters(sort="team"),
        TeamFilters(sort="-quiz"),
        TeamFilters(sort="certification", status="overdue"),
        TeamFilters(sort="unknown"),
    ],
)
def test_it_gives_the_pages_rows_in_the_pages_order_batch_by_batch(team, filters):
    viewer = team.region_manager
    on_screen = team_view(viewer=viewer, filters=filters).rows
    batched = list(team_rows(viewer=viewer, filters=filters, batch_size=3))
    assert len(on_screen) > 3
    assert [row.person.pk for row in batched] == [row.person.pk for row in on_screen]
    assert [
        (row.lessons_done, row.overdue, row.quiz_average, row.certification)
        for row in batched
    ] == [
        (row.lessons_done, row.overdue, row.quiz_average, row.certification)
        for row in on_screen
    ]


def test_it_reads_each_batch_in_the_queries_of_one_page(team):
    viewer = team.region_manager
    with CaptureQueriesContext(connection) as page:
        people = len(team_view(viewer=viewer, filters=TeamFilters()).rows)
    with CaptureQueriesContext(connection) as export:
        list(team_rows(viewer=viewer, filters=TeamFilters(), batch_size=3))
    batches = -(-people // 3)
    # The ids in order, then each batch twice: its sort keys, then its rows.
    assert len(export) <= 1 + 2 * batches * len(page)


def test_it_leaves_out_whoever_stopped_matching_between_the_passes(team):
    viewer = team.region_manager
    last = team_view(viewer=viewer, filters=TeamFilters()).rows[-1].person
    rows = team_rows(viewer=viewer, filters=TeamFilters(), batch_size=3)
    first = next(rows)  # the first pass is over: every sort key is known
    User.objects.filter(pk=last.pk).update(is_active=False)
    assert first.person.pk != last.pk
    assert last.pk not in [row.person.pk for row in rows]
