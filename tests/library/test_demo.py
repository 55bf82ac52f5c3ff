"""The library demo (library/demo_data/library.toml) built on the demo people."""

from __future__ import annotations

import pytest

from library.demo import load_library, seed_library
from library.metrics import engaged_prospects
from library.models import Freshness, ItemFlag, LibraryItem, ShareLink, ShareOpen
from library.selectors import library_search
from lms.accounts.demo import seed_people
from lms.accounts.models import User
from lms.demo import demo_steps
from lms.lib import clock


def test_the_data_file_has_the_items_the_story_needs():
    data = load_library()
    titles = [spec["title"] for spec in data["items"]]
    assert len(titles) >= 15 and len(set(titles)) == len(titles)
    kinds = [(spec["kind"], spec.get("card_kind", "")) for spec in data["items"]]
    assert kinds.count(("card", "battlecard")) >= 2
    assert kinds.count(("card", "email_template")) == 3
    assert ("card", "talk_track") in kinds and ("video", "") in kinds
    assert {spec["rep"] for spec in data["shares"]} == {"Maya Chen", "Grace Adeyemi"}
    assert [spec["by"] for spec in data["flags"]] == ["Luis Ortega"]


def test_it_runs_after_people_and_courses():
    order = {step.name: step.order for step in demo_steps()}
    assert order["people and teams"] < order["courses"] < order["library"]


@pytest.mark.slow
def test_it_seeds_the_library_once_however_often_it_runs(db, mailoutbox):
    seed_people(lambda message: None)
    seed_library(lambda message: None)
    seed_library(lambda message: None)
    assert LibraryItem.objects.sources().count() == len(load_library()["items"])
    spanish = LibraryItem.objects.filter(locale__language_code="es")
    assert sorted(spanish.values_list("title", flat=True)) == [
        "Battlecard: Northwind frente a Quantigo",
        "Precios de Northwind en una página",
    ]
    lucia = User.objects.get(full_name="Lucía García")
    assert lucia.language == "es"
    shown = {
        hit.item.title: hit.item for hit in library_search(viewer=lucia, query="").hits
    }
    battlecard = shown["Battlecard: Northwind frente a Quantigo"]
    assert "Dónde ganamos" in battlecard.body and not battlecard.reading.out_of_date
    assert ShareLink.objects.count() == 5
    assert ShareOpen.objects.count() == 7
    assert ItemFlag.objects.get().flagged_by.full_name == "Luis Ortega"
    today = clock.today()
    freshness = {
        item.title: item.freshness(today) for item in LibraryItem.objects.sources()
    }
    assert freshness["Battlecard: Northwind vs. Stockwise"] == Freshness.REVIEW_DUE
    assert freshness["Old pricing (2025)"] == Freshness.EXPIRED
    maya = User.objects.get(full_name="Maya Chen")
    hits = library_search(viewer=maya, query="pricing").hits
    assert "Northwind pricing one-pager" in [hit.item.title for hit in hits]
    pricing = LibraryItem.objects.get(title="Northwind pricing one-pager")
    assert (
        pricing.preview_status == "ready" and "Volume pricing" in pricing.extracted_text
    )
    video = LibraryItem.objects.get(kind="video")
    assert video.video is not None and video.video.status == "ready"
    now = clock.now()
    grace = User.objects.get(full_name="Grace Adeyemi")
    counts = engaged_prospects(
        rep_ids=[maya.pk, grace.pk], since=now.replace(year=now.year - 1), until=now
    )
    assert counts == {maya.pk: 2, grace.pk: 2}
