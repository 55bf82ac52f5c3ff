"""The certificate PDF: one landscape A4 page drawn with reportlab from plain data.

Pure (no ORM, no storage): `certificates.rendering` gathers the data from the
database and stores the bytes. Every piece of user text is drawn with `drawString`
(never through `Paragraph` markup, which reportlab evaluates: CVE-2023-33733), so a
name such as `<font color="red">Eve</font>` prints exactly as typed. The same data
always gives the same bytes (reportlab's invariant mode fixes the creation date and
document id). What does not change between certificates (the fonts, a decoded and
downscaled logo) is prepared once per process.

A string with Bengali letters is drawn in Noto Sans Bengali, shaped by HarfBuzz
(reportlab's `shapeStr`, with uharfbuzz): conjuncts joined and vowel signs placed
before their consonant, which a font alone would print broken. Any other string is
drawn in DejaVu, which covers Latin, Greek and Cyrillic names.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import io
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import ImageReader, _digester, simpleSplit
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, shapeStr
from reportlab.pdfgen.canvas import Canvas

from certificates.qr import qr_modules

logger = logging.getLogger(__name__)

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
# The font that draws a string with Bengali letters, for each of the page's fonts.
BENGALI_FONTS = {REGULAR: "NotoSansBengali", BOLD: "NotoSansBengali-Bold"}
_BENGALI = re.compile("[\u0980-\u09ff]")

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
INK = HexColor("#1d2b3a")
ACCENT = HexColor("#1f4e79")
GOLD = HexColor("#b08d57")
MUTED = HexColor("#5b6670")
PAPER = HexColor("#fbfaf6")

# A logo is shown at most this size (points) and kept at three times that in pixels
# (216 dpi: sharp in print, small enough to compress quickly for every PDF).
LOGO_BOX = (150.0, 60.0)
LOGO_PIXELS = (450, 180)
QR_SIZE = 92.0
QR_QUIET_MODULES = 2
_DARK_RUN = re.compile("1+")

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate, already decided by the caller."""

    organisation_name: str
    holder_name: str
    program_title: str
    issued_on: dt.date
    expires_on: dt.date | None
    serial: str
    verification_url: str
    signatory: str = ""
    logo: bytes | None = None
    wording: CertificateWording | None = None  # None: English


@dataclass(frozen=True)
class CertificateWording:
    """The page's own words and dates, in the holder's language; the defaults are
    English. `signed_for` and `subject` are final texts (empty: the English ones)."""

    heading: str = "Certificate"
    certifies: str = "This certifies that"
    met_every_requirement: str = "has met every requirement of the program"
    issued: str = "Issued"
    valid_until: str = "Valid until"
    does_not_expire: str = "Does not expire"
    serial: str = "Serial"
    scan_to_verify: str = "Scan to verify"
    signed_for: str = ""
    subject: str = ""
    format_date: Callable[[dt.date], str] = field(default=lambda day: format_date(day))

    def for_organisation(self, organisation: str) -> str:
        return self.signed_for or f"for {organisation}"

    def subject_of(self, serial: str) -> str:
        return self.subject or f"Certificate {serial}"


ENGLISH = CertificateWording()


