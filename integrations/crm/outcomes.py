"""Monthly sales outcomes from a CRM's closed deals, for ramp analytics.

After each successful sync, every mapped rep's closed deals become the
`SalesOutcome` rows of the months they closed in (the same rows a CSV import
writes, which they replace for those months): opportunities are the deals closed
(won or lost) in the month, deals won and revenue the won ones, the quota the CRM's
quotas starting in the month (else the quota already there), and the first deal the
earliest won close date. Amounts are converted into CRM_REPORTING_CURRENCY with the
admin's rates; a won deal in a currency without a rate is left out of revenue and
said so in the sync log.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from dashboards.models import SalesOutcome
from integrations.models import CrmConnection, CrmCurrencyRate, CrmDeal, CrmQuota


@dataclass
class _Month:
    opportunities: int = 0
    won: int = 0
    revenue: Decimal = Decimal(0)
    quota: Decimal | None = None
    first_won: dt.date | None = None


def currency_rates() -> dict[str, Decimal]:
    rates = dict(CrmCurrencyRate.objects.values_list("currency", "rate"))
    rates[settings.CRM_REPORTING_CURRENCY] = Decimal(1)
    return rates


@transaction.atomic
def crm_outcomes_refresh(
    *, connection: CrmConnection, user_ids: Collection[int] | None = None
) -> list[str]:
    """Write the monthly outcomes of the connection's mapped reps (or only of
    `user_ids`, those a sync touched); returns what could not be converted, for
    the sync log. The demo connection's deals mirror the outcomes seed_demo
    writes: they are never written from them."""
    if connection.kind == CrmConnection.Kind.DEMO or (
        user_ids is not None and not user_ids
    ):
        return []
    rates = currency_rates()
    months: dict[tuple[int, dt.date], _Month] = {}
    unconverted: Counter[str] = Counter()
    deals = CrmDeal.objects.filter(
        connection=connection,
        user__isnull=False,
        outcome__in=[CrmDeal.Outcome.WON, CrmDeal.Outcome.LOST],
        closed_on__isnull=False,
    ).values_list("user_id", "outcome", "amount", "currency", "closed_on")
    quotas = CrmQuota.objects.filter(connection=connection, user__isnull=False)
    if user_ids is not None:
        deals = deals.filter(user__in=list(user_ids))
        quotas = quotas.filter(user__in=list(user_ids))
    for user_id, outcome, amount, currency, closed_on in deals.iterator(
        chunk_size=5000
    ):
        assert closed_on is not None  # filtered above
        month = months.setdefault((user_id, closed_on.replace(day=1)), _Month())
        month.opportunities += 1
        if outcome != CrmDeal.Outcome.WON:
            continue
        month.won += 1
        if month.first_won is None or closed_on < month.first_won:
            month.first_won = closed_on
        rate = rates.get(currency)
        if rate is None:
            unconverted[currency] += 1
        elif amount is not None:
            month.revenue += amount * rate
    for user_id, amount, currency, period_start in quotas.values_list(
        "user_id", "amount", "currency", "period_start"
    ):
        quota_month = months.get((user_id, period_start.replace(day=1)))
        rate = rates.get(currency)
        if quota_month is None or rate is None:
            continue
        quota_month.quota = (quota_month.quota or Decimal(0)) + amount * rate
    existing = {
        (row.user_id, row.month): row
        for row in SalesOutcome.objects.filter(
            user__in={user_id for user_id, _ in months}
        )
    }
    first_deal: dict[int, dt.date] = {}
    for (user_id, _), figures in months.items():
        if figures.first_won and (
            user_id not in first_deal or figures.first_won < first_deal[user_id]
        ):
            first_deal[user_id] = figures.first_won
    new, changed = [], []
    for (user_id, month_start), figures in months.items():
        row = existing.get((user_id, month_start))
        quota = figures.quota
        if quota is None:
            quota = row.quota if row is not None else Decimal(0)
        first = first_deal.get(user_id)
        values = {
            "opportunities": figures.opportunities,
            "deals_won": figures.won,
            "revenue": figures.revenue.quantize(Decimal("0.01")),
            "quota": quota.quantize(Decimal("0.01")),
            "first_deal_on": first
            if first and first.replace(day=1) == month_start
            else None,
        }
        if row is None:
            new.append(SalesOutcome(user_id=user_id, month=month_start, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    SalesOutcome.objects.bulk_create(new, batch_size=1000)
    SalesOutcome.objects.bulk_update(
        changed,
        ["opportunities", "deals_won", "revenue", "quota", "first_deal_on"],
        batch_size=1000,
    )
    return [
        f"{count} won deal{'s' if count != 1 else ''} in {currency} left out of "
        f"revenue: no rate to {settings.CRM_REPORTING_CURRENCY} is set"
        for currency, count in sorted(unconverted.items())
    ]
