"""A rep who meets the last requirement gets the certificate, downloads the PDF, and
the verification page confirms it."""

from __future__ import annotations

import io
from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from certificates.models import Certificate
from courses.models import LessonCompletion
from courses.services import lesson_complete
from lms.accounts.models import User
from tests.certificates.program_kit import ProgramKit


def test_it_certifies_a_rep_who_meets_the_last_requirement(
    page: Page, new_context: Callable[..., BrowserContext], sign_in, tmp_path
):
    kit = ProgramKit()
    maya = User.objects.get(email="maya@northwind.example")
    kit.pass_quiz(maya, percent=90)
    kit.approve_review(maya, score="4.00")
    kit.approve_review(maya, score="3.50")
    for lesson in (kit.lessons[0], kit.quiz):
        lesson_complete(user=maya, lesson=lesson, how=LessonCompletion.How.READ)
    sign_in("maya@northwind.example")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Certificates"
    ).click()
    expect(page.get_by_role("heading", name="My certificates")).to_be_visible()
    expect(page.get_by_text("2 of 3 met")).to_be_visible()
    expect(page.get_by_text("2 of 3 required steps done")).to_be_visible()
    page.get_by_role("link", name="Go there").click()

    page.goto(kit.lessons[1].url)
    page.get_by_role("button", name="Mark as complete and continue").click()
    page.goto("/certificates/")

    (certificate,) = Certificate.objects.filter(user=maya)
    expect(page.get_by_text("Certified", exact=True)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=certificate.serial)
    expect(row.get_by_text("Valid")).to_be_visible()
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == f"{certificate.serial}.pdf"
    pdf_path = tmp_path / "certificate.pdf"
    download.save_as(pdf_path)
    text = PdfReader(io.BytesIO(pdf_path.read_bytes())).pages[0].extract_text()
    assert "Maya Chen" in text
    assert certificate.serial in text

    link = row.get_by_label(f"Verification link of {certificate.serial}")
    verification_url = link.input_value()
    assert verification_url.endswith(f"/verify/{certificate.verification_code}/")
    # Anyone with the link, signed in or not, sees it confirmed.
    visitor = new_context().new_page()
    visitor.goto(urlsplit(verification_url).path)
    panel = visitor.get_by_role("region", name="Certificate verification")
    expect(panel).to_contain_text("Valid")
    expect(panel).to_contain_text("Maya Chen")
    expect(panel).to_contain_text("Certified Discovery Seller")
    visitor.close()
