from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dashboards.metrics import (
    MonthFigures,
    cohort_metrics,
    months_between,
    rep_metrics,
    velocity,
)

D = Decimal


def _month(year, month, opps, won, revenue, quota):
    return MonthFigures(dt.date(year, month, 1), opps, won, D(revenue), D(quota))


# A rep who started on 15 January 2026:
#   Jan: 4 opps, 0 won, 0 revenue, quota 10,000
#   Feb: 6 opps, 1 won, 5,000, quota 10,000   (50 %)
#   Mar: 10 opps, 3 won, 9,000, quota 10,000  (90 % >= 80 %: ramped in month 3)
MONTHS = [
    _month(2026, 3, 10, 3, "9000", "10000"),
    _month(2026, 1, 4, 0, "0", "10000"),
    _month(2026, 2, 6, 1, "5000", "10000"),
]
START = dt.date(2026, 1, 15)


def test_it_computes_time_to_first_deal_from_the_given_date():
    metrics = rep_metrics(
        start_date=START, months=MONTHS, first_deal_on=dt.date(2026, 2, 20)
    )
    assert metrics.days_to_first_deal == 36  # 16 days in January + 20


def test_it_falls_back_to_the_first_month_with_a_deal():
    metrics = rep_metrics(start_date=START, months=MONTHS, first_deal_on=None)
    assert metrics.days_to_first_deal == 17  # 1 February


def test_it_counts_ramp_months_from_the_start_month():
    assert (
        rep_metrics(start_date=START, months=MONTHS, first_deal_on=None).ramp_months
        == 3
    )
    assert months_between(START, dt.date(2026, 1, 1)) == 1


def test_it_reports_no_ramp_before_the_share_is_reached():
    metrics = rep_metrics(start_date=START, months=MONTHS[1:], first_deal_on=None)
    assert metrics.ramp_months is None
    lower = rep_metrics(
        start_date=START, months=MONTHS[1:], first_deal_on=None, share=D("0.5")
    )
    assert lower.ramp_months == 2


def test_it_computes_attainment_win_rate_deal_size_and_velocity():
    metrics = rep_metrics(start_date=START, months=MONTHS, first_deal_on=None)
    assert metrics.quota_attainment == D("0.4667")  # 14,000 / 30,000
    assert metrics.win_rate == D("0.2000")  # 4 / 20
    assert metrics.average_deal_size == D("3500.00")  # 14,000 / 4
    # 20 / 3 opportunities a month × 0.2 × 3,500 = 4,666.67 a month
    assert metrics.velocity_per_month == D("4666.67")


def test_it_has_no_ratios_without_figures():
    metrics = rep_metrics(start_date=START, months=[], first_deal_on=None)
    assert metrics.quota_attainment is None
    assert metrics.win_rate is None
    assert metrics.average_deal_size is None
    assert metrics.velocity_per_month is None
    assert velocity(5, 0, D(0), months=2) == D("0.00")


def test_it_pools_a_cohort_and_takes_median_times():
    fast = rep_metrics(
        start_date=START, months=MONTHS, first_deal_on=dt.date(2026, 2, 1)
    )
    slow = rep_metrics(
        start_date=dt.date(2026, 1, 1),
        months=[_month(2026, 1, 10, 1, "1000", "10000")],
        first_deal_on=dt.date(2026, 1, 31),
    )
    never = rep_metrics(start_date=START, months=[], first_deal_on=None)
    cohort = cohort_metrics("On time", [fast, slow, never])
    assert cohort.reps == 3
    assert cohort.median_days_to_first_deal == 23.5  # median of 17 and 30
    assert cohort.median_ramp_months == 3
    assert cohort.ramped == 1
    assert cohort.quota_attainment == D("0.3750")  # 15,000 / 40,000
    assert cohort.win_rate == D("0.1667")  # 5 / 30
    assert cohort.average_deal_size == D("3000.00")
    # 30 opportunities over 4 rep-months = 7.5 × 1/6 × 3,000 = 3,750
    assert cohort.velocity_per_month == D("3750.00")
