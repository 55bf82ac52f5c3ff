"""A prospect reads a shared PDF page by page, signed out (the pages need no script
and break no Content-Security-Policy rule), and the rep sees which pages were
viewed."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from library import services
from library.models import LibraryItem
from lms.accounts.models import User
from tests.e2e.test_library import _signed_in


def _three_pages() -> bytes:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for number in (1, 2, 3):
        drawing.drawString(72, 720, f"Harbor & Pine, page {number}")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def test_a_prospect_reads_the_pages_and_the_rep_sees_them(new_context, demo_people):
    maya = User.objects.get(email="maya@northwind.example")
    item = LibraryItem.objects.create(
        kind="document",
        title="Case study: Harbor & Pine",
        owner=User.objects.get(email="priya@northwind.example"),
        shareable=True,
        downloadable=False,
    )
    version = services.item_file_add(
        item=item, file=ContentFile(_three_pages()), filename="case.pdf", by=maya
    )
    services.item_preview_make(item_id=item.pk, file_id=version.pk)
    link = services.share_link_create(
        item=item,
        rep=maya,
        prospect_name="Erin Walsh",
        prospect_email="erin@harborpine.example",
        prospect_company="Harbor & Pine",
    )

    prospect = new_context().new_page()
    prospect.goto(f"/s/{link.token}/")
    expect(prospect.get_by_text("Page 1 of 3")).to_be_visible()
    prospect.get_by_role("link", name="Next page →").click()
    expect(prospect.get_by_text("Page 2 of 3")).to_be_visible()
    picture = prospect.get_by_alt_text("Page 2 of Case study: Harbor & Pine")
    expect(picture).to_be_visible()
    # Visible as soon as it is laid out; drawn once its picture has arrived.
    prospect.wait_for_function(
        "image => image.complete && image.naturalWidth > 0",
        arg=picture.element_handle(),
    )
    expect(prospect.get_by_role("link", name="Download")).to_have_count(0)

    rep = _signed_in(new_context, "maya@northwind.example")
    rep.goto("/library/shared/")
    expect(rep.locator(f"#link-{link.pk} td").nth(4)).to_have_text("1–2 of 3")


def test_a_prospect_reads_the_shared_page_in_bengali(new_context, demo_people):
    maya = User.objects.get(email="maya@northwind.example")
    item = LibraryItem.objects.create(
        kind="document",
        title="Case study: Harbor & Pine",
        owner=User.objects.get(email="priya@northwind.example"),
        shareable=True,
    )
    version = services.item_file_add(
        item=item, file=ContentFile(_three_pages()), filename="case.pdf", by=maya
    )
    services.item_preview_make(item_id=item.pk, file_id=version.pk)
    link = services.share_link_create(
        item=item,
        rep=maya,
        prospect_name="Erin Walsh",
        prospect_email="erin@harborpine.example",
        prospect_company="Harbor & Pine",
    )

    prospect = new_context(locale="en-GB").new_page()
    prospect.goto(f"/s/{link.token}/")
    expect(prospect.get_by_text("Page 1 of 3")).to_be_visible()
    prospect.get_by_label("Language").select_option("bn")
    prospect.get_by_role("button", name="Change").click()

    expect(prospect.locator("html")).to_have_attribute("lang", "bn")
    expect(prospect.get_by_text("৩ পাতার মধ্যে ১")).to_be_visible()
    prospect.get_by_role("link", name="পরের পাতা →").click()
    expect(prospect.get_by_text("৩ পাতার মধ্যে ২")).to_be_visible()
    expect(prospect.get_by_label("ভাষা")).to_have_value("bn")
