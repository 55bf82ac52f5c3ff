"""The demo tells the same story on another day: seeded once for this module on a
leap day, late in the evening (already 1 March in Europe), My team and ramp analytics
read as they do in tests/test_seed_demo.py."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboards.ramp import LATE, NOT_FINISHED, ON_TIME, ramp_analytics
from dashboards.team import TeamFilters, team_view
from tests.demo_story import assert_story_holds, person, seeded_at

INSTANT = dt.datetime(2028, 2, 29, 23, 30, tzinfo=dt.UTC)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    yield from seeded_at(INSTANT, django_db_blocker)


def test_it_tells_the_story_of_each_start_date_on_a_leap_day(seeded):
    assert_story_holds()


def test_it_shows_daniel_the_same_team_as_on_any_other_day(seeded):
    view = team_view(viewer=person("daniel"), filters=TeamFilters())
    assert (view.tiles["people"], view.tiles["overdue"]) == (13, 2)
    overdue = sorted(row.person.full_name for row in view.rows if row.overdue)
    assert overdue == ["Fatima Hassan", "Luis Ortega"]
    cohorts = {
        cohort.name: cohort.reps
        for cohort in ramp_analytics(
            viewer=person("daniel"), filters=TeamFilters()
        ).cohorts
    }
    assert cohorts[ON_TIME] == 5 and cohorts[LATE] == 2
    assert cohorts[NOT_FINISHED] >= 2
