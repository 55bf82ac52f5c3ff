"""Ramp metrics, pure: no ORM, so each one is checked against small hand-computed
figures. Enablement teams use them to see whether training shortens ramp-up.

Per rep, over the months imported:
- time to first deal: days from the start date to the first closed deal (the date
  given in the import; without one, the first day of the first month with a deal won);
- ramp time: months until the first month whose revenue reaches RAMP_QUOTA_SHARE of
  that month's quota, counting the start month as month 1 (None: not reached yet);
- quota attainment: total revenue / total quota;
- win rate: deals won / opportunities;
- average deal size: revenue / deals won;
- sales velocity, per month: opportunities per month × win rate × average deal size.
  The import has no sales-cycle length, so velocity is expressed per month of data
  (the usual formula divides by the cycle length instead).
From a connected CRM (integrations/crm), per rep over the last year:
- sales-cycle length: the median of days from created to close of closed deals;
- velocity per cycle: (opportunities × win rate × average deal size) ÷ sales-cycle
  length in days, the usual formula, in revenue per day;
- selling activity per week: calls, meetings and e-mails logged, per week;
- content influence: closed deals whose prospect opened library content shared for
  that deal before its close (by the opportunity id on the share link, or by the
  prospect's e-mail domain at the deal's account), with the win rate of those and of
  the others.
Per cohort the ratios are pooled (sums over the cohort's reps, so a rep with one
month does not weigh as much as a rep with twelve); times are medians.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RAMP_QUOTA_SHARE = Decimal("0.8")


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date  # first day of the month
    opportunities: int
    deals_won: int
    revenue: Decimal
    quota: Decimal


@dataclass(frozen=True)
class RepMetrics:
    months: int
    opportunities: int
    deals_won: int
    revenue: Decimal
    quota: Decimal
    days_to_first_deal: int | None
    ramp_months: int | None

    @property
    def quota_attainment(self) -> Decimal | None:
        return _ratio(self.revenue, self.quota)

    @property
    def win_rate(self) -> Decimal | None:
        return _ratio(Decimal(self.deals_won), Decimal(self.opportunities))

    @property
    def average_deal_size(self) -> Decimal | None:
        return _ratio(self.revenue, Decimal(self.deals_won), places="0.01")

    @property
    def velocity_per_month(self) -> Decimal | None:
        return velocity(
            self.opportunities, self.deals_won, self.revenue, months=self.months
        )


def _ratio(top: Decimal, bottom: Decimal, places: str = "0.0001") -> Decimal | None:
    if not bottom:
        return None
    return (top / bottom).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def velocity(
    opportunities: int, deals_won: int, revenue: Decimal, *, months: int
) -> Decimal | None:
    """Opportunities per month × win rate × average deal size."""
    if not months or not opportunities or not deals_won:
        return None if not months else Decimal("0.00")
    win_rate = Decimal(deals_won) / Decimal(opportunities)
    average = revenue / Decimal(deals_won)
    per_month = Decimal(opportunities) / Decimal(months)
    return (per_month * win_rate * average).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def months_between(start: dt.date, month: dt.date) -> int:
    """Month number of `month` counting the month of `start` as 1."""
    return (month.year - start.year) * 12 + month.month - start.month + 1


def rep_metrics(
    *,
    start_date: dt.date | None,
    months: Sequence[MonthFigures],
    first_deal_on: dt.date | None,
    share: Decimal = RAMP_QUOTA_SHARE,
) -> RepMetrics:
    """One rep's ramp metrics from their monthly figures."""
    ordered = sorted(months, key=lambda m: m.month)
    if first_deal_on is None:
        first_deal_on = next((m.month for m in ordered if m.deals_won), None)
    days = None
    if start_date is not None and first_deal_on is not None:
        days = max(0, (first_deal_on - start_date).days)
    ramp = None
    if start_date is not None:
        for figures in ordered:
            if figures.quota and figures.revenue >= share * figures.quota:
                ramp = max(1, months_between(start_date, figures.month))
                break
    return RepMetrics(
        months=len(ordered),
        opportunities=sum(m.opportunities for m in ordered),
        deals_won=sum(m.deals_won for m in ordered),
        revenue=sum((m.revenue for m in ordered), Decimal(0)),
        quota=sum((m.quota for m in ordered), Decimal(0)),
        days_to_first_deal=days,
        ramp_months=ramp,
    )


@dataclass(frozen=True)
class CohortMetrics:
    name: str
    reps: int
    median_days_to_first_deal: float | None
    median_ramp_months: float | None
    ramped: int  # reps who reached the quota share
    quota_attainment: Decimal | None
    win_rate: Decimal | None
    average_deal_size: Decimal | None
    velocity_per_month: Decimal | None


def cohort_metrics(name: str, reps: Sequence[RepMetrics]) -> CohortMetrics:
    """Pooled ratios and median times over a cohort's reps."""
    days = [r.days_to_first_deal for r in reps if r.days_to_first_deal is not None]
    ramps = [r.ramp_months for r in reps if r.ramp_months is not None]
    revenue = sum((r.revenue for r in reps), Decimal(0))
    quota = sum((r.quota for r in reps), Decimal(0))
    won = sum(r.deals_won for r in reps)
    opportunities = sum(r.opportunities for r in reps)
    months = sum(r.months for r in reps)
    return CohortMetrics(
        name=name,
        reps=len(reps),
        median_days_to_first_deal=statistics.median(days) if days else None,
        median_ramp_months=statistics.median(ramps) if ramps else None,
        ramped=len(ramps),
        quota_attainment=_ratio(revenue, quota),
        win_rate=_ratio(Decimal(won), Decimal(opportunities)),
        average_deal_size=_ratio(revenue, Decimal(won), places="0.01"),
        # Per rep-month, so cohorts of different sizes compare.
        velocity_per_month=velocity(opportunities, won, revenue, months=months),
    )


def median_cycle_days(cycle_days: Sequence[int]) -> float | None:
    """The median days from created to close, None without closed deals."""
    return float(statistics.median(cycle_days)) if cycle_days else None


def velocity_per_day(
    opportunities: int, deals_won: int, revenue: Decimal, *, cycle_days: float | None
) -> Decimal | None:
    """(Opportunities × win rate × average deal size) ÷ sales-cycle length."""
    if not cycle_days or not opportunities:
        return None
    if not deals_won:
        return Decimal("0.00")
    win_rate = Decimal(deals_won) / Decimal(opportunities)
    average = revenue / Decimal(deals_won)
    return (
        Decimal(opportunities) * win_rate * average / Decimal(str(cycle_days))
    ).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def activity_per_week(activities: int, *, weeks: int) -> Decimal | None:
    """Calls, meetings and e-mails logged per week, one decimal."""
    if weeks <= 0:
        return None
    return (Decimal(activities) / Decimal(weeks)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def win_rate(won: int, closed: int) -> Decimal | None:
    """Won / closed, four places; None without closed deals."""
    return _ratio(Decimal(won), Decimal(closed))
