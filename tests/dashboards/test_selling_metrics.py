"""Sales-cycle length, velocity per cycle and selling activity, checked against
small hand-computed figures."""

from __future__ import annotations

from decimal import Decimal

from dashboards.metrics import (
    RepMetrics,
    activity_per_week,
    median_cycle_days,
    velocity_per_day,
)
from dashboards.ramp import SellingFigures, selling_of


def _metrics(opportunities: int, won: int, revenue: str) -> RepMetrics:
    return RepMetrics(
        months=3,
        opportunities=opportunities,
        deals_won=won,
        revenue=Decimal(revenue),
        quota=Decimal(0),
        days_to_first_deal=None,
        ramp_months=None,
    )


def test_it_takes_the_median_cycle_length():
    assert median_cycle_days([10, 30, 20]) == 20.0
    assert median_cycle_days([10, 20]) == 15.0
    assert median_cycle_days([]) is None


def test_velocity_divides_opportunities_win_rate_and_average_deal_by_the_cycle():
    # 10 opportunities × 40 % × 2,500 average = 10,000, over 20 days.
    assert velocity_per_day(10, 4, Decimal("10000"), cycle_days=20.0) == Decimal(
        "500.00"
    )
    assert velocity_per_day(10, 0, Decimal(0), cycle_days=20.0) == Decimal("0.00")
    assert velocity_per_day(10, 4, Decimal("10000"), cycle_days=None) is None


def test_it_counts_activity_per_week():
    assert activity_per_week(130, weeks=52) == Decimal("2.5")
    assert activity_per_week(3, weeks=0) is None


def test_a_group_pools_its_reps_cycles_and_activities():
    group = selling_of(
        "Cohort",
        [_metrics(4, 2, "3000"), _metrics(6, 2, "1000")],
        [SellingFigures((10, 40), 52, 52), SellingFigures((20, 30, 60), 104, 52)],
    )
    assert (group.reps, group.deals_closed, group.median_cycle_days) == (2, 5, 30.0)
    # 10 opportunities × 40 % × 1,000 average = 4,000, over 30 days.
    assert group.velocity_per_day == Decimal("133.33")
    assert group.activity_per_week == Decimal("3.0")


def test_a_group_compares_win_rates_with_and_without_content():
    group = selling_of(
        "Cohort",
        [_metrics(4, 2, "3000")],
        [
            SellingFigures(
                (10, 20, 30, 40), 0, 52, won=2, influenced=2, influenced_won=2
            )
        ],
    )
    assert group.content_influenced == 2
    assert group.influenced_win_rate == Decimal("1.0000")
    assert group.other_win_rate == Decimal("0.0000")
