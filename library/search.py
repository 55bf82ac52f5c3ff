"""Finding library items by words: PostgreSQL full text on the item's own columns,
plain matching on SQLite.

On PostgreSQL (migrations 0005 and 0006) every item carries generated tsvector
columns: `search_vector` (title A, summary B, tags C, card and document text D;
GIN-indexed), `search_head` (title, summary and tags; GIN-indexed and kept in the
row) and `search_title` (GIN-indexed). A search takes two queries when the title
matches fill the page:

- one grouped query counts matches and facets over at most COUNT_LIMIT + 1 of
  them ("more than COUNT_LIMIT" beyond), head matches first, so the long text is
  read only when they are too few; it also says how many of those counted match
  in the head and how many only in the text;
- then the page, group by group until it is full: items with every word in the
  title (only they are ranked when they fill the page), then the other title,
  summary or tag matches, both ranked with ts_rank on the head, then items found
  only in their card or document text, ranked on the full vector. A group the
  (exact) counts found empty is not asked for. Each group is one query: ranking
  sorts ids, then the rows kept are read with their highlighted passage
  (ts_headline: from the summary for head matches, the text otherwise).

Audience, expiry and facet filters are the caller's QuerySet (typed keys on the
item table), applied to the rows the index found.

A reader whose language is not the source's also finds an item by the words of
its translation into their language (title, summary, card text): such an item
counts as a title, summary or tag match, and is returned as its source, once.

Elsewhere (SQLite, the zero-setup path) each word must appear, in any letter case,
in one of the searched fields; items with every word in the title come first, then
the most recently updated. Honest matching without stemming or ranking.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, Count, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape, strip_tags

from library.models import LibraryItem, LibraryItemQuerySet
from lms.pages import source_language

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


def search_items(
    items: LibraryItemQuerySet, terms: str, *, language: str | None = None
) -> Found:
    """The items of `items` (already narrowed to what the viewer may see) that
    match the words in `terms`, best first, with the total and facet counts;
    with `language`, matching the words of their translation into it too."""
    if language == source_language():
        language = None
    if connection.vendor == "postgresql":
        return _search_postgresql(items, terms, language)
    return _search_plain(items, terms, language)


def _vector(column: str) -> RawSQL:
    return RawSQL(
        f'"library_libraryitem"."{column}"', [], output_field=SearchVectorField()
    )


def _translated(language: str | None, terms: str) -> Q:
    """Items whose translation into `language` matches the search (none without
    a language): the translations' own full-text column, by translation key."""
    if language is None:
        return Q(pk__in=[])
    return Q(
        translation_key__in=RawSQL(
            """
            SELECT translated.translation_key
            FROM library_libraryitem AS translated
            JOIN wagtailcore_locale AS locale ON locale.id = translated.locale_id
            WHERE locale.language_code = %s
            AND translated.search_vector @@ websearch_to_tsquery('english', %s)
            """,
            [language, terms],
        )
    )


def _search_postgresql(
    items: LibraryItemQuerySet, terms: str, language: str | None
) -> Found:
    query = SearchQuery(terms, search_type="websearch", config="english")
    translated = _translated(language, terms)
    facets, total, in_head, text_only = _facet_counts_capped(items, query, translated)
    # Below the cap the counts are exact: a group counted empty is not asked for.
    exact = total <= COUNT_LIMIT
    ranked: list[LibraryItem] = []
    snippets: dict[int, str] = {}
    for stage in _stages(
        items,
        query,
        terms,
        translated,
        head=bool(in_head or not exact),
        text=bool(text_only or not exact),
    ):
        if len(ranked) == SEARCH_LIMIT:
            break
        for item, snippet in _page(stage, terms, limit=SEARCH_LIMIT - len(ranked)):
            ranked.append(item)
            snippets[item.pk] = snippet
    return Found(
        items=ranked,
        snippets=snippets,
        total=min(total, COUNT_LIMIT),
        more=total > COUNT_LIMIT,
        facets=facets,
    )


@dataclass(frozen=True)
class _Stage:
    """One group of matches, ranked within itself, and where its passages come
    from: the summary for head matches, the card and document text otherwise."""

    matches: LibraryItemQuerySet
    rank: SearchRank
    passage_source: str


_SUMMARY = "item.summary"
_TEXT = "left(item.body || ' ' || item.extracted_text, %s)"


def _stages(
    items: LibraryItemQuerySet,
    query: SearchQuery,
    terms: str,
    translated: Q,
    *,
    head: bool,
    text: bool,
) -> Iterator[_Stage]:
    """Items with every word in the title, then the other title, summary or tag
    matches, then those found only in their card or document text; a group the
    facet counts found empty is not asked for. When the title matches alone fill
    the page, only they are ranked (a common word can be in the summary of a
    third of the library). `head` and `text` say which groups may hold items;
    items found by their translation's words are head matches."""
    head_vector, vector, title = (
        _vector("search_head"),
        _vector("search_vector"),
        _vector("search_title"),
    )
    head_rank = SearchRank(head_vector, query)
    if head:
        head_matches = items.alias(head=head_vector, title_vector=title).filter(
            Q(head=query) | translated
        )
        if _plain_words(terms):
            # The same query on the title alone: every word in the title (a title
            # match is a head match, so the head's index is not needed for it).
            yield _Stage(
                items.alias(title_vector=title).filter(title_vector=query),
                head_rank,
                _SUMMARY,
            )
            head_matches = head_matches.exclude(title_vector=query)
        yield _Stage(head_matches, head_rank, _SUMMARY)
    if text:
        yield _Stage(
            items.alias(head=head_vector, vector=vector)
            .filter(vector=query)
            .exclude(head=query)
            .exclude(translated),
            SearchRank(vector, query),
            _TEXT,
        )


