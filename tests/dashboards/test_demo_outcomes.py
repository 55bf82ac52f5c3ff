from __future__ import annotations

import datetime as dt

import pytest

from dashboards.demo import seed_outcomes
from dashboards.models import SalesOutcome
from dashboards.ramp import LATE, NOT_FINISHED, ON_TIME, ramp_analytics
from dashboards.team import TeamFilters
from tests.factories import RepFactory


@pytest.mark.parametrize(
    "today", [dt.date(2026, 12, 6), dt.date(2028, 2, 29), dt.date(2027, 7, 31)]
)
def test_it_seeds_outcomes_where_on_time_onboarding_ramps_faster(
    time_machine, org, onboarding, today
):
    time_machine.move_to(dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC))
    finished = {ON_TIME: -1, LATE: 10, NOT_FINISHED: None}
    for cohort, days_after_due in finished.items():
        for number in range(3):
            rep = RepFactory(team=org.east, email=f"{number}.{cohort}@example.com")
            assignment = onboarding.assign(rep, started_days_ago=330)
            if days_after_due is not None:
                assignment.completed_at = assignment.due_at + dt.timedelta(
                    days=days_after_due
                )
                assignment.save()
    seed_outcomes(lambda message: None)
    count = SalesOutcome.objects.count()
    assert count >= 9 * 10  # each started about 11 months ago
    seed_outcomes(lambda message: None)
    assert SalesOutcome.objects.count() == count
    analytics = ramp_analytics(viewer=org.east_manager, filters=TeamFilters())
    cohorts = {cohort.name: cohort for cohort in analytics.cohorts}
    assert (
        cohorts[ON_TIME].median_days_to_first_deal
        <= cohorts[LATE].median_days_to_first_deal
    )
    assert (
        cohorts[ON_TIME].median_ramp_months
        < cohorts[LATE].median_ramp_months
        < cohorts[NOT_FINISHED].median_ramp_months
    )
