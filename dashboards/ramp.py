"""Ramp analytics for managers (their subtree) and enablement admins: each rep's ramp
metrics from imported sales outcomes, and cohorts compared by how they did their
onboarding (finished on time, late, or not yet). Four queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

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
    activity_per_week,
    cohort_metrics,
    median_cycle_days,
    rep_metrics,
    velocity_per_day,
    win_rate,
)
from dashboards.models import SalesOutcome
from dashboards.team import TeamFilters, onboarding_assignments, people_in_scope
from library.metrics import ENGAGED_PROSPECTS_DAYS, engaged_prospects
from lms.accounts.models import User

# Cohort names are keys as well as labels: kept in English, translated when shown.
ON_TIME, LATE, NOT_FINISHED, NO_ONBOARDING = (
    gettext_noop("Finished onboarding on time"),
    gettext_noop("Finished onboarding late"),
    gettext_noop("Onboarding not finished"),
    gettext_noop("No onboarding path"),
)
COHORTS = [ON_TIME, LATE, NOT_FINISHED, NO_ONBOARDING]


# Talk-ratio bands are taken over a year of analysed calls, the span of the outcomes.
TALK_RATIO_DAYS = 365


@dataclass(frozen=True)
class SellingFigures:
    """A rep's selling from a connected CRM over `weeks`: the days from created to
    close of each closed deal, the calls, meetings and e-mails logged, how many
    closed deals were won, and how many closed deals (and won ones) content from the
    library influenced: the prospect opened a link shared for that deal (by its
    opportunity id, or by the prospect's e-mail domain at the deal's account) before
    its close."""

    cycle_days: tuple[int, ...]
    activities: int
    weeks: int
    won: int = 0
    influenced: int = 0
    influenced_won: int = 0


# A higher layer (integrations, which holds the CRM's deals) tells ramp analytics
# about selling; this layer never imports it. A source answers for the given
# people at `now`.
SellingSource = Callable[[Sequence[int], dt.datetime], dict[int, SellingFigures]]
_SELLING_SOURCES: list[SellingSource] = []


def register_selling_source(source: SellingSource) -> None:
    if source not in _SELLING_SOURCES:
        _SELLING_SOURCES.append(source)


def selling_figures(
    user_ids: Sequence[int], now: dt.datetime
) -> dict[int, SellingFigures]:
    """Every registered source's figures, combined per person."""
    combined: dict[int, SellingFigures] = {}
    for source in _SELLING_SOURCES:
        for user_id, figures in source(user_ids, now).items():
            known = combined.get(user_id)
            if known is not None:
                figures = SellingFigures(
                    known.cycle_days + figures.cycle_days,
                    known.activities + figures.activities,
                    max(known.weeks, figures.weeks),
                    known.won + figures.won,
                    known.influenced + figures.influenced,
                    known.influenced_won + figures.influenced_won,
                )
            combined[user_id] = figures
    return combined


@dataclass(frozen=True)
class Selling:
    """Sales-cycle length, velocity per cycle and selling activity of one rep or
    one group of reps."""

    name: str
    reps: int
    deals_closed: int
    median_cycle_days: float | None
    velocity_per_day: Decimal | None
    activity_per_week: Decimal | None
    # Content influence: closed deals whose prospect opened shared library content
    # before the close, and the win rates with and without it.
    content_influenced: int = 0
    influenced_win_rate: Decimal | None = None
    other_win_rate: Decimal | None = None


def selling_of(
    name: str, metrics: Sequence[RepMetrics], figures: Sequence[SellingFigures]
) -> Selling:
    """Pooled over the reps: all their cycles' median, their summed opportunities,
    wins and revenue over it, their activities over their weeks."""
    cycles = [days for f in figures for days in f.cycle_days]
    median = median_cycle_days(cycles)
    influenced = sum(f.influenced for f in figures)
    influenced_won = sum(f.influenced_won for f in figures)
    won = sum(f.won for f in figures)
    return Selling(
        name=name,
        reps=len(figures),
        deals_closed=len(cycles),
        median_cycle_days=median,
        velocity_per_day=velocity_per_day(
            sum(m.opportunities for m in metrics),
            sum(m.deals_won for m in metrics),
            sum((m.revenue for m in metrics), Decimal(0)),
            cycle_days=median,
        ),
        activity_per_week=activity_per_week(
            sum(f.activities for f in figures),
            weeks=max((f.weeks for f in figures), default=0),
        ),
        content_influenced=influenced,
        influenced_win_rate=win_rate(influenced_won, influenced),
        other_win_rate=win_rate(won - influenced_won, len(cycles) - influenced),
    )


@dataclass(frozen=True)
class RepRamp:
    person: User
    cohort: str
    metrics: RepMetrics
    talk_band: str = NO_CALLS_BAND
    selling: Selling | None = None
    # Distinct prospects who opened the rep's shared content, last 30 days.
    engaged_prospects: int = 0


@dataclass(frozen=True)
class RampAnalytics:
    reps: list[RepRamp]
    cohorts: list[CohortMetrics]
    with_outcomes: int
    # The same metrics with reps grouped by the band of their median talk ratio.
    talk_bands: list[CohortMetrics] = field(default_factory=list)
    # Sales-cycle length, velocity per cycle and selling activity per cohort, when
    # a CRM is connected.
    selling_cohorts: list[Selling] = field(default_factory=list)


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
    selling = selling_figures(ids, now)
    reps = []
    for person in people:
        metrics = rep_metrics(
            start_date=person.start_date,
            months=months[person.pk],
            first_deal_on=first_deal.get(person.pk),
        )
        figures = selling.get(person.pk)
        reps.append(
            RepRamp(
                person,
                cohort_of.get(person.pk, NO_ONBOARDING),
                metrics,
                talk_ratio_band(talk[person.pk][0] if person.pk in talk else None),
                selling_of(person.full_name, [metrics], [figures]) if figures else None,
                engaged.get(person.pk, 0),
            )
        )
    by_cohort: dict[str, list[RepMetrics]] = defaultdict(list)
    by_band: dict[str, list[RepMetrics]] = defaultdict(list)
    selling_by_cohort: dict[str, list[tuple[RepMetrics, SellingFigures]]] = defaultdict(
        list
    )
    for rep in reps:
        by_cohort[rep.cohort].append(rep.metrics)
        by_band[rep.talk_band].append(rep.metrics)
        if rep.person.pk in selling:
            selling_by_cohort[rep.cohort].append((rep.metrics, selling[rep.person.pk]))
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
        selling_cohorts=[
            selling_of(
                name,
                [m for m, _ in selling_by_cohort[name]],
                [f for _, f in selling_by_cohort[name]],
            )
            for name in COHORTS
            if selling_by_cohort[name]
        ],
    )


def person_selling(*, person: User, now: dt.datetime | None = None) -> Selling | None:
    """One person's sales-cycle length, velocity per cycle and selling activity
    (the person page and the API), None without CRM data."""
    now = now or timezone.now()
    figures = selling_figures([person.pk], now).get(person.pk)
    if figures is None:
        return None
    months = [
        MonthFigures(o.month, o.opportunities, o.deals_won, o.revenue, o.quota)
        for o in SalesOutcome.objects.filter(user=person)
    ]
    metrics = rep_metrics(
        start_date=person.start_date, months=months, first_deal_on=None
    )
    return selling_of(person.full_name, [metrics], [figures])
