from __future__ import annotations

import io
import zlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from reportlab.pdfgen import canvas

from library import pdf, services
from library.models import LibraryItem
from library.selectors import library_search


def _pdf(*pages: str) -> bytes:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for text in pages:
        drawing.drawString(72, 720, text)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def _upload(items, org, content: bytes, filename="pricing.pdf", capture=None):
    item = items.make(kind=LibraryItem.Kind.DOCUMENT, card_kind="", title="One-pager")
    with capture(execute=True):
        services.item_file_add(
            item=item, file=ContentFile(content), filename=filename, by=org.admin
        )
    item.refresh_from_db()
    return item


def test_it_reads_the_text_and_draws_the_first_page(tmp_path):
    src = tmp_path / "a.pdf"
    src.write_bytes(_pdf("Seat pricing: 49 per month", "Second page volume discount"))
    contents = pdf.read_pdf(src, tmp_path / "a.png")
    assert contents.pages == 2
    assert "Seat pricing: 49 per month" in contents.text
    assert "volume discount" in contents.text
    assert (tmp_path / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"%PDF-1.7\nnot really a pdf", "not a readable PDF"),
        (b"", "not a readable PDF"),
        (b"<html>hello</html>", "not a readable PDF"),
    ],
)
def test_it_explains_why_a_broken_pdf_has_no_preview(tmp_path, content, reason):
    src = tmp_path / "bad.pdf"
    src.write_bytes(content)
    with pytest.raises(pdf.PdfUnreadable, match=reason):
        pdf.read_pdf(src, tmp_path / "bad.png")
    assert not (tmp_path / "bad.png").exists()
    assert not (tmp_path / "bad.png.part").exists()


def test_it_stops_a_pdf_that_takes_too_long(tmp_path):
    # A page whose content stream is a huge run of drawing operators.
    ops = b"0 0 m 1 1 l S\n" * 3_000_000
    stream = zlib.compress(ops)
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]"
        b"/Contents 4 0 R>>endobj\n"
        b"4 0 obj<</Length "
        + str(len(stream)).encode()
        + b"/Filter/FlateDecode>>stream\n"
        + stream
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    src = tmp_path / "slow.pdf"
    src.write_bytes(body)
    with pytest.raises(pdf.PdfUnreadable, match="longer than|memory or time"):
        pdf.read_pdf(src, tmp_path / "slow.png", timeout=0.5)


def test_an_uploaded_pdf_gets_a_preview_and_is_found_by_its_text(
    client, org, items, django_capture_on_commit_callbacks
):
    item = _upload(
        items,
        org,
        _pdf("Northwind pricing: seats from 49 dollars"),
        capture=django_capture_on_commit_callbacks,
    )
    assert item.preview_status == "ready"
    assert "seats from 49 dollars" in item.extracted_text
    hits = library_search(viewer=org.rep_east, query="dollars").hits
    assert [hit.item for hit in hits] == [item]
    client.force_login(org.rep_east)
    page = client.get(reverse("library_item", args=[item.pk])).content.decode()
    assert reverse("library_preview", args=[item.pk]) in page
    picture = client.get(reverse("library_preview", args=[item.pk]))
    assert b"".join(picture.streaming_content)[:4] == b"\x89PNG"
    client.force_login(org.rep_north)
    items_north = reverse("library_preview", args=[item.pk])
    item.audience_everyone = False
    item.save()
    item.audience_teams.set([org.east])
    assert client.get(items_north).status_code == 404


def test_a_malformed_pdf_shows_no_preview_with_the_reason(
    client, org, items, django_capture_on_commit_callbacks
):
    item = _upload(
        items, org, b"%PDF-1.4 garbage", capture=django_capture_on_commit_callbacks
    )
    assert item.preview_status == "none"
    client.force_login(org.rep_east)
    page = client.get(reverse("library_item", args=[item.pk])).content.decode()
    assert "No preview: it is not a readable PDF" in page


def test_a_broken_office_file_has_no_preview_and_says_why(
    org, items, django_capture_on_commit_callbacks
):
    item = _upload(
        items,
        org,
        b"PK\x03\x04 not parsed",
        filename="deck.pptx",
        capture=django_capture_on_commit_callbacks,
    )
    assert (item.preview_status, item.preview_failure) == (
        "none",
        "it is not a readable Office file.",
    )


def test_a_replaced_version_is_not_previewed(org, items):
    item = items.make(kind=LibraryItem.Kind.DOCUMENT, card_kind="")
    old = services.item_file_add(
        item=item, file=ContentFile(_pdf("old")), filename="a.pdf", by=None
    )
    services.item_file_add(
        item=item, file=ContentFile(_pdf("new")), filename="a.pdf", by=None
    )
    assert services.item_preview_make(item_id=item.pk, file_id=old.pk) == "skipped"
