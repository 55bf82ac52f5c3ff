"""Ramp analytics for managers (their subtree) and enablement admins: each rep's ramp
metrics from imported sales outcomes, and cohorts compared by how they did their
onboarding (finished on time, late, or not yet). Four queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from coaching.analytics import (
    NO_CALLS_BAND,
    TALK_RATIO_BANDS,
    median_talk_ratio_by_rep,
    talk_ratio_band,
)
from dashboards.metrics import (
    CohortMetrics,
    MonthFigures,
    RepMetrics,
    cohort_metrics,
    rep_metrics,
)
from dashboards.models import SalesOutcome
from dashboards.team import TeamFilters, onboarding_assignments, people_in_scope
from library.metrics import ENGAGED_PROSPECTS_DAYS, engaged_prospects
from lms.accounts.models import User

ON_TIME, LATE, NOT_FINISHED, NO_ONBOARDING = (
    "Finished onboarding on time",
    "Finished onboarding late",
    "Onboarding not finished",
    "No onboarding path",
)
COHORTS = [ON_TIME, LATE, NOT_FINISHED, NO_ONBOARDING]


# Talk-ratio bands are taken over a year of analysed calls, the span of the outcomes.
TALK_RATIO_DAYS = 365


@dataclass(frozen=True)
class RepRamp:
    person: User
    cohort: str
    metrics: RepMetrics
    talk_band: str = NO_CALLS_BAND
    # Distinct prospects who opened the rep's shared content, last 30 days.
    engaged_prospects: int = 0


@dataclass(frozen=True)
class RampAnalytics:
    reps: list[RepRamp]
    cohorts: list[CohortMetrics]
    with_outcomes: int
    # The same metrics with reps grouped by the band of their median talk ratio.
    talk_bands: list[CohortMetrics] = field(default_factory=list)


def onboarding_cohort(
    due_at: dt.datetime | None, completed_at: dt.datetime | None
) -> str:
    if completed_at is None:
        return NOT_FINISHED
    if due_at is None or completed_at <= due_at:
        return ON_TIME
    return LATE


def ramp_analytics(
    *, viewer: User, filters: TeamFilters, now: dt.datetime | None = None
) -> RampAnalytics:
    """Reps in scope who have imported outcomes, with their metrics, cohorts and
    engaged prospects (last 30 days), and grouped by the band of their median talk
    ratio on analysed calls."""
    now = now or timezone.now()
    people = list(
        people_in_scope(viewer=viewer, filters=filters)
        .filter(outcomes__isnull=False)
        .distinct()
        .order_by("full_name", "pk")
    )
    ids = [person.pk for person in people]
    months: dict[int, list[MonthFigures]] = defaultdict(list)
    first_deal: dict[int, dt.date] = {}
    for outcome in SalesOutcome.objects.filter(user__in=ids).order_by("month"):
        months[outcome.user_id].append(
            MonthFigures(
                outcome.month,
                outcome.opportunities,
                outcome.deals_won,
                outcome.revenue,
                outcome.quota,
            )
        )
        if outcome.first_deal_on is not None:
            known = first_deal.get(outcome.user_id)
            if known is None or outcome.first_deal_on < known:
                first_deal[outcome.user_id] = outcome.first_deal_on
    cohort_of: dict[int, str] = {}
    onboarding = onboarding_assignments(ids).values_list(
        "user_id", "due_at", "completed_at"
    )
    for user_id, due_at, completed_at in onboarding:
        cohort_of[user_id] = onboarding_cohort(due_at, completed_at)
    talk = median_talk_ratio_by_rep(
        reps=ids, since=now - dt.timedelta(days=TALK_RATIO_DAYS), until=now
    )
    engaged = engaged_prospects(
        rep_ids=ids, since=now - dt.timedelta(days=ENGAGED_PROSPECTS_DAYS), until=now
    )
    reps = [
        RepRamp(
            person,
            cohort_of.get(person.pk, NO_ONBOARDING),
            rep_metrics(
                start_date=person.start_date,
                months=months[person.pk],
                first_deal_on=first_deal.get(person.pk),
            ),
            talk_ratio_band(talk[person.pk][0] if person.pk in talk else None),
            engaged.get(person.pk, 0),
        )
        for person in people
    ]
    by_cohort: dict[str, list[RepMetrics]] = defaultdict(list)
    by_band: dict[str, list[RepMetrics]] = defaultdict(list)
    for rep in reps:
        by_cohort[rep.cohort].append(rep.metrics)
        by_band[rep.talk_band].append(rep.metrics)
    bands = [name for name, _, _ in TALK_RATIO_BANDS] + [NO_CALLS_BAND]
    return RampAnalytics(
        reps=reps,
        cohorts=[
            cohort_metrics(name, by_cohort[name]) for name in COHORTS if by_cohort[name]
        ],
        with_outcomes=len(reps),
        talk_bands=[
            cohort_metrics(name, by_band[name]) for name in bands if by_band[name]
        ],
    )
