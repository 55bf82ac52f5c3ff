"""Demo sales outcomes (step 70): the last 12 months for every demo rep, shaped so
that the ramp analytics tell Northwind's story — reps who finished onboarding on time
reach their quota sooner than those who finished late, who beat those still going."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from django.utils import timezone

from courses.models import Assignment
from dashboards.metrics import RAMP_QUOTA_SHARE, months_between
from dashboards.models import SalesOutcome
from dashboards.ramp import LATE, NOT_FINISHED, ON_TIME, onboarding_cohort
from lms.accounts.models import User
from lms.demo import Log

QUOTA = Decimal("20000")
# By how onboarding went: the month in which a rep first reaches the quota share, and
# the days from the start date to the first won deal. Each rep varies around these by
# less than the gap between cohorts, so the story reads the same on any day.
RAMP_MONTHS = {ON_TIME: 3, LATE: 6, NOT_FINISHED: 9}
FIRST_DEAL_DAYS = {ON_TIME: 25, LATE: 40, NOT_FINISHED: 55}


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for back in range(count, 0, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(dt.date(year, month + 1, 1))
    return months


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _deals_won(
    rng: random.Random, *, number: int, ramp: int, average_deal: Decimal
) -> int:
    """Deals in month `number` of a rep who reaches the quota share in month `ramp`:
    below the share before it (at least one deal), at or above it from then on."""
    if number < ramp:
        share = RAMP_QUOTA_SHARE * Decimal(rng.uniform(0.45, 0.95) * number / ramp)
        return max(1, math.floor(QUOTA * share / average_deal))
    share = min(Decimal("1.15"), RAMP_QUOTA_SHARE + Decimal("0.05") * (number - ramp))
    share *= Decimal(rng.uniform(1.0, 1.1))
    return math.ceil(QUOTA * share / average_deal)


def seed_outcomes(log: Log) -> None:
    today = timezone.localdate()
    reps = list(User.objects.filter(team__isnull=False, is_active=True).order_by("pk"))
    cohorts = {
        user_id: onboarding_cohort(due_at, completed_at)
        for user_id, due_at, completed_at in Assignment.objects.filter(
            user__in=reps,
            reason=Assignment.Reason.ONBOARDING,
            unassigned_at__isnull=True,
        )
        .order_by("assigned_at")
        .values_list("user_id", "due_at", "completed_at")
    }
    written = 0
    for rep in reps:
        rng = random.Random(rep.email)
        start = rep.start_date or today
        cohort = cohorts.get(rep.pk, NOT_FINISHED)
        ramp = RAMP_MONTHS[cohort] + rng.choice((-1, 0, 1))
        first_deal_on = start + dt.timedelta(
            days=FIRST_DEAL_DAYS[cohort] + rng.randint(-6, 6)
        )
        for month in _months_back(today, 12):
            if month < start.replace(day=1):
                continue
            number = months_between(start, month)
            opportunities = 6 + min(number, 6) + rng.randint(0, 4)
            average_deal = Decimal(rng.randint(4200, 5600))
            won = 0
            if first_deal_on < _next_month(month):
                won = min(
                    opportunities,
                    _deals_won(
                        rng, number=number, ramp=ramp, average_deal=average_deal
                    ),
                )
            revenue = (average_deal * won).quantize(Decimal("0.01"))
            SalesOutcome.objects.update_or_create(
                user=rep,
                month=month,
                defaults={
                    "opportunities": opportunities,
                    "deals_won": won,
                    "revenue": revenue,
                    "quota": QUOTA,
                    "first_deal_on": first_deal_on if won else None,
                },
            )
            written += 1
    log(f"  sales outcomes: {written} rep-months for {len(reps)} people")
