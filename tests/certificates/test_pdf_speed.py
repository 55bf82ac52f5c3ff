"""The certificate PDF after the speed work: the same bytes as before it, the same QR
symbol as reportlab's own encoder, and caches that never leak one certificate into
another."""

from __future__ import annotations

import hashlib
import random
import string

import pytest
from reportlab.graphics.barcode import qrencoder

from certificates.pdf import render_certificate_pdf
from certificates.qr import _bits, _lost_points, qr_modules
from tests.certificates.pdf_data import certificate_data, png_logo


def reportlab_modules(text: str) -> tuple[str, ...]:
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    return tuple("".join("1" if cell else "0" for cell in row) for row in code.modules)


# SHA-256 of the PDFs the renderer made before it was made faster (reportlab
# building every path and image for every certificate). A deliberate change of the
# design changes these; a faster way of drawing the same page must not.
BYTES_BEFORE_THE_SPEED_WORK = {
    "plain": "a0646fc7c01bb2b747a68f2a066abd6ab6b8901e4ca4de784115524d3ac515f9",
    "logo": "a4b9c59f6d9c2e95f2592030c5d57a6e57c1191299c9f5042d6cfad56ccd3050",
    "no expiry, no signatory": (
        "221ce8da3a0293b107bd5b44a1637f73c56e33628e379348f83e198a813baca4"
    ),
    "long url": "ba47eea929e59ecb9a735edeccbfaa4c63028789c69397fe65c98d38aec81cd1",
}


@pytest.mark.parametrize("case", sorted(BYTES_BEFORE_THE_SPEED_WORK))
def test_it_renders_the_bytes_it_rendered_before(case):
    overrides: dict[str, object] = {
        "plain": {},
        "logo": {"logo": png_logo()},
        "no expiry, no signatory": {"expires_on": None, "signatory": ""},
        "long url": {"verification_url": "https://learn.example.com/" + "x" * 300},
    }[case]

    pdf = render_certificate_pdf(certificate_data(**overrides))

    assert hashlib.sha256(pdf).hexdigest() == BYTES_BEFORE_THE_SPEED_WORK[case]


def test_it_makes_the_qr_symbol_reportlab_makes():
    # Every QR version a verification URL can need, and texts in the numeric and
    # 8-bit modes: the mask chosen (and so every module) must be reportlab's.
    chooser = random.Random(20)
    alphabet = string.ascii_letters + string.digits + "-_/"
    texts = [
        "https://learn.example.com/verify/"
        + "".join(chooser.choice(alphabet) for _ in range(length))
        for length in (1, 10, 24, 40, 60, 90, 130, 200, 300)
        for _ in range(4)
    ]
    texts += ["0123456789" * 8, "Łódź " * 12]

    for text in texts:
        assert qr_modules(text) == reportlab_modules(text), text


def test_it_keeps_certificates_apart_when_rendering_many_in_turn():
    first_logo, second_logo = png_logo(), png_logo((200, 20, 20, 255))
    certificates = [
        certificate_data(logo=first_logo),
        certificate_data(
            holder_name="Νικόλαος Παπαδόπουλος",
            verification_url="http://localhost:8000/verify/other/",
            logo=second_logo,
        ),
        certificate_data(logo=b"not an image", serial="NW-2026-00043"),
        certificate_data(serial="NW-2026-00044"),
    ]

    first_round = [render_certificate_pdf(data) for data in certificates]
    second_round = [render_certificate_pdf(data) for data in reversed(certificates)]

    assert first_round == list(reversed(second_round))
    assert len(set(first_round)) == len(certificates)


def test_it_scores_every_mask_as_reportlab_does():
    chooser = random.Random(3)
    for length in (5, 30, 70, 150, 260, 400):
        text = "".join(chooser.choice(string.printable) for _ in range(length))
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(text)
        code.version = code.calculate_version()
        for pattern in range(8):
            code.makeImpl(True, pattern)
            rows = tuple(_bits(row) for row in code.modules)
            columns = tuple(_bits(column) for column in zip(*code.modules, strict=True))

            assert _lost_points(
                rows, columns, code.moduleCount
            ) == qrencoder.QRUtil.getLostPoint(code), (text, pattern)