def render_certificate_pdf(data: CertificateData) -> bytes:
    """The PDF bytes of one certificate. Used by `certificates.rendering` (in a Celery
    task) and by the benchmark; the same data always gives the same bytes."""
    _register_fonts()
    words = data.wording or ENGLISH
    buffer = io.BytesIO()
    canvas = _ScriptCanvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,
    )
    canvas.setTitle(f"{data.program_title} · {data.holder_name}")
    canvas.setAuthor(data.organisation_name)
    canvas.setSubject(words.subject_of(data.serial))
    canvas.setCreator("Onramp")

    _draw_frame(canvas)
    _draw_heading(canvas, data, words)
    _draw_holder(canvas, data, words)
    _draw_dates(canvas, data, words)
    _draw_signature(canvas, data, words)
    _draw_qr(canvas, data.verification_url, words)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def format_date(day: dt.date) -> str:
    """'27 November 2026', whatever the process locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


_fonts_lock = threading.Lock()
_fonts_registered = False


def _register_fonts() -> None:
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:
        if not _fonts_registered:
            pdfmetrics.registerFont(TTFont(REGULAR, FONTS_DIR / "DejaVuSans.ttf"))
            pdfmetrics.registerFont(TTFont(BOLD, FONTS_DIR / "DejaVuSans-Bold.ttf"))
            for name, file in (
                (BENGALI_FONTS[REGULAR], "NotoSansBengali-Regular.ttf"),
                (BENGALI_FONTS[BOLD], "NotoSansBengali-Bold.ttf"),
            ):
                pdfmetrics.registerFont(TTFont(name, FONTS_DIR / file))
            _fonts_registered = True


def _typeset(text: str, font: str, size: float) -> tuple[str, str]:
    """`text` as drawn in a page font: shaped, in the Bengali font, when it has
    Bengali letters; as it is otherwise. Returns the text and the font to use."""
    script_font = _script_font(text, font)
    if script_font == font:
        return text, font
    return shapeStr(text, script_font, size), script_font


def _script_font(text: str, font: str) -> str:
    return BENGALI_FONTS[font] if _BENGALI.search(text) else font


class _ScriptCanvas(Canvas):
    """reportlab's canvas, drawing each string in the font of its script
    (`_typeset`); the page's code sets DejaVu and never thinks about scripts."""

    def _in_script(
        self, draw: Callable[..., None], x: float, y: float, text: str
    ) -> None:
        font, size = self._fontname, self._fontsize
        typeset, script_font = _typeset(text, font, size)
        if script_font == font:
            draw(x, y, text)
            return
        self.setFont(script_font, size)
        draw(x, y, typeset)
        self.setFont(font, size)

    def drawString(self, x: float, y: float, text: str, **kwargs: object) -> None:
        self._in_script(functools.partial(super().drawString, **kwargs), x, y, text)

    def drawCentredString(
        self, x: float, y: float, text: str, **kwargs: object
    ) -> None:
        self._in_script(
            functools.partial(super().drawCentredString, **kwargs), x, y, text
        )

    def drawRightString(self, x: float, y: float, text: str, **kwargs: object) -> None:
        self._in_script(
            functools.partial(super().drawRightString, **kwargs), x, y, text
        )


def _draw_frame(canvas: Canvas) -> None:
    canvas.setFillColor(PAPER)
    canvas.rect(0, 0, PAGE_WIDTH, PAGE_HEIGHT, stroke=0, fill=1)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(20, 20, PAGE_WIDTH - 40, PAGE_HEIGHT - 40, stroke=1, fill=0)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.rect(28, 28, PAGE_WIDTH - 56, PAGE_HEIGHT - 56, stroke=1, fill=0)
    canvas.setFillColor(GOLD)
    for x, y in ((28, 28), (PAGE_WIDTH - 28, 28), (28, PAGE_HEIGHT - 28)):
        _diamond(canvas, x, y, 5)
    _diamond(canvas, PAGE_WIDTH - 28, PAGE_HEIGHT - 28, 5)


def _diamond(canvas: Canvas, x: float, y: float, radius: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + radius)
    path.lineTo(x + radius, y)
    path.lineTo(x, y - radius)
    path.lineTo(x - radius, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_heading(
    canvas: Canvas, data: CertificateData, words: CertificateWording
) -> None:
    centre = PAGE_WIDTH / 2
    logo = _prepared_logo(data.logo) if data.logo else None
    if logo is not None:
        _draw_logo(canvas, logo, 52, PAGE_HEIGHT - 52 - logo.height)
    organisation = data.organisation_name.upper()
    _centred_fitting(
        canvas,
        organisation,
        y=PAGE_HEIGHT - 78,
        font=BOLD,
        size=13,
        min_size=8,
        max_width=PAGE_WIDTH - 2 * 220,
        color=MUTED,
        char_space=2.5,
    )
    canvas.setFillColor(ACCENT)
    canvas.setFont(BOLD, 40)
    canvas.drawCentredString(centre, PAGE_HEIGHT - 145, words.heading)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1)
    canvas.line(centre - 80, PAGE_HEIGHT - 168, centre - 10, PAGE_HEIGHT - 168)
    canvas.line(centre + 10, PAGE_HEIGHT - 168, centre + 80, PAGE_HEIGHT - 168)
    canvas.setFillColor(GOLD)
    _diamond(canvas, centre, PAGE_HEIGHT - 168, 4)


