"""Demo sales outcomes (step 70): the last 12 months for every demo rep, shaped so
that the ramp analytics tell Northwind's story — reps who finished onboarding on time
reach their quota sooner than those who finished late, who beat those still going."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from courses.models import Assignment
from dashboards.models import SalesOutcome
from dashboards.ramp import LATE, NOT_FINISHED, ON_TIME, onboarding_cohort
from lms.accounts.models import User
from lms.demo import Log

QUOTA = Decimal("20000")
# Months to reach full quota, by how onboarding went.
RAMP_MONTHS = {ON_TIME: 3.0, LATE: 5.0, NOT_FINISHED: 7.0}


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for back in range(count, 0, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(dt.date(year, month + 1, 1))
    return months


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
        ramp = RAMP_MONTHS[cohorts.get(rep.pk, NOT_FINISHED)] + rng.uniform(-0.5, 0.5)
        first_deal_on = None
        for month in _months_back(today, 12):
            if month < start.replace(day=1):
                continue
            number = (month.year - start.year) * 12 + month.month - start.month + 1
            share = min(1.15, number / ramp) * rng.uniform(0.85, 1.1)
            opportunities = 6 + min(number, 6) + rng.randint(0, 4)
            average_deal = Decimal(rng.randint(4200, 5600))
            won = min(opportunities, int(QUOTA * Decimal(str(share)) / average_deal))
            revenue = (average_deal * won).quantize(Decimal("0.01"))
            if won and first_deal_on is None:
                first_deal_on = max(start, month) + dt.timedelta(
                    days=rng.randint(3, 20)
                )
                first_deal_on = min(first_deal_on, today)
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
