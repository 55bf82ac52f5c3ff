"""The certificate PDF: what it prints (read back with pypdf), its QR code (decoded
from the rendered page), repeatable output, and one stored file per certificate."""

from __future__ import annotations

import datetime as dt
import io
import threading
from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from django.db import connection
from pypdf import PdfReader
from wagtail.images.models import Image as WagtailImage
from wagtail.models import Site

from certificates.models import Certificate, CertificateBranding, CertificationProgram
from certificates.pdf import format_date, render_certificate_pdf
from certificates.rendering import certificate_render_pdf
from certificates.tasks import certificate_render_pdf_task
from tests.certificates.pdf_data import certificate_data, png_logo
from tests.factories import RepFactory

NAMES = ["Łukasz Żółć", "José Müller", '<font color="red">Eve</font>']


def page_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def decoded_qr_codes(pdf: bytes) -> list[str]:
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=3).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def make_certificate(**overrides: object) -> Certificate:
    program = CertificationProgram.objects.get_or_create(
        title="Certified Discovery Seller", defaults={"validity_months": 12}
    )[0]
    values: dict[str, object] = {
        "program": program,
        "user": RepFactory(full_name="José Müller"),
        "serial": "NW-2026-00001",
        "verification_code": "q8Zr2LkP0aXv5TbN7cWmYe3H",
        "holder_name": "José Müller",
        "program_title": program.title,
        "issued_at": dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
        "expires_at": dt.datetime(2027, 3, 2, 9, 0, tzinfo=dt.UTC),
    }
    values.update(overrides)
    return Certificate.objects.create(**values)


def stored_names() -> list[str]:
    storage = storages["private"]
    if not storage.exists("certificates"):
        return []
    folders, files = storage.listdir("certificates")
    assert folders == []
    return sorted(files)


@pytest.mark.parametrize("name", NAMES)
def test_it_prints_the_name_exactly_as_typed(name):
    text = page_text(render_certificate_pdf(certificate_data(holder_name=name)))

    assert name in text
    assert "Certified Discovery Seller" in text
    assert "NW-2026-00042" in text


def test_it_prints_markup_in_a_name_as_text_not_as_formatting():
    pdf = render_certificate_pdf(
        certificate_data(holder_name='<font color="red">Eve</font>')
    )

    assert '<font color="red">Eve</font>' in page_text(pdf)
    drawing = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()
    assert b"1 0 0 rg" not in drawing  # nothing was painted red


def test_it_prints_the_dates_the_serial_and_the_verification_url():
    text = page_text(render_certificate_pdf(certificate_data()))

    assert "2 March 2026" in text
    assert "2 March 2027" in text
    assert "NW-2026-00042" in text
    assert "Northwind Traders".upper() in text
    assert "Grace Adeyemi, Head of Enablement" in text
    assert "http://localhost:8000/verify/q8Zr2LkP0aXv5TbN7cWmYe3H/" in text


def test_it_says_when_a_certificate_does_not_expire():
    text = page_text(render_certificate_pdf(certificate_data(expires_on=None)))

    assert "Does not expire" in text


def test_it_wraps_a_long_verification_url_without_losing_characters():
    url = "https://learning.northwind-traders-international.example.com/verify/q8Zr2LkP0aXv5TbN7cWmYe3H/"
    pdf = render_certificate_pdf(certificate_data(verification_url=url))

    assert url in "".join(page_text(pdf).split())
    assert decoded_qr_codes(pdf) == [url]


def test_it_fits_a_very_long_name_on_the_page():
    name = "Maria Fernanda de los Ángeles Rodríguez-Villanueva y Castellanos " * 4
    text = page_text(render_certificate_pdf(certificate_data(holder_name=name)))

    assert "Maria Fernanda de los Ángeles" in text
    assert "…" in text


def test_it_encodes_the_verification_url_in_the_qr_code():
    data = certificate_data()

    assert decoded_qr_codes(render_certificate_pdf(data)) == [data.verification_url]


