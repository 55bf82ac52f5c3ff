from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from reportlab.pdfgen import canvas

from library import metrics, pdf, pdf_child, selectors, services
from library.models import LibraryItem, ShareLink, ShareOpen

PNG = b"\x89PNG\r\n\x1a\n page picture"


def _pdf(*pages: str) -> bytes:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for text in pages:
        drawing.drawString(72, 720, text)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def _document(items, org, *, pages=6, pictures=None, **fields):
    """A shareable PDF item whose preview job has drawn `pictures` pages (all of
    them by default), with the pictures in private storage."""
    fields.setdefault("title", "Case study: Acme")
    item = items.make(
        kind=LibraryItem.Kind.DOCUMENT, card_kind="", shareable=True, **fields
    )
    storage = services.private_storage()
    storage.save(f"library/{item.pk}/acme.pdf", ContentFile(b"%PDF case"))
    item.files.create(
        version=1,
        name=f"library/{item.pk}/acme.pdf",
        original_filename="acme.pdf",
        content_type="application/pdf",
        size=9,
    )
    pictures = pages if pictures is None else pictures
    folder = f"library/{item.pk}/pages-test"
    for number in range(1, pictures + 1):
        name = "page.png" if number == 1 else f"page-{number}.png"
        storage.save(f"{folder}/{name}", ContentFile(PNG + str(number).encode()))
    LibraryItem.objects.filter(pk=item.pk).update(
        preview=f"{folder}/page.png" if pictures else "",
        preview_status="ready",
        page_count=pages,
        page_pictures=pictures,
    )
    item.refresh_from_db()
    return item


def _share(item, rep):
    return services.share_link_create(
        item=item,
        rep=rep,
        prospect_name="Jane Prospect",
        prospect_email="jane@acme.example",
        prospect_company="Acme",
    )


