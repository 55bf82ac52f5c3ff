"""Certificates in the holder's language: My certificates, the team view, the
verification page, the e-mails and the PDF (Spanish, and Bengali shaped in its own
font)."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from certificates import notices, services
from certificates.models import Certificate
from certificates.pdf import BOLD, _register_fonts, _text_width
from certificates.rendering import certificate_render_pdf
from certificates.services import certificate_issue
from lms.lib import clock

pytestmark = pytest.mark.django_db

BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


@pytest.fixture(autouse=True)
def after_issue(monkeypatch):
    monkeypatch.setattr(services, "_after_issue", lambda certificate_id: None)


def _speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def _issue(kit, user, *, days_ago: int = 0) -> Certificate:
    certificate, _ = certificate_issue(
        user=user,
        program=kit.program,
        cycle=1,
        issued_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    return certificate


def test_my_certificates_speak_spanish_to_a_rep_who_chose_it(client, program_kit, org):
    rep = _speaking(org.rep_east2, "es")
    program_kit.pass_quiz(rep)
    client.force_login(rep)

    page = client.get(reverse("certificates_mine")).text

    assert "<h1>Mis certificados</h1>" in page
    assert "1 de 3 cumplidos" in page
    assert "0 de 2 por ahora: envía una grabación para revisión." in page
    assert "Todavía no tienes certificados." in page
    assert "/jsi18n/" in page  # the copy button's messages


def test_my_certificates_speak_bengali_with_the_date_in_bengali(
    client, program_kit, org
):
    rep = _speaking(org.rep_east, "bn")
    certificate = _issue(program_kit, rep)
    client.force_login(rep)

    page = client.get(reverse("certificates_mine")).text

    assert "আমার সার্টিফিকেট" in page
    assert "এই সার্টিফিকেট আপনার কাছে" in page
    month = [
        "জানুয়ারি",
        "ফেব্রুয়ারি",
        "মার্চ",
        "এপ্রিল",
        "মে",
        "জুন",
        "জুলাই",
        "আগস্ট",
        "সেপ্টেম্বর",
        "অক্টোবর",
        "নভেম্বর",
        "ডিসেম্বর",
    ]
    # The page shows dates in the holder's time zone.
    expires = timezone.localtime(certificate.expires_at, ZoneInfo(rep.time_zone))
    # Compared in one Unicode form: "য়" is written either as one character or as
    # য plus a nukta (Django's catalogue uses one, this list the other).
    expected = f"{expires.day} {month[expires.month - 1]}, {expires.year}".translate(
        BENGALI_DIGITS
    )
    assert unicodedata.normalize("NFC", expected) in unicodedata.normalize("NFC", page)


def test_the_team_view_counts_expiring_certificates_with_plurals(
    client, program_kit, org
):
    _issue(program_kit, org.rep_east, days_ago=350)
    _issue(program_kit, org.rep_east2, days_ago=300)
    client.force_login(_speaking(org.region_manager, "es"))

    page = client.get(reverse("certificates_team")).text

    assert "1 vence en 30 días" in page
    assert "2 vencen en 90 días" in page
    assert "Vencen en 60 días" in page  # the expiry filter's choices


def test_the_public_verification_page_follows_the_visitors_browser(
    client, program_kit, org
):
    certificate = _issue(program_kit, org.rep_east)

    page = client.get(
        reverse("certificate_verify", args=[certificate.verification_code]),
        headers={"accept_language": "es"},
    ).text

    assert "<strong>Vigente.</strong> Este certificado está vigente hasta el" in page
    assert "<dt>Titular</dt>" in page


def test_the_issued_e_mail_goes_out_in_the_holders_language(program_kit, org):
    certificate = _issue(program_kit, _speaking(org.rep_east, "es"))

    assert notices.certificate_notify_issued(certificate=certificate)

    (message,) = mail.outbox
    assert message.subject == "Ya tienes la certificación: Certified Discovery Seller"
    assert "enhorabuena: ya tienes la certificación" in message.body
    assert "N.º de serie: " in message.body
    assert " de " in message.body.split("Emitido: ")[1].splitlines()[0]


def test_the_renewal_e_mail_lists_what_to_do_in_bengali(program_kit, org):
    certificate = _issue(program_kit, _speaking(org.rep_east, "bn"), days_ago=350)
    Certificate.objects.filter(pk=certificate.pk).update(
        renewal_opened_at=timezone.now()
    )
    certificate.refresh_from_db()

    assert notices.renewal_notify(certificate=certificate)

    (message,) = mail.outbox
    assert message.subject == "আপনার “Certified Discovery Seller” সার্টিফিকেট নবায়ন করুন"
    assert "কী করতে হবে:" in message.body
    assert "কোর্সটি সম্পন্ন করুন: " in message.body  # the renewal course's line
    assert "টি সম্পন্ন: কোর্সটি চালিয়ে যান।" in message.body


def _pdf_text(certificate: Certificate) -> str:
    certificate_render_pdf(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    with storages["private"].open(certificate.pdf, "rb") as data:
        return PdfReader(io.BytesIO(data.read())).pages[0].extract_text()


def test_the_pdf_is_printed_in_spanish_for_a_spanish_speaker(program_kit, org):
    certificate = _issue(program_kit, _speaking(org.rep_east, "es"))

    text = _pdf_text(certificate)

    assert "Se certifica que" in text
    assert "ha cumplido todos los requisitos del programa" in text
    assert "VIGENTE HASTA" in text
    with translation.override("es"):  # "22 de septiembre de 2027", whole
        expires = formats.date_format(
            clock.local_date(certificate.expires_at, certificate.user.time_zone),
            "DATE_FORMAT",
        )
    assert expires in text


def test_the_pdf_is_printed_in_bengali_shaped_in_a_bengali_font(program_kit, org):
    certificate = _issue(program_kit, _speaking(org.rep_east, "bn"))

    certificate_render_pdf(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    with storages["private"].open(certificate.pdf, "rb") as data:
        page = PdfReader(io.BytesIO(data.read())).pages[0]
    text = page.extract_text()

    fonts = {font["/BaseFont"] for font in page["/Resources"]["/Font"].values()}
    assert any("NotoSansBengali" in font for font in fonts)
    assert "This certifies that" not in text
    # Joined letters are single glyphs and vowel signs stand before their consonant,
    # so a PDF reader cannot spell the words back; Bengali letters are there.
    assert sum("\u0980" <= character <= "\u09ff" for character in text) > 40
    assert certificate.holder_name in text  # a Latin name, drawn in DejaVu


def test_the_bengali_pdf_writes_its_dates_in_bengali_digits_and_the_serial_not(
    program_kit, org
):
    certificate = _issue(program_kit, _speaking(org.rep_east, "bn"))

    text = _pdf_text(certificate)

    expires = clock.local_date(certificate.expires_at, certificate.user.time_zone)
    assert str(expires.year).translate(BENGALI_DIGITS) in text
    assert str(expires.year) not in text.replace(certificate.serial, "")
    assert certificate.serial in text  # a code, read back to verify


def test_bengali_is_shaped_not_drawn_letter_by_letter():
    _register_fonts()  # as rendering a certificate does first
    # "ক্ষ" (ka, virama, ssa) is one joined letter: narrower than its parts.
    joined = _text_width("ক্ষ", BOLD, 20)
    parts = sum(_text_width(letter, BOLD, 20) for letter in "ক্ষ")
    assert 0 < joined < parts * 0.8
