"""Reads of the library: what a person may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils.html import escape

from library import metrics, search, translations
from library.models import (
    DealStage,
    Freshness,
    ItemFlag,
    LibraryItem,
    LibraryItemQuerySet,
    ShareLink,
    ShareOpen,
)
from lms.accounts.models import User
from lms.lib import clock


def items_visible_to(person: User) -> LibraryItemQuerySet:
    """Every item this person may open: in their audience, not archived."""
    return LibraryItem.objects.live().for_audience(person)


def visible_item(*, viewer: User, item_id: int) -> LibraryItem | None:
    """The item if the viewer may open it, else None (views answer 404). The
    source item: what is written (uses, flags, shares) is keyed on it; show it
    through translations.shown_one."""
    return items_visible_to(viewer).filter(pk=item_id).select_related("owner").first()


@dataclass(frozen=True)
class SearchHit:
    item: LibraryItem
    snippet: str  # HTML: escaped text with the matched words in <mark>
    freshness: Freshness


@dataclass(frozen=True)
class LibrarySearch:
    hits: list[SearchHit]
    total: int
    more: bool  # more than `total` match (search.COUNT_LIMIT)
    kinds: list[tuple[str, str, int]]  # value, label, count
    stages: list[tuple[str, str, int]]
    products: list[tuple[str, str, int]]
    competitors: list[tuple[str, str, int]]


def library_search(
    *,
    viewer: User,
    query: str,
    kind: str = "",
    stage: str = "",
    product: str = "",
    competitor: str = "",
    include_expired: bool = False,
) -> LibrarySearch:
    """Items in the viewer's audience matching the query (title, summary, tags,
    card text and the text extracted from documents), best first, with the counts
    per facet of the match (library.search). Expired items are left out unless
    asked for. Without words: the viewer's items, newest first. Each item is
    shown once, in the viewer's language when it has a translation into it,
    found by that translation's words too (library.translations)."""
    items = items_visible_to(viewer)
    if not include_expired:
        items = items.not_expired()
    for field, value in (
        ("kind", kind),
        ("deal_stage", stage),
        ("product", product),
        ("competitor", competitor),
    ):
        if value:
            items = items.filter(**{field: value})
    terms = query.strip()
    language = translations.reader_language(viewer)
    if terms:
        found = search.search_items(items, terms, language=language)
    else:
        latest = list(items.order_by("-updated_at")[: search.SEARCH_LIMIT])
        rows = list(
            items.order_by()
            .values_list(*search.FACET_FIELDS)
            .annotate(count=Count("pk"))
        )
        facets, total = search.tally(rows)
        found = search.Found(
            items=latest,
            snippets={item.pk: str(escape(item.summary[:240])) for item in latest},
            total=total,
            more=False,
            facets=facets,
        )
    today = clock.today()
    words = search.words_of(terms)
    return LibrarySearch(
        hits=[
            SearchHit(
                item=item,
                # A translation's passage is drawn from its own words.
                snippet=search.passage(item, words, document=False)
                if item.reading and item.reading.translation
                else found.snippets.get(item.pk, ""),
                freshness=item.freshness(today),
            )
            for item in translations.shown_to(viewer, found.items)
        ],
        total=found.total,
        more=found.more,
        kinds=_facet(found.facets["kind"], _labels(LibraryItem.Kind.choices)),
        stages=_facet(found.facets["deal_stage"], _labels(DealStage.choices)),
        products=_facet(found.facets["product"], {}),
        competitors=_facet(found.facets["competitor"], {}),
    )


def _labels(choices: list[tuple[str, Any]]) -> dict[str, str]:
    """Choice labels in the active language (they are lazy)."""
    return {value: str(label) for value, label in choices}


def _facet(
    counts: dict[str, int], labels: dict[str, str]
) -> list[tuple[str, str, int]]:
    return sorted(
        ((value, labels.get(value, value), count) for value, count in counts.items()),
        key=lambda facet: (-facet[2], facet[1]),
    )


def recently_updated(*, viewer: User, limit: int = 5) -> list[LibraryItem]:
    """The viewer's items changed most recently (expired ones left out), in the
    viewer's language."""
    return translations.shown_to(
        viewer, items_visible_to(viewer).not_expired().order_by("-updated_at")[:limit]
    )


def new_since(
    *, viewer: User, since: dt.datetime | None, limit: int = 10
) -> list[LibraryItem]:
    """Items added or updated after the viewer's previous visit, in the viewer's
    language."""
    if since is None:
        return []
    return translations.shown_to(
        viewer,
        items_visible_to(viewer)
        .not_expired()
        .filter(updated_at__gt=since)
        .order_by("-updated_at")[:limit],
    )


def flag_queue(*, viewer: User) -> QuerySet[ItemFlag]:
    """Open flags on the items the viewer owns (every item for admins), oldest
    first."""
    flags = ItemFlag.objects.filter(resolved_at__isnull=True)
    if not viewer.is_enablement_admin:
        flags = flags.filter(item__owner=viewer)
    return flags.select_related("item", "flagged_by").order_by("flagged_at")


def flags_resolved(*, viewer: User, limit: int = 20) -> QuerySet[ItemFlag]:
    """The latest resolved flags on the viewer's items (all for admins)."""
    flags = ItemFlag.objects.filter(resolved_at__isnull=False)
    if not viewer.is_enablement_admin:
        flags = flags.filter(item__owner=viewer)
    return flags.select_related("item", "flagged_by", "resolved_by").order_by(
        "-resolved_at"
    )[:limit]


def flag_for_manager(*, viewer: User, flag_id: int) -> ItemFlag | None:
    """The flag if the viewer answers it (owner of its item or admin)."""
    flags = ItemFlag.objects.select_related("item")
    if not viewer.is_enablement_admin:
        flags = flags.filter(item__owner=viewer)
    return flags.filter(pk=flag_id).first()


def owns_items(person: User) -> bool:
    return LibraryItem.objects.filter(owner=person).exists()


@dataclass(frozen=True)
class SharedRow:
    link: ShareLink
    item: LibraryItem  # the link's item in the rep's language
    opens: int
    last_open: dt.datetime | None
    state: str  # "active", "expired" or "revoked"
    pages: metrics.PagesViewed  # of a shared PDF, read on the share page


def shared_by(*, rep: User, now: dt.datetime | None = None) -> list[SharedRow]:
    """The rep's share links, newest first, with their opens, last open and the
    PDF pages the prospect viewed, each item in the rep's language. Two queries,
    and one for the translations in another language."""
    now = now or clock.now()
    links = (
        ShareLink.objects.filter(rep=rep)
        .select_related("item")
        .annotate(
            open_count=Count("opens", filter=Q(opens__action="open")),
            last_open=Max("opens__at", filter=Q(opens__action="open")),
        )
        .order_by("-created_at")
    )
    pages = metrics.pages_viewed(ShareOpen.objects.filter(link__rep=rep), "link_id")
    links_and_items = list(links)
    shown = translations.shown_to(rep, [link.item for link in links_and_items])
    return [
        SharedRow(
            link=link,
            item=item,
            opens=link.open_count,
            last_open=link.last_open,
            state="revoked"
            if link.revoked_at
            else "expired"
            if link.expires_at <= now
            else "active",
            pages=metrics.PagesViewed(
                frozenset(pages.get(link.pk, ())), link.item.readable_pages
            ),
        )
        for link, item in zip(links_and_items, shown, strict=True)
    ]
