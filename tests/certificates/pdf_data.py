"""A fixed certificate's data and a PNG logo, for the PDF tests."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image, ImageDraw

from certificates.pdf import CertificateData


def certificate_data(**overrides: object) -> CertificateData:
    values: dict[str, object] = {
        "organisation_name": "Northwind Traders",
        "holder_name": "Łukasz Żółć",
        "program_title": "Certified Discovery Seller",
        "issued_on": dt.date(2026, 3, 2),
        "expires_on": dt.date(2027, 3, 2),
        "serial": "NW-2026-00042",
        "verification_url": "http://localhost:8000/verify/q8Zr2LkP0aXv5TbN7cWmYe3H/",
        "signatory": "Grace Adeyemi, Head of Enablement",
    }
    values.update(overrides)
    return CertificateData(**values)  # type: ignore[arg-type]


def png_logo(color: tuple[int, int, int, int] = (31, 78, 121, 255)) -> bytes:
    image = Image.new("RGBA", (900, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 290, 290), fill=color)
    draw.rectangle((330, 110, 880, 190), fill=(176, 141, 87, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
