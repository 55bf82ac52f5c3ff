"""Reads over synced CRM data."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

from django.db import models
from django.db.models import Q
from django.utils import timezone

from dashboards.ramp import SellingFigures
from integrations.crm.domains import is_public_mail, organisation_domains
from integrations.models import CrmActivity, CrmConnection, CrmDeal
from library.models import ShareLink


def month_starts(*, last: dt.date, count: int) -> list[dt.date]:
    """The first days of `count` months ending with the month of `last`, oldest
    first."""
    year, month = last.year, last.month
    starts = []
    for _ in range(count):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _month_end(start: dt.date) -> dt.date:
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def open_pipeline_by_owner(
    *, connection: CrmConnection, months: list[dt.date]
) -> Counter[tuple[str, dt.date]]:
    """How many deals each CRM owner had open in each month: created by the month's
    end and not closed before it began (a deal closed in the month counts there)."""
    if not months:
        return Counter()
    first, last_end = months[0], _month_end(months[-1])
    deals = (
        CrmDeal.objects.filter(connection=connection, created_on__lte=last_end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .values_list("owner_crm_id", "created_on", "closed_on")
        .iterator(chunk_size=5000)
    )
    counts: Counter[tuple[str, dt.date]] = Counter()
    for owner, created_on, closed_on in deals:
        for start in months:
            if created_on <= _month_end(start) and (
                closed_on is None or closed_on >= start
            ):
                counts[(owner, start)] += 1
    return counts


def content_opened_by_opportunity(crm_ids: set[str]) -> dict[str, dt.date]:
    """The day a prospect first opened library content shared for each
    opportunity (share links carry the CRM opportunity id)."""
    opened: dict[str, dt.date] = {}
    ids = sorted(crm_ids)
    for start in range(0, len(ids), 5000):
        rows = (
            ShareLink.objects.filter(
                crm_opportunity_id__in=ids[start : start + 5000],
                first_opened_at__isnull=False,
            )
            .values("crm_opportunity_id")
            .annotate(first=models.Min("first_opened_at"))
            .values_list("crm_opportunity_id", "first")
        )
        for crm_id, first in rows:
            opened[crm_id] = timezone.localdate(first)
    return opened


def content_opened_by_domain(
    rep_ids: set[int],
) -> dict[tuple[int, str], list[dt.date]]:
    """The days prospects first opened library content each rep shared without
    an opportunity id (one per link, in order), by (rep, the prospect's
    organisation domain): an address at eu.acme.com counts for eu.acme.com and
    acme.com; public webmail for none."""
    opened: dict[tuple[int, str], list[dt.date]] = defaultdict(list)
    ids = sorted(rep_ids)
    for start in range(0, len(ids), 5000):
        rows = (
            ShareLink.objects.filter(
                rep__in=ids[start : start + 5000],
                crm_opportunity_id="",
                first_opened_at__isnull=False,
            )
            .values("rep_id", "prospect_email")
            .annotate(first=models.Min("first_opened_at"))
            .values_list("rep_id", "prospect_email", "first")
        )
        for rep_id, email, first in rows:
            day = timezone.localdate(first)
            for domain in organisation_domains(email):
                opened[rep_id, domain].append(day)
    for days in opened.values():
        days.sort()
    return dict(opened)


def _opened_between(days: list[dt.date], start: dt.date, end: dt.date) -> bool:
    """Whether one of the sorted `days` falls from `start` to `end`."""
    index = bisect.bisect_left(days, start)
    return index < len(days) and days[index] <= end


# Selling figures span the last year of CRM data, in whole weeks.
SELLING_WEEKS = 52


def crm_selling_figures(
    user_ids: Sequence[int], now: dt.datetime
) -> dict[int, SellingFigures]:
    """For ramp analytics: each person's closed deals' cycle lengths (created to
    close, in days), how many were won and how many content influenced (a share
    link for the deal's opportunity id opened by the close day, or one the deal's
    owner made without an id for someone at the deal's account domain, opened
    while the deal was open: a domain is a looser tie than an id), and
    calls, meetings and e-mails logged, over SELLING_WEEKS."""
    since = now - dt.timedelta(weeks=SELLING_WEEKS)
    cycles: dict[int, list[int]] = defaultdict(list)
    won: Counter[int] = Counter()
    influenced: Counter[int] = Counter()
    influenced_won: Counter[int] = Counter()
    closed = list(
        CrmDeal.objects.filter(
            user__in=list(user_ids),
            outcome__in=[CrmDeal.Outcome.WON, CrmDeal.Outcome.LOST],
            closed_on__gte=since.date(),
            closed_on__lte=now.date(),
        ).values_list(
            "user_id", "crm_id", "outcome", "created_on", "closed_on", "account_domain"
        )
    )
    opened = content_opened_by_opportunity({crm_id for _, crm_id, *_ in closed})
    opened_at_account = content_opened_by_domain(
        {user_id for user_id, *_, domain in closed if domain}
    )
    for user_id, crm_id, outcome, created_on, closed_on, domain in closed:
        assert closed_on is not None  # filtered above
        cycles[user_id].append(max(0, (closed_on - created_on).days))
        is_won = outcome == CrmDeal.Outcome.WON
        won[user_id] += is_won
        first_open = opened.get(crm_id)
        if (first_open is not None and first_open <= closed_on) or (
            domain
            and not is_public_mail(domain)
            and _opened_between(
                opened_at_account.get((user_id, domain), []), created_on, closed_on
            )
        ):
            influenced[user_id] += 1
            influenced_won[user_id] += is_won
    activities = Counter(
        dict(
            CrmActivity.objects.filter(
                user__in=list(user_ids), occurred_at__gte=since, occurred_at__lte=now
            )
            .values("user_id")
            .annotate(n=models.Count("pk"))
            .values_list("user_id", "n")
        )
    )
    return {
        user_id: SellingFigures(
            tuple(cycles.get(user_id, ())),
            activities.get(user_id, 0),
            SELLING_WEEKS,
            won[user_id],
            influenced[user_id],
            influenced_won[user_id],
        )
        for user_id in set(cycles) | set(activities)
    }
