"""People who read Onramp in another language: Lucía (Spanish) reads a translated
lesson and her progress counts for the English page; Jonas (Bengali) works through
the navigation, My learning, a lesson, a quiz and his certificate PDF in Bengali."""

from __future__ import annotations

import io

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from certificates.models import Certificate
from courses.models import LessonCompletion
from courses.services import lesson_complete
from lms.accounts.models import User
from tests.certificates.program_kit import ProgramKit
from tests.factories import CoursePageFactory, LessonPageFactory
from tests.translations import translate_page


def test_lucia_reads_the_spanish_lesson_and_her_progress_counts(page: Page, sign_in):
    course = CoursePageFactory(title="Objection handling", summary="Say yes, and.")
    first = LessonPageFactory(
        parent=course, title="A framework", body=[("paragraph", "<p>Listen.</p>")]
    )
    second = LessonPageFactory(
        parent=course, title="Pricing", body=[("paragraph", "<p>Value.</p>")]
    )
    translate_page(course, "es", title="Manejo de objeciones", summary="Sí, y además.")
    translate_page(
        first,
        "es",
        title="Un método para cualquier objeción",
        body=[("paragraph", "<p>Escucha primero.</p>")],
    )
    sign_in("lucia@northwind.example")
    lucia = User.objects.get(email="lucia@northwind.example")

    page.goto(course.url)
    expect(page.get_by_role("heading", name="Manejo de objeciones")).to_be_visible()
    page.get_by_role("link", name="Un método para cualquier objeción").first.click()
    expect(
        page.get_by_role("heading", name="Un método para cualquier objeción").first
    ).to_be_visible()
    expect(page.get_by_text("Escucha primero.")).to_be_visible()
    assert page.url.endswith(first.url)
    page.get_by_role("button", name="Marcar como completada y continuar").click()

    page.wait_for_url(f"**{second.url}")
    expect(
        page.get_by_text(
            "Esta página aún no está traducida al español; se muestra la versión "
            "en inglés."
        )
    ).to_be_visible()
    expect(page.get_by_text("Value.")).to_be_visible()
    assert LessonCompletion.objects.filter(user=lucia, lesson_id=first.pk).exists()


def test_jonas_works_through_onramp_in_bengali(page: Page, sign_in, tmp_path):
    kit = ProgramKit()
    jonas = User.objects.get(email="jonas@northwind.example")
    kit.pass_quiz(jonas, percent=90)
    kit.approve_review(jonas, score="4.00")
    kit.approve_review(jonas, score="3.50")
    for lesson in (kit.lessons[0], kit.quiz):
        lesson_complete(user=jonas, lesson=lesson, how=LessonCompletion.How.READ)
    sign_in("jonas@northwind.example")

    navigation = page.get_by_role("navigation", name="প্রধান")
    navigation.get_by_role("link", name="আমার শেখা").click()
    expect(page.get_by_role("heading", name="আমার শেখা")).to_be_visible()

    page.goto(kit.lessons[1].url)
    expect(
        page.get_by_text("এই পাতাটি এখনও বাংলা ভাষায় অনুবাদ করা হয়নি; ইংরেজি সংস্করণ দেখানো হচ্ছে।")
    ).to_be_visible()
    page.get_by_role("button", name="সম্পন্ন হিসেবে চিহ্নিত করে এগিয়ে যান").click()
    page.wait_for_url(f"**{kit.quiz.url}")
    expect(
        page.get_by_role("heading", name="Discovery calls quiz").first
    ).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "bn")

    navigation = page.get_by_role("navigation", name="প্রধান")
    navigation.get_by_role("link", name="সার্টিফিকেট").click()
    expect(page.get_by_role("heading", name="আমার সার্টিফিকেট")).to_be_visible()
    (certificate,) = Certificate.objects.filter(user=jonas)
    row = page.get_by_role("row").filter(has_text=certificate.serial)
    with page.expect_download() as download_info:
        row.get_by_role("link", name="ডাউনলোড").click()
    pdf = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = pdf.pages[0].extract_text()
    assert "Jonas Weber" in text
    assert certificate.serial in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in pdf.pages[0]["/Resources"]["/Font"].values()
    }
    assert any("Bengali" in name for name in fonts)
