"""Finding library items by words: PostgreSQL full text on the item's own columns,
plain matching on SQLite.

On PostgreSQL (migrations 0005 and 0006) every item carries two generated
tsvector columns: `search_vector` (title A, summary B, tags C, card and document
text D; GIN-indexed) and `search_head` (title, summary and tags; GIN-indexed and
kept in the row). A search

- ranks with ts_rank the visible items whose title, summary or tags match, through
  the head index (so no long text is read to rank), those with every word in the
  title first (only they are ranked when they fill the page), and fills the page,
  if there are fewer, with items found only in their card or document text, ranked
  the same way;
- counts matches and facets in one grouped query over at most COUNT_LIMIT + 1 of
  them, taken through the full index, and says "more than COUNT_LIMIT" beyond;
- draws highlighted passages with ts_headline for the page shown only.

Audience, expiry and facet filters are the caller's QuerySet (typed keys on the
item table), applied to the rows the index found.

Elsewhere (SQLite, the zero-setup path) each word must appear, in any letter case,
in one of the searched fields; items with every word in the title come first, then
the most recently updated. Honest matching without stemming or ranking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, Count, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape, strip_tags

from library.models import LibraryItem, LibraryItemQuerySet

SEARCH_LIMIT = 50
# Above this many matches, the count reads "more than 1,000" and the facet counts
# cover the first 1,001 found: counting every match of a common word would read
# every row that holds it.
COUNT_LIMIT = 1000
# Passages are drawn from at most this much of an item's text.
SNIPPET_SOURCE_CHARS = 10_000

_WORD = re.compile(r"\w+", re.UNICODE)
_START, _STOP = "\x02", "\x03"
FACET_FIELDS = ("kind", "deal_stage", "product", "competitor")


@dataclass(frozen=True)
class Found:
    items: list[LibraryItem]  # best first, at most SEARCH_LIMIT
    snippets: dict[int, str]  # item id: HTML (escaped text, matches in <mark>)
    total: int  # at most COUNT_LIMIT (see more)
    more: bool  # more than COUNT_LIMIT items match
    facets: dict[str, dict[str, int]]  # field: value: count


def words_of(terms: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(terms)]


def search_items(items: LibraryItemQuerySet, terms: str) -> Found:
    """The items of `items` (already narrowed to what the viewer may see) that
    match the words in `terms`, best first, with the total and facet counts."""
    if connection.vendor == "postgresql":
        return _search_postgresql(items, terms)
    return _search_plain(items, terms)


def _vector(column: str) -> RawSQL:
    return RawSQL(
        f'"library_libraryitem"."{column}"', [], output_field=SearchVectorField()
    )


def _search_postgresql(items: LibraryItemQuerySet, terms: str) -> Found:
    query = SearchQuery(terms, search_type="websearch", config="english")
    head, vector = _vector("search_head"), _vector("search_vector")
    # Ids only: the sort carries no long text.
    ranked_ids = _head_ranked_ids(items, query, terms, head)
    if len(ranked_ids) < SEARCH_LIMIT:
        ranked_ids += list(
            items.alias(head=head, vector=vector)
            .filter(vector=query)
            .exclude(head=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "-updated_at", "pk")
            .values_list("pk", flat=True)[: SEARCH_LIMIT - len(ranked_ids)]
        )
    by_id = LibraryItem.objects.defer("extracted_text").in_bulk(ranked_ids)
    ranked = [by_id[item_id] for item_id in ranked_ids]
    found = items.alias(vector=vector).filter(vector=query).order_by()
    facets, total = _facet_counts_capped(found)
    return Found(
        items=ranked,
        snippets=_headlines([item.pk for item in ranked], terms),
        total=min(total, COUNT_LIMIT),
        more=total > COUNT_LIMIT,
        facets=facets,
    )


def _head_ranked_ids(
    items: LibraryItemQuerySet, query: SearchQuery, terms: str, head: RawSQL
) -> list[int]:
    """The best SEARCH_LIMIT items whose title, summary or tags match: those with
    every word in the title first, each group by ts_rank. When the title matches
    alone fill the page, only they are ranked (a common word can be in the
    summary of a third of the library)."""
    title = _vector("search_title")
    best = items.alias(head=head, title_vector=title).annotate(
        rank=SearchRank(head, query)
    )
    order = ("-rank", "-updated_at", "pk")
    title_query = _title_query(terms)
    if title_query is None:
        return list(
            best.filter(head=query)
            .order_by(*order)
            .values_list("pk", flat=True)[:SEARCH_LIMIT]
        )
    in_title = list(
        best.filter(title_vector=title_query)
        .filter(head=query)
        .order_by(*order)
        .values_list("pk", flat=True)[:SEARCH_LIMIT]
    )
    if len(in_title) == SEARCH_LIMIT:
        return in_title
    return in_title + list(
        best.filter(head=query)
        .exclude(title_vector=title_query)
        .order_by(*order)
        .values_list("pk", flat=True)[: SEARCH_LIMIT - len(in_title)]
    )


_OPERATORS = re.compile(r'["-]|\bor\b', re.IGNORECASE)


def _title_query(terms: str) -> SearchQuery | None:
    """Every word (for the title's vector); None when the search uses quotes,
    `-word` or `or`, whose meaning the title alone cannot decide."""
    words = words_of(terms)
    if not words or _OPERATORS.search(terms):
        return None
    return SearchQuery(" & ".join(words), search_type="raw", config="english")


def _facet_counts_capped(
    found: LibraryItemQuerySet,
) -> tuple[dict[str, dict[str, int]], int]:
    """Counts per facet value, and in all, of the first COUNT_LIMIT + 1 matches:
    one grouped query."""
    sample, params = found.values(*FACET_FIELDS)[
        : COUNT_LIMIT + 1
    ].query.sql_with_params()
    columns = ", ".join(FACET_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, count(*) FROM ({sample}) AS found GROUP BY {columns}",
            params,
        )
        rows = cursor.fetchall()
    return tally(rows)


def tally(
    rows: list[tuple[str, str, str, str, int]],
) -> tuple[dict[str, dict[str, int]], int]:
    facets: dict[str, dict[str, int]] = {field: {} for field in FACET_FIELDS}
    total = 0
    for *values, count in rows:
        total += count
        for field, value in zip(FACET_FIELDS, values, strict=True):
            if value:
                facets[field][value] = facets[field].get(value, 0) + count
    return facets, total


def _headlines(item_ids: list[int], terms: str) -> dict[int, str]:
    """The passage that matched, per item: from the summary when the title,
    summary or tags match, else from the card and document text; one query for
    the page shown."""
    if not item_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT item.id, ts_headline(
                'english',
                translate(
                    CASE WHEN item.search_head @@ q
                        THEN item.summary
                        ELSE left(item.body || ' ' || item.extracted_text, %s)
                    END,
                    %s, ''
                ),
                q,
                %s
            )
            FROM library_libraryitem AS item,
                websearch_to_tsquery('english', %s) AS q
            WHERE item.id = ANY(%s)
            """,
            [
                SNIPPET_SOURCE_CHARS,
                _START + _STOP,
                f"StartSel={_START}, StopSel={_STOP}, MinWords=15, MaxWords=35",
                terms,
                item_ids,
            ],
        )
        return {item_id: _marked(text) for item_id, text in cursor.fetchall()}