_OPERATORS = re.compile(r'["-]|\bor\b', re.IGNORECASE)


def _plain_words(terms: str) -> bool:
    """Whether the search is words only: quotes, `-word` and `or` have a meaning
    the title alone cannot decide."""
    return bool(words_of(terms)) and not _OPERATORS.search(terms)


# The item's columns a results page shows: all but the document text.
_PAGE_FIELDS = [
    field
    for field in LibraryItem._meta.concrete_fields
    if field.name != "extracted_text"
]


def _page(stage: _Stage, terms: str, *, limit: int) -> list[tuple[LibraryItem, str]]:
    """The best `limit` items of the stage, each with its highlighted passage, in
    one query: the ranking sorts ids only, and ts_headline runs on the rows kept."""
    ranked_sql, ranked_params = (
        stage.matches.annotate(rank=stage.rank)
        .order_by("-rank", "-updated_at", "pk")
        .values_list("pk", "rank")[:limit]
        .query.sql_with_params()
    )
    columns = ", ".join(f'item."{field.column}"' for field in _PAGE_FIELDS)
    source_params = [SNIPPET_SOURCE_CHARS] if stage.passage_source == _TEXT else []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT {columns}, ts_headline(
                'english',
                translate({stage.passage_source}, %s, ''),
                websearch_to_tsquery('english', %s),
                %s
            )
            FROM ({ranked_sql}) AS ranked (id, rank)
            JOIN library_libraryitem AS item ON item.id = ranked.id
            ORDER BY ranked.rank DESC, item.updated_at DESC, item.id
            """,
            [
                *source_params,
                _START + _STOP,
                terms,
                f"StartSel={_START}, StopSel={_STOP}, MinWords=15, MaxWords=35",
                *ranked_params,
            ],
        )
        rows = cursor.fetchall()
    names = [field.attname for field in _PAGE_FIELDS]
    return [
        (
            LibraryItem.from_db(connection.alias, names, row[:-1]),
            _marked(row[-1]),
        )
        for row in rows
    ]


def _facet_counts_capped(
    items: LibraryItemQuerySet, query: SearchQuery, translated: Q
) -> tuple[dict[str, dict[str, int]], int, int, int]:
    """Counts per facet value, and in all, of the first COUNT_LIMIT + 1 matches,
    with how many of those counted match in their title, summary or tags and how
    many only in their card or document text. One grouped query; it takes the
    head matches first (their vector is in the row), so the long text of every
    item is not read when they are enough."""
    head, vector = _vector("search_head"), _vector("search_vector")
    in_head = (
        items.alias(head=head)
        .filter(Q(head=query) | translated)
        .annotate(in_head=Value(True))
        .values(*FACET_FIELDS, "in_head")
        .order_by()
    )
    text_only = (
        items.alias(head=head, vector=vector)
        .filter(vector=query)
        .exclude(head=query)
        .exclude(translated)
        .annotate(in_head=Value(False))
        .values(*FACET_FIELDS, "in_head")
        .order_by()
    )
    sample, params = in_head.union(text_only, all=True)[
        : COUNT_LIMIT + 1
    ].query.sql_with_params()
    columns = ", ".join([*FACET_FIELDS, "in_head"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, count(*) FROM ({sample}) AS found GROUP BY {columns}",
            params,
        )
        rows = cursor.fetchall()
    facets, total = tally([(*row[:4], row[5]) for row in rows])
    head_count = sum(row[5] for row in rows if row[4])
    return facets, total, head_count, total - head_count


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


def _search_plain(
    items: LibraryItemQuerySet, terms: str, language: str | None
) -> Found:
    words = words_of(terms)
    matched = items
    in_title = Q()
    for word in words:
        any_field = Q()
        for field in SEARCHED_FIELDS:
            any_field |= Q(**{f"{field}__icontains": word})
        if language is not None:
            any_field |= Q(
                translation_key__in=LibraryItem.objects.filter(
                    Q(title__icontains=word)
                    | Q(summary__icontains=word)
                    | Q(body__icontains=word),
                    locale__language_code=language,
                ).values("translation_key")
            )
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
        snippets={item.pk: passage(item, words) for item in ranked},
        total=total,
        more=False,
        facets=facets,
    )


def passage(item: LibraryItem, words: list[str], *, document: bool = True) -> str:
    """The item's passage holding a searched word, highlighted (HTML). Without
    `document`, from its summary and card text only: an item shown with its
    translation's words (whose document text a results page does not load)."""
    return highlight(_snippet_source(item, words, document=document), words)


def _snippet_source(item: LibraryItem, words: list[str], *, document: bool) -> str:
    """The passage to show under a hit: the first of summary, card text and
    document text that holds a searched word."""
    sources = [item.summary, strip_tags(item.body)]
    if document:
        sources.append(item.extracted_text)
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
