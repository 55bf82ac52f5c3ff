"""Figures about the library's use: engaged prospects per rep, and usage per item.

"Engaged prospects" of a rep in a period: the distinct prospects (by e-mail
address) who opened, in that period, at least one link the rep shared. Dashboards
show it (start page, My team and its exports); it is defined only here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils.translation import gettext as _

from library.models import ItemUse, LibraryItem, ShareLink, ShareOpen
from lms.lib import prepared
from lms.lib.lookups import AnyOf

ENGAGED_PROSPECTS_DAYS = 30


@dataclass(frozen=True)
class PagesViewed:
    """The pages of a shared PDF that prospects viewed, out of the `total` they
    can read on the share page: shown as "1–4, 6 of 6"."""

    pages: frozenset[int]
    total: int

    def ranges(self) -> str:
        """The viewed pages as runs: "1–4, 6"."""
        runs: list[list[int]] = []
        for page in sorted(self.pages):
            if runs and page == runs[-1][1] + 1:
                runs[-1][1] = page
            else:
                runs.append([page, page])
        return ", ".join(
            str(first) if first == last else f"{first}–{last}" for first, last in runs
        )

    def __bool__(self) -> bool:
        return bool(self.pages)

    def __str__(self) -> str:
        if not self.pages:
            return ""
        return _("%(pages)s of %(total)s") % {
            "pages": self.ranges(),
            "total": self.total,
        }


def pages_viewed(opens: QuerySet[ShareOpen], key: str) -> dict[int, set[int]]:
    """The distinct pages shown in these opens and page views, per `key` (a
    field of ShareOpen such as "link_id"). One query."""
    pages: dict[int, set[int]] = {}
    rows = (
        opens.filter(page__isnull=False).order_by().values_list(key, "page").distinct()
    )
    for owner, page in rows:
        pages.setdefault(owner, set()).add(page)
    return pages


def _opens(since: dt.datetime, until: dt.datetime) -> QuerySet[ShareOpen]:
    return ShareOpen.objects.filter(
        action=ShareOpen.Action.OPEN, at__gte=since, at__lt=until
    ).order_by()


_PROSPECTS = Count("link__prospect_email", distinct=True)


def engaged_prospects(
    *, rep_ids: Iterable[int], since: dt.datetime, until: dt.datetime
) -> dict[int, int]:
    """Engaged prospects per rep id (reps with none are left out). One query, kept
    compiled (`lms.lib.prepared`)."""
    return dict(
        prepared.rows(
            _engaged_prospects_by_rep,
            rep_ids=list(rep_ids),
            since=since,
            until=until,
        )
    )


def _engaged_prospects_by_rep(
    *, rep_ids: list[int], since: dt.datetime, until: dt.datetime
) -> QuerySet[Any]:
    return (
        _opens(since, until)
        .filter(AnyOf(F("link__rep_id"), rep_ids))
        .values("link__rep_id")
        .annotate(prospects=_PROSPECTS)
        .values_list("link__rep_id", "prospects")
    )


@dataclass(frozen=True)
class RecentProspects:
    """A rep's engaged prospects over the last ENGAGED_PROSPECTS_DAYS, and until
    when that figure holds (when the earliest open it counts leaves the window;
    None when it counts none)."""

    count: int
    holds_until: dt.datetime | None


def recent_engaged_prospects(*, rep_id: int, now: dt.datetime) -> RecentProspects:
    """One query."""
    window = dt.timedelta(days=ENGAGED_PROSPECTS_DAYS)
    row = (
        _opens(now - window, now)
        .filter(link__rep_id=rep_id)
        .aggregate(prospects=_PROSPECTS, earliest=Min("at"))
    )
    earliest = row["earliest"]
    return RecentProspects(row["prospects"], earliest + window if earliest else None)


@dataclass(frozen=True)
class ItemUsage:
    item: LibraryItem
    views: int
    unique_viewers: int
    downloads: int
    shares: int
    prospect_opens: int
    prospect_pages: PagesViewed

    @property
    def total(self) -> int:
        return self.views + self.downloads + self.shares + self.prospect_opens


def item_usage(
    *, items: QuerySet[LibraryItem] | None = None, since: dt.datetime | None = None
) -> list[ItemUsage]:
    """Views, unique viewers, downloads, shares, prospect opens and the PDF pages
    prospects viewed per item (since a moment, or ever), for every live item. Four
    queries."""
    items = (items if items is not None else LibraryItem.objects.live()).select_related(
        "owner"
    )
    in_period = Q() if since is None else Q(at__gte=since)
    uses = (
        ItemUse.objects.filter(in_period, item__in=items)
        .order_by()
        .values("item_id")
        .annotate(
            views=Count("pk", filter=Q(action=ItemUse.Action.VIEW)),
            viewers=Count(
                "user_id", filter=Q(action=ItemUse.Action.VIEW), distinct=True
            ),
            downloads=Count("pk", filter=Q(action=ItemUse.Action.DOWNLOAD)),
        )
    )
    by_item: dict[int, dict[str, int]] = {
        row["item_id"]: {
            "views": row["views"],
            "viewers": row["viewers"],
            "downloads": row["downloads"],
        }
        for row in uses
    }
    created = Q() if since is None else Q(created_at__gte=since)
    shares = dict(
        ShareLink.objects.filter(created, item__in=items)
        .order_by()
        .values_list("item_id")
        .annotate(count=Count("pk"))
    )
    opens = dict(
        ShareOpen.objects.filter(
            in_period, action=ShareOpen.Action.OPEN, link__item__in=items
        )
        .order_by()
        .values_list("link__item_id")
        .annotate(count=Count("pk"))
    )
    pages = pages_viewed(
        ShareOpen.objects.filter(in_period, link__item__in=items), "link__item_id"
    )
    result = []
    for item in items.order_by("title"):
        row: dict[str, int] = by_item.get(item.pk, {})
        result.append(
            ItemUsage(
                item=item,
                views=row.get("views", 0),
                unique_viewers=row.get("viewers", 0),
                downloads=row.get("downloads", 0),
                shares=shares.get(item.pk, 0),
                prospect_opens=opens.get(item.pk, 0),
                prospect_pages=PagesViewed(
                    frozenset(pages.get(item.pk, ())), item.readable_pages
                ),
            )
        )
    return result