def _draw_holder(
    canvas: Canvas, data: CertificateData, words: CertificateWording
) -> None:
    canvas.setFillColor(INK)
    canvas.setFont(REGULAR, 14)
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 215, words.certifies)
    bottom = _centred_fitting(
        canvas,
        data.holder_name,
        y=PAGE_HEIGHT - 262,
        font=BOLD,
        size=36,
        min_size=18,
        max_width=PAGE_WIDTH - 160,
        color=INK,
        max_lines=2,
    )
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.line(PAGE_WIDTH / 2 - 220, bottom - 12, PAGE_WIDTH / 2 + 220, bottom - 12)
    canvas.setFillColor(INK)
    canvas.setFont(REGULAR, 14)
    canvas.drawCentredString(PAGE_WIDTH / 2, bottom - 40, words.met_every_requirement)
    _centred_fitting(
        canvas,
        data.program_title,
        y=bottom - 72,
        font=BOLD,
        size=22,
        min_size=12,
        max_width=PAGE_WIDTH - 200,
        color=ACCENT,
        max_lines=2,
    )


def _draw_dates(
    canvas: Canvas, data: CertificateData, words: CertificateWording
) -> None:
    rows = [
        (words.issued, words.format_date(data.issued_on)),
        (
            words.valid_until,
            words.format_date(data.expires_on)
            if data.expires_on
            else words.does_not_expire,
        ),
        (words.serial, data.serial),
    ]
    # Values start after the widest label (longer in some languages than English).
    labels_width = max(_text_width(label.upper(), REGULAR, 9) for label, _ in rows)
    value_x = max(134.0, 60 + labels_width + 10)
    y = 120.0
    for label, value in rows:
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 9)
        canvas.drawString(60, y, label.upper())
        # A long date ("22 de septiembre de 2027") shrinks a little before clipping.
        width = 290 - value_x
        size = _fitting_size(value, BOLD, 11, 9, width)
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, size)
        canvas.drawString(value_x, y, _clipped(value, BOLD, size, width))
        y -= 22


def _draw_signature(
    canvas: Canvas, data: CertificateData, words: CertificateWording
) -> None:
    centre = PAGE_WIDTH / 2
    width = 250.0
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.6)
    canvas.line(centre - 100, 96, centre + 100, 96)
    if data.signatory:
        size = _fitting_size(data.signatory, BOLD, 11, 8, width)
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, size)
        canvas.drawCentredString(
            centre, 80, _clipped(data.signatory, BOLD, size, width)
        )
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 9)
    canvas.drawCentredString(
        centre,
        64 if data.signatory else 80,
        _clipped(words.for_organisation(data.organisation_name), REGULAR, 9, width),
    )


def _draw_qr(canvas: Canvas, url: str, words: CertificateWording) -> None:
    modules = qr_modules(url)
    left = PAGE_WIDTH - 60 - QR_SIZE
    bottom = 74.0
    canvas.setFillColor(Color(1, 1, 1))
    canvas.rect(left, bottom, QR_SIZE, QR_SIZE, stroke=0, fill=1)
    canvas.setFillColor(Color(0, 0, 0))
    # One path of a rectangle per run of dark modules, written as reportlab's
    # `path.rect` writes it, from coordinates formatted once per symbol size.
    xs, ys, widths, height = _qr_geometry(len(modules))
    rectangles = ["n"]  # how reportlab starts a path
    for row_index, row in enumerate(modules):
        row_bottom = ys[row_index]
        for run in _DARK_RUN.finditer(row):
            start, end = run.span()
            rectangles.append(
                f"{xs[start]} {row_bottom} {widths[end - start]} {height} re"
            )
    canvas.addLiteral(" ".join(rectangles))
    canvas.addLiteral("f*")  # the rectangles never overlap: any fill rule will do
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 8)
    canvas.drawCentredString(
        left + QR_SIZE / 2, bottom + QR_SIZE + 6, words.scan_to_verify
    )
    canvas.setFont(REGULAR, 6.5)
    y = bottom - 10
    for line in _wrapped_characters(url, REGULAR, 6.5, 215, max_lines=3):
        canvas.drawRightString(left + QR_SIZE, y, line)
        y -= 8