def _marked(headline: str) -> str:
    return (
        str(escape(headline))
        .replace(_START, "<mark>")
        .replace(_STOP, "</mark>")
        .strip()
    )


SEARCHED_FIELDS = (
    "title",
    "summary",
    "product",
    "persona",
    "competitor",
    "body",
    "extracted_text",
)


def _search_plain(items: LibraryItemQuerySet, terms: str) -> Found:
    words = words_of(terms)
    matched = items
    in_title = Q()
    for word in words:
        any_field = Q()
        for field in SEARCHED_FIELDS:
            any_field |= Q(**{f"{field}__icontains": word})
        matched = matched.filter(any_field)
        in_title &= Q(title__icontains=word)
    ranked = list(
        matched.annotate(
            title_match=Case(When(in_title, then=Value(1)), default=Value(0))
        ).order_by("-title_match", "-updated_at", "pk")[:SEARCH_LIMIT]
    )
    rows = list(
        matched.order_by().values_list(*FACET_FIELDS).annotate(count=Count("pk"))
    )
    facets, total = tally(rows)
    return Found(
        items=ranked,
        snippets={
            item.pk: highlight(_snippet_source(item, words), words) for item in ranked
        },
        total=total,
        more=False,
        facets=facets,
    )


def _snippet_source(item: LibraryItem, words: list[str]) -> str:
    """The passage to show under a hit: the first of summary, card text and
    document text that holds a searched word."""
    sources = [item.summary, strip_tags(item.body), item.extracted_text]
    for source in sources:
        lowered = source.lower()
        positions = [lowered.find(word) for word in words if word in lowered]
        if positions:
            start = max(0, min(positions) - 80)
            text = source[start : start + 240]
            return (
                ("…" if start else "")
                + text
                + ("…" if len(source) > start + 240 else "")
            )
    return item.summary[:240]


def highlight(text: str, words: list[str]) -> str:
    """The text, escaped, with each searched word (and words it begins) marked."""
    if not words:
        return str(escape(text))
    pattern = re.compile(
        "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)),
        re.IGNORECASE,
    )
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)
