from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from dashboards.models import SalesOutcome
from dashboards.ramp import (
    LATE,
    NO_ONBOARDING,
    NOT_FINISHED,
    ON_TIME,
    ramp_analytics,
)
from dashboards.team import TeamFilters


def _outcome(user, month, opps, won, revenue, quota, first_deal_on=None):
    return SalesOutcome.objects.create(
        user=user,
        month=month,
        opportunities=opps,
        deals_won=won,
        revenue=Decimal(revenue),
        quota=Decimal(quota),
        first_deal_on=first_deal_on,
    )


def test_it_groups_reps_by_how_they_did_onboarding(org, onboarding):
    on_time = onboarding.assign(org.rep_east, started_days_ago=60)
    on_time.completed_at = on_time.due_at - dt.timedelta(days=1)
    on_time.save()
    late = onboarding.assign(org.rep_east2, started_days_ago=60)
    late.completed_at = late.due_at + dt.timedelta(days=3)
    late.save()
    onboarding.assign(org.east_coach, started_days_ago=60)
    start = timezone.localdate() - dt.timedelta(days=60)
    month = start.replace(day=1)
    for person, revenue in [
        (org.rep_east, "9000"),
        (org.rep_east2, "5000"),
        (org.east_coach, "1000"),
    ]:
        _outcome(person, month, 10, 2, revenue, "10000", start + dt.timedelta(days=20))
    analytics = ramp_analytics(viewer=org.east_manager, filters=TeamFilters())
    cohorts = {cohort.name: cohort for cohort in analytics.cohorts}
    assert set(cohorts) == {ON_TIME, LATE, NOT_FINISHED}
    assert cohorts[ON_TIME].median_ramp_months == 1
    assert cohorts[ON_TIME].quota_attainment == Decimal("0.9000")
    assert cohorts[LATE].median_ramp_months is None
    assert cohorts[LATE].median_days_to_first_deal == 20
    by_person = {rep.person: rep.cohort for rep in analytics.reps}
    assert by_person[org.east_coach] == NOT_FINISHED


def test_it_shows_only_reps_in_the_viewers_teams(client, org):
    month = dt.date(2026, 1, 1)
    _outcome(org.rep_east, month, 10, 2, "9000", "10000")
    _outcome(org.rep_north, month, 10, 2, "9000", "10000")
    client.force_login(org.east_manager)
    response = client.get(reverse("ramp_analytics"))
    reps = [rep.person for rep in response.context["analytics"].reps]
    assert reps == [org.rep_east]
    page = response.content.decode()
    assert org.rep_north.full_name not in page
    assert NO_ONBOARDING in page
    assert "90%" in page