def _wrapped_characters(
    text: str, font: str, size: float, max_width: float, *, max_lines: int
) -> list[str]:
    """A URL (it has no spaces) broken into lines that fit, after a "/" where one
    allows it so that the parts read as parts of an address."""
    # The last line's glyph widths are summed as it grows, in the order reportlab's
    # `stringWidth` sums them, so each comparison is the one it would make.
    face = pdfmetrics.getFont(font).face
    glyph_widths, default_width = face.charWidths, face.defaultWidth
    lines = [""]
    total = 0.0
    for character in text:
        line = lines[-1]
        width = glyph_widths.get(ord(character), default_width)
        if 0.001 * size * (total + width) > max_width:
            cut = line.rfind("/") + 1
            if cut <= line.find("//") + 2 or cut == len(line):
                cut = len(line)
            lines[-1:] = [line[:cut], line[cut:]]
            total = sum(
                glyph_widths.get(ord(kept), default_width) for kept in line[cut:]
            )
        lines[-1] += character
        total += width
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [
            _clipped("".join(lines[max_lines - 1 :]), font, size, max_width)
        ]
    return lines


@functools.lru_cache(maxsize=32)
def _qr_geometry(
    count: int,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str]:
    """For a QR symbol `count` modules wide: the left edge of each column, the
    bottom of each row, the width of each run length (indexed by length) and the
    module's height, as PDF numbers."""
    module = QR_SIZE / (count + 2 * QR_QUIET_MODULES)
    left = PAGE_WIDTH - 60 - QR_SIZE
    top = 74.0 + QR_SIZE - QR_QUIET_MODULES * module
    return (
        tuple(fp_str(left + (QR_QUIET_MODULES + c) * module) for c in range(count)),
        tuple(fp_str(top - (r + 1) * module) for r in range(count)),
        tuple(fp_str(n * module) for n in range(count + 1)),
        fp_str(module),
    )


def _text_width(text: str, font: str, size: float, char_space: float = 0) -> float:
    spacing = char_space * (len(text) - 1) if text else 0
    typeset, script_font = _typeset(text, font, size)
    return float(pdfmetrics.stringWidth(typeset, script_font, size)) + spacing


def _fitting_size(
    text: str,
    font: str,
    size: float,
    min_size: float,
    max_width: float,
    char_space: float = 0,
) -> float:
    while size > min_size and _text_width(text, font, size, char_space) > max_width:
        size -= 1
    return size


def _clipped(
    text: str, font: str, size: float, max_width: float, char_space: float = 0
) -> str:
    if _text_width(text, font, size, char_space) <= max_width:
        return text
    while text and _text_width(text + "…", font, size, char_space) > max_width:
        text = text[:-1]
    return text + "…"


def _centred_fitting(
    canvas: Canvas,
    text: str,
    *,
    y: float,
    font: str,
    size: float,
    min_size: float,
    max_width: float,
    color: Color,
    max_lines: int = 1,
    char_space: float = 0,
) -> float:
    """Draw `text` centred at baseline `y`, shrinking it to fit `max_width` and then
    wrapping it onto at most `max_lines` lines (the last clipped with an ellipsis).
    Returns the baseline of the last line drawn."""
    text = " ".join(text.split())
    if _BENGALI.search(text):
        char_space = 0  # spacing letters apart would break Bengali's joined ones
    size = _fitting_size(text, font, size, min_size, max_width, char_space)
    if char_space:
        lines = [_clipped(text, font, size, max_width, char_space)]
    else:
        # Lines broken at widths before shaping: a Bengali line may come out shorter.
        lines = simpleSplit(text, _script_font(text, font), size, max_width) or [""]
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [
            _clipped(" ".join(lines[max_lines - 1 :]), font, size, max_width)
        ]
    canvas.setFillColor(color)
    canvas.setFont(font, size)
    for line in lines:
        if char_space:
            _spaced_centred(
                canvas, line, y, font=font, size=size, char_space=char_space
            )
        else:
            canvas.drawCentredString(PAGE_WIDTH / 2, y, line)
        y -= size * 1.2
    return y + size * 1.2


