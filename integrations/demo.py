"""The demo's CRM (step 75): a "CRM (demo)" connection whose deals mirror the demo's
year of sales outcomes (so ramp analytics keep telling the same story) and whose
activities give selling per week, with a sync log. Nothing reaches a network: the
connection's kind is DEMO, whose syncs read nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from dashboards.models import SalesOutcome
from integrations.models import (
    CrmActivity,
    CrmConnection,
    CrmDeal,
    CrmOwner,
    CrmSyncLog,
)
from lms.accounts.models import User
from lms.demo import Log
from lms.lib.crypto import seal

NAME = "CRM (demo)"
ACTIVITY_WEEKS = 52


def _deals(rep: User, rng: random.Random, now: dt.datetime) -> list[CrmDeal]:
    deals = []
    for outcome in SalesOutcome.objects.filter(user=rep).order_by("month"):
        won_left = outcome.deals_won
        revenue_left = outcome.revenue
        for n in range(outcome.opportunities):
            closed_on = outcome.month + dt.timedelta(
                days=min(27, n * 28 // max(1, outcome.opportunities))
            )
            won = won_left > 0
            amount = Decimal(rng.randint(2000, 6000))
            if won:
                won_left -= 1
                amount = (
                    revenue_left
                    if won_left == 0
                    else (outcome.revenue / outcome.deals_won).quantize(Decimal("0.01"))
                )
                revenue_left -= amount
            deals.append(
                CrmDeal(
                    crm_id=f"demo-{rep.pk}-{outcome.month:%Y%m}-{n}",
                    owner_crm_id=f"demo-owner-{rep.pk}",
                    user=rep,
                    outcome=CrmDeal.Outcome.WON if won else CrmDeal.Outcome.LOST,
                    stage="Closed Won" if won else "Closed Lost",
                    amount=amount,
                    currency="USD",
                    created_on=closed_on - dt.timedelta(days=rng.randint(18, 70)),
                    closed_on=closed_on,
                    modified_at=now,
                )
            )
    return deals


def _activities(rep: User, rng: random.Random, now: dt.datetime) -> list[CrmActivity]:
    start = rep.start_date or now.date()
    activities = []
    for week in range(ACTIVITY_WEEKS):
        monday = now - dt.timedelta(weeks=week + 1)
        if monday.date() < start:
            break
        for n in range(rng.randint(4, 14)):
            kind = rng.choice(list(CrmActivity.Kind))
            activities.append(
                CrmActivity(
                    crm_id=f"demo-{rep.pk}-{week}-{n}",
                    kind=kind,
                    owner_crm_id=f"demo-owner-{rep.pk}",
                    user=rep,
                    occurred_at=monday + dt.timedelta(hours=rng.randint(0, 120)),
                    modified_at=now,
                )
            )
    return activities


def seed_crm(log: Log) -> None:
    """Build the demo connection again from the outcomes: same rows every run."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    admin = User.objects.filter(email="priya@northwind.example").first()
    CrmConnection.objects.filter(kind=CrmConnection.Kind.DEMO).delete()
    connection = CrmConnection.objects.create(
        name=NAME,
        kind=CrmConnection.Kind.DEMO,
        credentials_sealed=seal({}),
        account_name="Northwind demo CRM",
        created_by=admin,
    )
    reps = list(User.objects.filter(outcomes__isnull=False).distinct().order_by("pk"))
    deals: list[CrmDeal] = []
    activities: list[CrmActivity] = []
    for rep in reps:
        rng = random.Random(f"crm-{rep.email}")
        CrmOwner.objects.create(
            connection=connection,
            crm_id=f"demo-owner-{rep.pk}",
            email=rep.email,
            name=rep.full_name,
            user=rep,
        )
        deals += _deals(rep, rng, now)
        activities += _activities(rep, rng, now)
    for deal in deals:
        deal.connection = connection
    for activity in activities:
        activity.connection = connection
    CrmDeal.objects.bulk_create(deals, batch_size=1000)
    CrmActivity.objects.bulk_create(activities, batch_size=1000)
    first = now - dt.timedelta(hours=2)
    CrmSyncLog.objects.create(
        connection=connection,
        started_at=first,
        finished_at=first + dt.timedelta(seconds=41),
        status=CrmSyncLog.Status.SUCCEEDED,
        created=len(deals) + len(activities),
    )
    CrmSyncLog.objects.create(
        connection=connection,
        started_at=now - dt.timedelta(hours=1),
        finished_at=now - dt.timedelta(hours=1) + dt.timedelta(seconds=3),
        status=CrmSyncLog.Status.SUCCEEDED,
        updated=2,
        skipped=1,
        problems=["deal demo-0: amount 'TBD' is not a number"],
    )
    log(
        f"  CRM (demo): {len(deals)} deals and {len(activities)} activities of "
        f"{len(reps)} reps, two syncs logged, no network"
    )
