from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from library import search
from library.selectors import library_search

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search (SQLite matches plainly, counting exactly)",
)


def test_it_ranks_title_then_summary_then_text_matches(org, items):
    in_text = items.make(title="Rollout guide", summary="Steps.")
    in_text.extracted_text = "Our pricing for retailers."
    in_text.save()
    in_summary = items.make(title="Retail deck", summary="Our pricing, slide 4.")
    in_title = items.make(title="Pricing one-pager", summary="List prices.")
    hits = library_search(viewer=org.rep_east, query="pricing").hits
    assert [hit.item for hit in hits] == [in_title, in_summary, in_text]


def test_it_needs_every_word(org, items):
    items.make(title="Pricing one-pager", summary="Discounts for retailers.")
    items.make(title="Pricing for grocers", summary="Margins.")
    hits = library_search(viewer=org.rep_east, query="pricing retailers").hits
    assert [hit.item.title for hit in hits] == ["Pricing one-pager"]


def test_it_counts_facets_of_every_match(org, items):
    items.make(title="Pricing card", deal_stage="proposal")
    items.make(title="Pricing link", kind="link", card_kind="", url="https://x.test")
    items.make(title="Unrelated", deal_stage="proposal")
    result = library_search(viewer=org.rep_east, query="pricing")
    assert (result.total, result.more) == (2, False)
    assert [(label, count) for _, label, count in result.kinds] == [
        ("Card", 1),
        ("Link", 1),
    ]
    assert [(label, count) for _, label, count in result.stages] == [("Proposal", 1)]


@on_postgresql
def test_it_stems_words_on_postgresql(org, items):
    items.make(title="Pricing one-pager", summary="What it costs.")
    hits = library_search(viewer=org.rep_east, query="prices").hits
    assert [hit.item.title for hit in hits] == ["Pricing one-pager"]


@on_postgresql
def test_it_stops_counting_beyond_the_limit(client, org, items, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    for number in range(3):
        items.make(title=f"Pricing sheet {number}")
    result = library_search(viewer=org.rep_east, query="pricing")
    assert (len(result.hits), result.total, result.more) == (3, 2, True)
    client.force_login(org.rep_east)
    html = client.get(reverse("library_home"), {"q": "pricing"}).content.decode()
    assert "More than 2 results" in html


@on_postgresql
def test_its_passages_come_from_the_document_text_escaped(org, items):
    item = items.make(title="Rollout guide", summary="Steps.")
    item.extracted_text = "Fill in the <b>security</b> questionnaire & send it."
    item.save()
    (hit,) = library_search(viewer=org.rep_east, query="questionnaire").hits
    assert "<mark>questionnaire</mark>" in hit.snippet
    assert "<b>" not in hit.snippet and "&amp;" in hit.snippet


def test_it_leaves_out_items_outside_the_audience(org, items):
    items.make(title="East pricing", teams=[org.east])
    items.make(title="West pricing", teams=[org.west])
    hits = library_search(viewer=org.rep_east, query="pricing").hits
    assert [hit.item.title for hit in hits] == ["East pricing"]