def _spaced_centred(
    canvas: Canvas, text: str, y: float, *, font: str, size: float, char_space: float
) -> None:
    width = _text_width(text, font, size, char_space)
    line = canvas.beginText((PAGE_WIDTH - width) / 2, y)
    line.setFont(font, size)
    line.setCharSpace(char_space)
    line.textOut(text)
    line.setCharSpace(0)  # character spacing outlives the text object otherwise
    canvas.drawText(line)


@dataclass(frozen=True)
class PreparedLogo:
    """A logo ready to draw: its PDF image objects already encoded (compressing
    and encoding the pixels costs more than the rest of the page), and its size on
    the page. The objects are templates: every PDF gets its own copies."""

    name: str
    image: pdfdoc.PDFImageXObject
    width: float
    height: float


def _draw_logo(canvas: Canvas, logo: PreparedLogo, x: float, y: float) -> None:
    """What `canvas.drawImage(reader, x, y, width, height, mask="auto")` does, with
    the image objects it would encode copied from `logo`: the same PDF bytes."""
    document = canvas._doc
    canvas._currentPageHasImages = 1
    registered = document.getXObjectName(logo.name)
    if registered not in document.idToObject:
        image = copy.copy(logo.image)
        canvas._setXObjects(image)
        document.Reference(image, registered)
        document.addForm(logo.name, image)
        smask = getattr(image, "_smask", None)
        if smask is not None:
            smask = copy.copy(smask)
            mask_name = document.getXObjectName(smask.name)
            if mask_name in document.idToObject:
                image.smask = pdfdoc.PDFObjectReference(mask_name)
            else:
                canvas._setXObjects(smask)
                image.smask = document.Reference(smask, mask_name)
            del image._smask
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(logo.width, logo.height)
    canvas.addLiteral(f"/{registered} Do")
    canvas.restoreState()
    canvas._formsinuse.append(logo.name)


_logo_lock = threading.Lock()
_logos: OrderedDict[str, PreparedLogo | None] = OrderedDict()
LOGO_CACHE_SIZE = 4


def _prepared_logo(logo: bytes) -> PreparedLogo | None:
    """The logo decoded, downscaled and encoded for PDF, with its size on the page;
    prepared once per process and logo (a logo that changes in the branding
    setting is new bytes, so a new entry). None for bytes that are not an image: a
    certificate is still issued without it."""
    key = hashlib.sha256(logo).hexdigest()
    with _logo_lock:
        if key in _logos:
            _logos.move_to_end(key)
            return _logos[key]
    prepared = _decode_logo(logo)
    with _logo_lock:
        _logos[key] = prepared
        while len(_logos) > LOGO_CACHE_SIZE:
            _logos.popitem(last=False)
    return prepared


def _decode_logo(logo: bytes) -> PreparedLogo | None:
    try:
        with Image.open(io.BytesIO(logo)) as opened:
            opened.load()
            image = opened.convert(
                "RGBA"
                if "A" in opened.getbands() or "transparency" in opened.info
                else "RGB"
            )
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        logger.warning("The certificate logo is not an image; printing without it.")
        return None
    image.thumbnail(LOGO_PIXELS)
    scale = min(LOGO_BOX[0] / image.width, LOGO_BOX[1] / image.height)
    reader = ImageReader(image)
    # The name and objects `canvas.drawImage(reader, mask="auto")` would make.
    pixels = reader.getRGBData()  # also splits off the alpha channel
    alpha = reader._dataA
    name = _digester(pixels + (alpha.getRGBData() if alpha else b"auto"))
    template = pdfdoc.PDFImageXObject(name, reader, mask="auto")
    template.name = name
    return PreparedLogo(
        name=name,
        image=template,
        width=image.width * scale,
        height=image.height * scale,
    )
