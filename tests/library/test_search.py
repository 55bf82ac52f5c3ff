from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from library import search
from library.selectors import library_search

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search (SQLite matches plainly, counting exactly)",
)
# A search's page: the session, the person, the visit (read and written), whether
# the viewer owns items (the flag queue's link), the library's search (on
# PostgreSQL the counts, then one query per group of matches: title, summary or
# tags, text) and the lessons and courses found (two).
SEARCH_PAGE_BUDGET = 11


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


@on_postgresql
def test_it_ranks_text_matches_the_capped_count_never_reached(org, items, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    for number in range(3):
        items.make(title=f"Pricing sheet {number}")
    in_text = items.make(title="Rollout guide", summary="Steps.")
    in_text.extracted_text = "Our pricing for retailers."
    in_text.save()
    result = library_search(viewer=org.rep_east, query="pricing")
    assert (result.total, result.more) == (2, True)
    assert [hit.item.title for hit in result.hits][-1] == "Rollout guide"
    assert "<mark>pricing</mark>" in result.hits[-1].snippet


@on_postgresql
def test_a_full_page_of_title_matches_costs_two_queries(
    org, items, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(search, "SEARCH_LIMIT", 2)
    for number in range(3):
        items.make(title=f"Pricing sheet {number}", summary="Our pricing.")
    items.make(title="Retail deck", summary="Our pricing, slide 4.")
    assert not org.rep_east.is_enablement_admin  # the roles, read once
    with django_assert_num_queries(2):  # counts and facets; the page and passages
        result = library_search(viewer=org.rep_east, query="pricing")
    assert [hit.item.title[:7] for hit in result.hits] == ["Pricing", "Pricing"]
    assert result.hits[0].snippet == "Our <mark>pricing</mark>."
    with django_assert_num_queries(1):
        assert library_search(viewer=org.rep_east, query="questionnaire").hits == []


def test_a_search_costs_the_same_queries_however_many_items_match(client, org, items):
    """Title, summary and text matches, in the audience through a region and
    for everyone: the page's queries do not grow with them."""

    def make(count):
        for number in range(count):
            items.make(title=f"Pricing sheet {number}", teams=[org.americas])
            items.make(title=f"Retail deck {number}", summary="Our pricing.")
            in_text = items.make(title=f"Rollout guide {number}", summary="Steps.")
            in_text.extracted_text = "Our pricing for retailers."
            in_text.save()

    def queries():
        url = reverse("library_home")
        client.get(url, {"q": "pricing"})  # the first visit fills caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"q": "pricing"})
        assert response.status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    client.force_login(org.rep_east)
    make(1)
    few = queries()
    make(20)
    many = queries()
    assert len(many) == len(few), "\n".join(many)
    assert len(few) <= SEARCH_PAGE_BUDGET, "\n".join(few)