def test_it_renders_the_same_bytes_for_the_same_data():
    logo = png_logo()

    first = render_certificate_pdf(certificate_data(logo=logo))
    other = render_certificate_pdf(
        certificate_data(holder_name="Νικόλαος Παπαδόπουλος", serial="NW-2026-00043")
    )
    again = render_certificate_pdf(certificate_data(logo=logo))

    assert first == again
    assert first != other


def test_it_draws_the_logo_when_there_is_one():
    with_logo = PdfReader(
        io.BytesIO(render_certificate_pdf(certificate_data(logo=png_logo())))
    )
    without = PdfReader(io.BytesIO(render_certificate_pdf(certificate_data())))

    assert len(with_logo.pages[0].images) == 1
    assert len(without.pages[0].images) == 0


def test_it_leaves_out_a_logo_that_is_not_an_image():
    pdf = render_certificate_pdf(certificate_data(logo=b"<svg>not a bitmap</svg>"))

    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 0
    assert "Łukasz Żółć" in page_text(pdf)


def test_it_is_a_landscape_a4_page():
    page = PdfReader(io.BytesIO(render_certificate_pdf(certificate_data()))).pages[0]

    assert round(float(page.mediabox.width)) == 842
    assert round(float(page.mediabox.height)) == 595


def test_it_formats_dates_without_depending_on_the_locale():
    assert format_date(dt.date(2026, 12, 1)) == "1 December 2026"


@pytest.mark.django_db
def test_it_stores_the_pdf_of_a_certificate_in_private_storage(settings):
    settings.SITE_URL = "https://learn.example.com"
    certificate = make_certificate()

    name = certificate_render_pdf(certificate_id=certificate.pk)

    certificate.refresh_from_db()
    assert name == "certificates/q8Zr2LkP0aXv5TbN7cWmYe3H.pdf"
    assert certificate.pdf == name
    assert certificate.pdf_rendered_at is not None
    with storages["private"].open(name, "rb") as stored:
        pdf = stored.read()
    text = page_text(pdf)
    assert "José Müller" in text
    assert "NW-2026-00001" in text
    assert "Onramp".upper() in text
    url = "https://learn.example.com/verify/q8Zr2LkP0aXv5TbN7cWmYe3H/"
    assert url in "".join(text.split())
    assert decoded_qr_codes(pdf) == [url]


@pytest.mark.django_db
def test_it_prints_the_name_and_title_as_they_were_at_issue():
    certificate = make_certificate(
        holder_name="Łukasz Żółć", program_title="Discovery Seller (2026 edition)"
    )
    certificate.user.full_name = "Lukasz Zolc"
    certificate.user.save()
    certificate.program.title = "Discovery Seller (2027 edition)"
    certificate.program.save()

    name = certificate_render_pdf(certificate_id=certificate.pk)

    with storages["private"].open(name, "rb") as stored:
        text = page_text(stored.read())
    assert "Łukasz Żółć" in text
    assert "Discovery Seller (2026 edition)" in text
    assert "Lukasz Zolc" not in text


@pytest.mark.django_db
def test_it_prints_dates_on_the_holders_calendar():
    user = RepFactory(time_zone="Pacific/Auckland")
    certificate = make_certificate(
        user=user,
        issued_at=dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC),
        expires_at=None,
    )

    name = certificate_render_pdf(certificate_id=certificate.pk)

    with storages["private"].open(name, "rb") as stored:
        text = page_text(stored.read())
    assert "3 March 2026" in text
    assert "Does not expire" in text


@pytest.mark.django_db
def test_it_follows_the_qr_code_to_a_page_that_says_valid(
    client, settings, time_machine
):
    time_machine.move_to("2026-06-01 12:00Z", tick=False)
    settings.SITE_URL = "http://testserver"
    certificate = make_certificate()
    with storages["private"].open(
        certificate_render_pdf(certificate_id=certificate.pk), "rb"
    ) as stored:
        (url,) = decoded_qr_codes(stored.read())

    response = client.get(urlsplit(url).path)

    assert response.status_code == 200
    assert "Valid" in response.content.decode()
    assert "José Müller" in response.content.decode()


