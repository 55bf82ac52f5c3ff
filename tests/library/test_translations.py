"""Library items translated with wagtail-localize: a rep reads an item once, in
their language when it has a translation, keyed on the source for everything
counted; a translation is out of date when its source changed since."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from library import metrics, selectors, services
from library.blocks import LibraryItemBlock
from library.models import ItemUse, LibraryItem
from tests.library.test_search import SEARCH_PAGE_BUDGET
from tests.library.translating import GLOBEX_ES, content_languages, speaks, translate

EDIT_URL = "wagtailsnippets_library_libraryitem:edit"


def _titles(search) -> list[str]:
    return [hit.item.title for hit in search.hits]


def test_a_spanish_rep_finds_the_translation_once_and_others_the_source(org, items):
    item = items.make()
    translate(item, GLOBEX_ES)
    speaks(org.rep_east, "es")

    spanish = selectors.library_search(viewer=org.rep_east, query="")
    english = selectors.library_search(viewer=org.rep_west, query="")

    assert _titles(spanish) == ["Frente a Globex"]
    assert spanish.hits[0].item.pk == item.pk
    assert spanish.hits[0].snippet == "Cómo ganamos a Globex."
    assert (spanish.total, spanish.kinds) == (1, english.kinds)
    assert _titles(english) == ["Versus Globex"]


def test_the_page_language_counts_when_the_profile_has_none(org, items):
    translate(items.make(), GLOBEX_ES)
    assert org.rep_east.language == ""
    with translation.override("es"):
        found = selectors.library_search(viewer=org.rep_east, query="")
    assert _titles(found) == ["Frente a Globex"]


def test_search_finds_an_item_by_its_translated_words_in_that_language_only(org, items):
    item = items.make()
    translate(item, GLOBEX_ES)
    speaks(org.rep_east, "es")

    found = selectors.library_search(viewer=org.rep_east, query="ganamos")
    assert [hit.item.pk for hit in found.hits] == [item.pk]
    assert "<mark>ganamos</mark>" in found.hits[0].snippet
    assert found.total == 1
    # In English, and in Bengali (no translation), the Spanish words find nothing.
    assert selectors.library_search(viewer=org.rep_west, query="ganamos").hits == []
    speaks(org.rep_west, "bn")
    assert selectors.library_search(viewer=org.rep_west, query="ganamos").hits == []
    # The source's own words still find it, shown in Spanish.
    by_source = selectors.library_search(viewer=org.rep_east, query="win")
    assert _titles(by_source) == ["Frente a Globex"]


def test_the_item_page_reads_the_translation_and_counts_the_source(client, org, items):
    item = items.make(body="<p>Globex charges per seat.</p>")
    translate(
        item, {**GLOBEX_ES, "Globex charges per seat.": "Globex cobra por puesto."}
    )
    spanish_row = LibraryItem.objects.exclude(pk=item.pk).get()
    speaks(org.rep_east, "es")
    client.force_login(org.rep_east)

    page = client.get(reverse("library_item", args=[item.pk])).text

    assert "<h1>Frente a Globex</h1>" in page
    assert "Globex cobra por puesto." in page
    assert "translation-note" not in page
    # The translation's own row is no item of the library's.
    assert client.get(reverse("library_item", args=[spanish_row.pk])).status_code == 404
    assert ItemUse.objects.get().item_id == item.pk


def test_an_untranslated_item_reads_in_the_source_language_with_a_note(
    client, org, items
):
    item = items.make()
    content_languages()
    speaks(org.rep_east, "es")
    client.force_login(org.rep_east)

    page = client.get(reverse("library_item", args=[item.pk])).text

    assert "<h1>Versus Globex</h1>" in page
    assert "Aún no está traducido a tu idioma" in page
    client.force_login(org.rep_west)  # English: the original, no note
    assert (
        "translation-note"
        not in client.get(reverse("library_item", args=[item.pk])).text
    )


def test_a_spanish_reps_use_and_share_count_for_the_source_in_the_usage_report(
    client, org, items
):
    item = items.make(shareable=True)
    translate(item, GLOBEX_ES)
    speaks(org.rep_east, "es")
    client.force_login(org.rep_east)
    client.get(reverse("library_item", args=[item.pk]))
    services.share_link_create(
        item=item,
        rep=org.rep_east,
        prospect_name="Jane",
        prospect_email="jane@acme.example",
        prospect_company="Acme",
    )

    usage = metrics.item_usage()

    assert [(row.item.pk, row.views, row.shares) for row in usage] == [(item.pk, 1, 1)]
    shared = client.get(reverse("library_shared")).text
    assert "Frente a Globex" in shared


def test_a_translation_is_never_shown_to_someone_the_source_is_hidden_from(
    client, org, items
):
    item = items.make(teams=[org.north])
    translate(item, GLOBEX_ES)
    for person in (org.rep_east, org.rep_north):
        speaks(person, "es")

    assert selectors.library_search(viewer=org.rep_east, query="ganamos").hits == []
    assert selectors.library_search(viewer=org.rep_east, query="").hits == []
    assert _titles(selectors.library_search(viewer=org.rep_north, query="")) == [
        "Frente a Globex"
    ]
    client.force_login(org.rep_east)
    for row in LibraryItem.objects.all():
        assert client.get(reverse("library_item", args=[row.pk])).status_code == 404


def test_a_lesson_embed_shows_the_readers_language_and_keeps_the_audience(
    rf, org, items
):
    item = items.make(teams=[org.north], body="<p>Per seat.</p>")
    spanish_row = translate(item, {**GLOBEX_ES, "Per seat.": "Por puesto."})
    block = LibraryItemBlock()
    speaks(org.rep_north, "es")
    speaks(org.rep_east, "es")

    def render(user, chosen):
        request = rf.get("/")
        request.user = user
        return block.render(block.to_python({"item": chosen.pk}), {"request": request})

    # A translated lesson holds the translation: the source still decides.
    for chosen in (item, spanish_row):
        html = render(org.rep_north, chosen)
        assert "Por puesto." in html
        assert f'href="/library/{item.pk}/"' in html
        assert render(org.rep_east, chosen).strip() == ""
    assert "Per seat." in render(org.admin, spanish_row)


def test_a_source_changed_in_the_admin_leaves_its_translation_out_of_date(
    client, org, items
):
    item = items.make(review_by=dt.date(2030, 1, 1))
    spanish_row = translate(item, GLOBEX_ES)
    speaks(org.rep_east, "es")
    client.force_login(org.admin)

    response = client.post(
        reverse(EDIT_URL, args=[item.pk]),
        {
            "kind": "card",
            "card_kind": "battlecard",
            "title": "Versus Globex",
            "summary": "How we win against Globex in retail.",
            "url": "",
            "product": "Onramp Cloud",
            "deal_stage": "",
            "persona": "",
            "competitor": "Globex",
            "audience_everyone": "on",
            "owner": str(items.owner.pk),
            "review_by": "2030-06-01",
        },
    )

    assert response.status_code == 302, response.text[:2000]
    spanish_row.refresh_from_db()
    # What a translation does not carry follows the source at once...
    assert (spanish_row.competitor, spanish_row.review_by) == (
        "Globex",
        dt.date(2030, 6, 1),
    )
    # ...its words stay until a translator updates them, marked out of date.
    assert spanish_row.summary == "Cómo ganamos a Globex."
    listing = client.get(reverse("wagtailsnippets_library_libraryitem:list")).text
    assert "Out of date" in listing
    shown = selectors.library_search(viewer=org.rep_east, query="").hits[0].item
    assert (shown.summary, shown.reading.out_of_date) == (
        "Cómo ganamos a Globex.",
        True,
    )
    client.force_login(org.rep_east)
    page = client.get(reverse("library_item", args=[item.pk])).text
    assert "Esta traducción va por detrás del original" in page

    translate(
        item,
        {"How we win against Globex in retail.": "Cómo ganamos a Globex en retail."},
    )

    shown = selectors.library_search(viewer=org.rep_east, query="").hits[0].item
    assert shown.summary == "Cómo ganamos a Globex en retail."
    assert not shown.reading.out_of_date
    assert (
        "translation-note"
        not in client.get(reverse("library_item", args=[item.pk])).text
    )


def test_a_flag_resolved_as_updated_moves_the_translations_review_date(org, items):
    item = items.make(review_by=dt.date(2020, 1, 1))
    spanish_row = translate(item, GLOBEX_ES)
    flag = services.item_flag(item=item, by=org.rep_east, reason="other", note="")
    services.flag_resolve(flag=flag, by=org.admin, resolution="updated", note="Done.")
    item.refresh_from_db()
    spanish_row.refresh_from_db()
    assert spanish_row.review_by == item.review_by != dt.date(2020, 1, 1)


def test_the_admin_refuses_an_item_written_in_another_language(client, org, items):
    content_languages()
    client.force_login(org.admin)
    response = client.post(
        reverse("wagtailsnippets_library_libraryitem:add") + "?locale=es",
        {
            "kind": "link",
            "card_kind": "",
            "title": "Precios",
            "summary": "",
            "url": "https://example.com/",
            "product": "",
            "deal_stage": "",
            "persona": "",
            "competitor": "",
            "audience_everyone": "on",
            "owner": str(items.owner.pk),
            "review_by": "",
        },
    )
    assert response.status_code == 200
    assert "then translate it" in response.text
    assert not LibraryItem.objects.exists()


def test_translating_in_the_admin_copies_the_words_but_not_the_files_preview(
    client, org, items, django_capture_on_commit_callbacks
):
    item = items.make(kind="document", card_kind="")
    LibraryItem.objects.filter(pk=item.pk).update(
        preview="library/1/page.png", page_pictures=3, extracted_text="Prices."
    )
    content_languages()
    client.force_login(org.admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "wagtail_localize:submit_snippet_translation",
                args=["library", "libraryitem", item.pk],
            ),
            {"locales": [Locale.objects.get(language_code="es").pk]},
        )

    assert response.status_code == 302, response.text[:2000]
    spanish_row = LibraryItem.objects.get(locale__language_code="es")
    assert spanish_row.title == "Versus Globex"
    assert (spanish_row.preview, spanish_row.page_pictures) == ("", 0)
    assert spanish_row.extracted_text == ""
    # Nothing translated yet: out of date until a translator fills it in.
    speaks(org.rep_east, "es")
    shown = selectors.library_search(viewer=org.rep_east, query="").hits[0].item
    assert shown.reading.out_of_date


def test_an_unknown_content_language_is_refused(items):
    with pytest.raises(services.LibraryRefused):
        services.item_translation_write(item=items.make(), language="xx", words={})


def test_the_search_page_costs_the_same_queries_with_translations(client, org, items):
    """Translations of a page of results are read in one query, however many."""
    speaks(org.rep_east, "es")

    def make(count):
        for number in range(count):
            translate(
                items.make(title=f"Pricing sheet {number}"),
                {f"Pricing sheet {number}": f"Hoja de precios {number}"},
            )

    def queries(**search):
        url = reverse("library_home")
        client.get(url, search)  # the first visit fills caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, search)
        assert response.status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    items.make(title="Pricing sheet untranslated")
    client.force_login(org.rep_west)
    english = queries(q="pricing")
    client.force_login(org.rep_east)
    untranslated = queries(q="pricing")
    make(1)
    few = queries(q="pricing")
    front_few = queries()
    make(12)
    many = queries(q="pricing")
    assert len(many) == len(few) == len(untranslated) == len(english) + 1
    # The English budget, and one query for the translations of the page.
    assert len(many) <= SEARCH_PAGE_BUDGET + 1, "\n".join(many)
    assert len(queries()) == len(front_few), "the front page"
    page = client.get(reverse("library_home"), {"q": "pricing"}).text
    assert "Hoja de precios 11" in page