def _picture(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_prospect_reads_a_shared_pdf_page_by_page(
    client, org, items, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    link = _share(_document(items, org, pages=6), org.rep_east)
    with django_capture_on_commit_callbacks(execute=True):
        html = client.get(f"/s/{link.token}/").content.decode()
    assert "Page 1 of 6" in html
    assert f'src="/s/{link.token}/page/1.png"' in html
    assert f'href="/s/{link.token}/page/2/#reader"' in html
    assert "Previous page" not in html
    time_machine.move_to("2026-03-02 09:01Z", tick=False)
    for number in (2, 3, 4, 3):
        page = client.get(f"/s/{link.token}/page/{number}/")
        assert page.status_code == 200
        assert f"Page {number} of 6" in page.content.decode()
        assert page["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in page["Cache-Control"]
    last = client.get(f"/s/{link.token}/page/6/").content.decode()
    assert f'href="/s/{link.token}/page/5/#reader"' in last
    assert "Next page" not in last
    assert _picture(client.get(f"/s/{link.token}/page/4.png")) == PNG + b"4"
    assert _picture(client.get(f"/s/{link.token}/page/1.png")) == PNG + b"1"
    views = ShareOpen.objects.filter(link=link).order_by("pk")
    assert [(v.action, v.page) for v in views] == [
        ("open", 1),
        ("page", 2),
        ("page", 3),
        ("page", 4),
        ("page", 3),
        ("page", 6),
    ]
    assert views[1].at == dt.datetime(2026, 3, 2, 9, 1, tzinfo=dt.UTC)
    assert len({v.visitor for v in views}) == 1
    assert all("127.0.0.1" not in v.visitor for v in views)
    link.refresh_from_db()
    assert link.first_opened_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_the_rep_and_admins_see_which_pages_were_viewed(client, org, items):
    item = _document(items, org, pages=6)
    read = _share(item, org.rep_east)
    unread = _share(item, org.rep_east)
    client.get(f"/s/{read.token}/")
    for number in (2, 3, 4, 6):
        client.get(f"/s/{read.token}/page/{number}/")
    client.force_login(org.rep_east)
    response = client.get(reverse("library_shared"))
    rows = {row.link: row for row in response.context["rows"]}
    assert str(rows[read].pages) == "1–4, 6 of 6"
    assert str(rows[unread].pages) == ""
    html = response.content.decode()
    assert "Pages viewed" in html and "1–4, 6 of 6" in html and "none yet" in html
    client.force_login(org.admin)
    usage = client.get(reverse("library_usage")).content.decode()
    assert "Pages prospects viewed" in usage and "1–4, 6 of 6" in usage
    csv = b"".join(
        client.get(reverse("library_usage") + "?format=csv").streaming_content
    ).decode()
    assert "Pages prospects viewed" in csv and "1–4, 6 of 6" in csv


def test_pages_viewed_read_as_runs():
    viewed = metrics.PagesViewed(frozenset({6, 1, 2, 3, 4, 9}), 9)
    assert viewed.ranges() == "1–4, 6, 9"
    assert str(viewed) == "1–4, 6, 9 of 9"
    assert str(metrics.PagesViewed(frozenset({3}), 6)) == "3 of 6"
    assert not metrics.PagesViewed(frozenset(), 6)
    assert str(metrics.PagesViewed(frozenset(), 6)) == ""


def test_unknown_revoked_and_expired_links_show_no_pages(
    client, org, items, time_machine
):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    item = _document(items, org, pages=3)
    revoked = _share(item, org.rep_east)
    expired = _share(item, org.rep_east)
    services.share_link_revoke(link=revoked, by=org.rep_east)
    ShareLink.objects.filter(pk=expired.pk).update(
        expires_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    )
    unknown = "x" * 43
    for suffix in ("page/2/", "page/2.png"):
        assert client.get(f"/s/{unknown}/{suffix}").status_code == 404
        assert client.get(f"/s/{revoked.token}/{suffix}").status_code == 410
        assert client.get(f"/s/{expired.token}/{suffix}").status_code == 410
    assert not ShareOpen.objects.exists()


def test_pages_of_an_archived_or_expired_item_are_gone(
    client, org, items, time_machine
):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    item = _document(items, org, pages=3, review_by=dt.date(2026, 3, 10))
    link = _share(item, org.rep_east)
    assert client.get(f"/s/{link.token}/page/2/").status_code == 200
    time_machine.move_to("2026-04-02 09:00Z", tick=False)
    assert client.get(f"/s/{link.token}/page/2/").status_code == 410
    assert client.get(f"/s/{link.token}/page/2.png").status_code == 410


@pytest.mark.parametrize("number", [0, 4, 31, 99999])
def test_a_page_out_of_range_is_not_found(client, org, items, number):
    link = _share(_document(items, org, pages=40, pictures=3), org.rep_east)
    assert client.get(f"/s/{link.token}/page/{number}/").status_code == 404
    assert client.get(f"/s/{link.token}/page/{number}.png").status_code == 404
    assert not ShareOpen.objects.exists()


def test_it_says_when_only_the_first_pages_are_shown(client, org, items):
    link = _share(_document(items, org, pages=40, pictures=3), org.rep_east)
    html = client.get(f"/s/{link.token}/page/3/").content.decode()
    assert "Page 3 of 3" in html
    assert "The first 3 of its 40 pages are shown here." in html
    assert "Download acme.pdf" in html


def test_items_that_are_not_pdfs_have_no_pages(client, org, items):
    card = items.make(title="Talk track", shareable=True)
    office = _document(items, org, title="Deck", pages=0, pictures=0)
    for item in (card, office):
        link = _share(item, org.rep_east)
        html = client.get(f"/s/{link.token}/").content.decode()
        assert "Page 1 of" not in html
        assert client.get(f"/s/{link.token}/page/1/").status_code == 404
        assert client.get(f"/s/{link.token}/page/1.png").status_code == 404
    assert list(ShareOpen.objects.values_list("action", "page")) == [
        ("open", None),
        ("open", None),
    ]
    with pytest.raises(ValidationError):
        services.share_page_view_record(
            link=ShareLink.objects.filter(item=card).get(), address="10.0.0.1", page=1
        )


def test_a_preview_from_before_pages_were_drawn_is_page_one_of_one(client, org, items):
    item = _document(items, org, pages=1)
    LibraryItem.objects.filter(pk=item.pk).update(page_count=0, page_pictures=0)
    link = _share(item, org.rep_east)
    assert "Page 1 of 1" in client.get(f"/s/{link.token}/").content.decode()
    assert _picture(client.get(f"/s/{link.token}/page/1.png")) == PNG + b"1"
    assert client.get(f"/s/{link.token}/page/2/").status_code == 404


def test_reading_pages_is_not_downloading(client, org, items):
    link = _share(_document(items, org, pages=3, downloadable=False), org.rep_east)
    html = client.get(f"/s/{link.token}/page/2/").content.decode()
    assert "Page 2 of 3" in html and "Download" not in html
    assert client.get(f"/s/{link.token}/page/2.png").status_code == 200
    assert client.get(f"/s/{link.token}/download/").status_code == 404
    actions = set(ShareOpen.objects.values_list("action", flat=True))
    assert actions == {"page"}


def test_page_views_count_towards_the_rate_limit(client, org, items, settings):
    settings.LIBRARY_SHARE_RATE_PER_MINUTE = 3
    link = _share(_document(items, org, pages=6), org.rep_east)
    assert client.get(f"/s/{link.token}/").status_code == 200
    assert client.get(f"/s/{link.token}/page/2/").status_code == 200
    assert client.get(f"/s/{link.token}/page/2.png").status_code == 200
    response = client.get(f"/s/{link.token}/page/3/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert client.get(f"/s/{link.token}/page/3.png").status_code == 429
    assert ShareOpen.objects.count() == 2


def test_opening_and_reading_stay_within_their_query_budgets(
    client,
    org,
    items,
    django_assert_max_num_queries,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    link = _share(_document(items, org, pages=6), org.rep_east)
    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_max_num_queries(5):
            assert client.get(f"/s/{link.token}/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"/s/{link.token}/page/2/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get(f"/s/{link.token}/page/2.png").status_code == 200
    with django_assert_num_queries(2):
        selectors.shared_by(rep=org.rep_east)


def test_the_preview_job_draws_the_first_pages_and_replaces_them(
    org, items, settings, django_capture_on_commit_callbacks
):
    settings.LIBRARY_SHARE_PAGES_MAX = 2
    item = items.make(kind=LibraryItem.Kind.DOCUMENT, card_kind="", title="Deck")
    storage = services.private_storage()
    with django_capture_on_commit_callbacks(execute=True):
        services.item_file_add(
            item=item,
            file=ContentFile(_pdf("One", "Two", "Three")),
            filename="deck.pdf",
            by=org.admin,
        )
    item.refresh_from_db()
    assert (item.preview_status, item.page_count, item.page_pictures) == (
        "ready",
        3,
        2,
    )
    first = item.page_picture_names()
    assert len(first) == 2 and first[0] == item.preview
    for name in first:
        with storage.open(name, "rb") as picture:
            assert picture.read(4) == b"\x89PNG"
    with django_capture_on_commit_callbacks(execute=True):
        services.item_file_add(
            item=item,
            file=ContentFile(_pdf("Only page")),
            filename="deck.pdf",
            by=org.admin,
        )
    item.refresh_from_db()
    assert (item.page_count, item.page_pictures) == (1, 1)
    assert not any(storage.exists(name) for name in first)
    assert storage.exists(item.preview)


def test_it_draws_pages_beside_the_preview(tmp_path):
    src = tmp_path / "a.pdf"
    src.write_bytes(_pdf("One", "Two", "Three"))
    contents = pdf.read_pdf(src, tmp_path / "a.png", max_pictures=5)
    assert contents.pages == 3
    assert contents.pictures == (
        tmp_path / "a.png",
        tmp_path / "a-2.png",
        tmp_path / "a-3.png",
    )
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in contents.pictures)
    assert not list(tmp_path.glob("*.part"))


def test_past_its_time_budget_it_keeps_the_pages_drawn_so_far(tmp_path, capsys):
    src = tmp_path / "a.pdf"
    src.write_bytes(_pdf("One", "Two", "Three"))
    out = tmp_path / "a.png.part"
    assert pdf_child.main([str(src), str(out), "200", "1000", "200", "3", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["pictures"] == 1
    assert out.exists() and not (tmp_path / "a-2.png.part").exists()


def test_the_reader_speaks_the_prospects_language(client, org, items):
    link = _share(_document(items, org, pages=6), org.rep_east)
    html = client.get(f"/s/{link.token}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Página 1 de 6" in html and "Página siguiente →" in html
    with translation.override("bn"):
        assert str(metrics.PagesViewed(frozenset({1, 2}), 6)) == "6-এর মধ্যে 1–2"


def test_a_prospect_switches_the_share_pages_language(client, org, items):
    link = _share(_document(items, org, pages=2), org.rep_east)
    page = client.get(f"/s/{link.token}/", headers={"accept_language": "en"}).text
    assert 'class="language-switcher"' in page
    assert f'name="next" value="/s/{link.token}/"' in page

    client.post("/i18n/setlang/", {"language": "bn", "next": f"/s/{link.token}/"})

    page = client.get(f"/s/{link.token}/", headers={"accept_language": "en"}).text
    assert '<html lang="bn">' in page
    assert "পরের পাতা" in page  # Next page
    gone = client.get("/s/" + "x" * 43 + "/")
    assert 'class="language-switcher"' in gone.text


def test_the_share_page_keeps_its_address_from_other_sites_only(client, org, items):
    link = _share(_document(items, org, pages=1), org.rep_east)

    response = client.get(f"/s/{link.token}/")

    # Not "no-referrer": the switcher's form would post with `Origin: null`.
    assert response["Referrer-Policy"] == "same-origin"