@pytest.mark.django_db
def test_it_uses_the_branding_setting_of_the_default_site(settings):
    site = Site.objects.get(is_default_site=True)
    logo = WagtailImage.objects.create(
        title="Northwind logo",
        file=ImageFile(io.BytesIO(png_logo()), name="northwind.png"),
    )
    CertificateBranding.objects.create(
        site=site,
        organisation_name="Northwind Traders",
        logo=logo,
        signatory="Grace Adeyemi, Head of Enablement",
    )
    certificate = make_certificate()

    with storages["private"].open(
        certificate_render_pdf(certificate_id=certificate.pk), "rb"
    ) as stored:
        pdf = stored.read()

    text = page_text(pdf)
    assert "NORTHWIND TRADERS" in text
    assert "Grace Adeyemi, Head of Enablement" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1


@pytest.mark.django_db
def test_it_renders_without_a_logo_whose_file_is_gone():
    site = Site.objects.get(is_default_site=True)
    logo = WagtailImage.objects.create(
        title="Northwind logo",
        file=ImageFile(io.BytesIO(png_logo()), name="northwind.png"),
    )
    storages["default"].delete(logo.file.name)
    CertificateBranding.objects.create(site=site, logo=logo)
    certificate = make_certificate()

    with storages["private"].open(
        certificate_render_pdf(certificate_id=certificate.pk), "rb"
    ) as stored:
        pdf = stored.read()

    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 0
    assert "José Müller" in page_text(pdf)


@pytest.mark.django_db
def test_it_replaces_the_file_when_rendering_again():
    certificate = make_certificate()

    first = certificate_render_pdf(certificate_id=certificate.pk)
    with storages["private"].open(first, "rb") as stored:
        first_bytes = stored.read()
    second = certificate_render_pdf(certificate_id=certificate.pk)

    assert first == second
    assert stored_names() == ["q8Zr2LkP0aXv5TbN7cWmYe3H.pdf"]
    with storages["private"].open(second, "rb") as stored:
        assert stored.read() == first_bytes


@pytest.mark.django_db
def test_it_renders_through_the_celery_task():
    certificate = make_certificate()

    name = certificate_render_pdf_task.delay(certificate.pk).get()

    assert name == "certificates/q8Zr2LkP0aXv5TbN7cWmYe3H.pdf"
    assert stored_names() == ["q8Zr2LkP0aXv5TbN7cWmYe3H.pdf"]


@pytest.mark.django_db
def test_it_does_nothing_for_a_certificate_that_is_gone():
    certificate = make_certificate()
    certificate_id = certificate.pk
    certificate.delete()

    assert certificate_render_pdf(certificate_id=certificate_id) == ""
    assert stored_names() == []


@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_file_when_two_renders_race(reset_without_post_migrate):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks between threads need PostgreSQL; SQLite has none.")
    certificate = make_certificate()
    start = threading.Barrier(4)
    results: list[str] = []
    errors: list[BaseException] = []

    def render() -> None:
        try:
            start.wait()
            results.append(certificate_render_pdf(certificate_id=certificate.pk))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=render) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert set(results) == {"certificates/q8Zr2LkP0aXv5TbN7cWmYe3H.pdf"}
    assert stored_names() == ["q8Zr2LkP0aXv5TbN7cWmYe3H.pdf"]
    certificate.refresh_from_db()
    assert certificate.pdf == "certificates/q8Zr2LkP0aXv5TbN7cWmYe3H.pdf"


@pytest.mark.django_db
def test_it_replaces_the_file_in_storage_without_local_paths(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    certificate = make_certificate()

    certificate_render_pdf(certificate_id=certificate.pk)
    name = certificate_render_pdf(certificate_id=certificate.pk)

    assert name == "certificates/q8Zr2LkP0aXv5TbN7cWmYe3H.pdf"
    assert stored_names() == ["q8Zr2LkP0aXv5TbN7cWmYe3H.pdf"]
    with storages["private"].open(name, "rb") as stored:
        assert "José Müller" in page_text(stored.read())
