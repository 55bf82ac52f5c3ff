"""Time certificate PDF rendering on one core, with QR code and Unicode names.

    .venv/bin/python bench/certificates.py [--count 300]

Renders `count` different certificates (each with its own holder name in Polish,
German, Spanish, Greek or Vietnamese spelling, serial and verification URL, so a
different QR code) with a PNG logo, in this one process and thread, the way the
Celery task does, and prints how many it made per second of CPU time (what one core
does, whatever else the machine is running) and of wall time. The first certificate
in a fresh process also pays for loading the fonts and decoding the logo; it is
timed on its own. The last line holds the figure for scripts:

    certificates_per_second=<float>
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import secrets
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402

from certificates.pdf import CertificateData, render_certificate_pdf  # noqa: E402

NAMES = [
    "Łukasz Żółć",
    "José Müller",
    "Zoë Ångström-Łęcka",
    "Νικόλαος Παπαδόπουλος",
    "Nguyễn Thị Minh Khai",
    "Søren Kierkegård",
    "François-Xavier Dupré",
    "Ağça Çelik",
]


def make_logo() -> bytes:
    image = Image.new("RGBA", (1200, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 380, 380), fill=(31, 78, 121, 255))
    draw.rectangle((440, 150, 1180, 250), fill=(176, 141, 87, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def certificates(count: int, logo: bytes | None) -> list[CertificateData]:
    base = CertificateData(
        organisation_name="Northwind Traders",
        holder_name=NAMES[0],
        program_title="Certified Discovery Seller",
        issued_on=dt.date(2026, 3, 2),
        expires_on=dt.date(2027, 3, 2),
        serial="NW-2026-00000",
        verification_url="",
        signatory="Grace Adeyemi, Head of Enablement",
        logo=logo,
    )
    return [
        replace(
            base,
            holder_name=f"{NAMES[number % len(NAMES)]} {number}",
            serial=f"NW-2026-{number:05d}",
            verification_url="https://learn.northwind.example/verify/"
            f"{secrets.token_urlsafe(18)}/",
        )
        for number in range(count)
    ]


def timed(batch: list[CertificateData]) -> tuple[float, float, int]:
    """CPU seconds, wall seconds and bytes for rendering the whole batch."""
    size = 0
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    for data in batch:
        size += len(render_certificate_pdf(data))
    return (
        time.process_time() - cpu_started,
        time.perf_counter() - wall_started,
        size,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=300)
    arguments = parser.parse_args()
    logo = make_logo()

    first_cpu, first_wall, _ = timed(certificates(1, logo))
    print(
        f"first certificate in a fresh process (fonts loaded, logo decoded): "
        f"{first_wall * 1000:.0f} ms"
    )
    results = {}
    for label, with_logo in (("without logo", None), ("with logo", logo)):
        batch = certificates(arguments.count, with_logo)
        cpu, wall, size = timed(batch)
        results[label] = arguments.count / cpu
        print(
            f"{arguments.count} certificates {label}, QR code, Unicode names: "
            f"{arguments.count / cpu:.1f}/s of one core's CPU time "
            f"({cpu / arguments.count * 1000:.1f} ms each), "
            f"{arguments.count / wall:.1f}/s wall time, "
            f"{size / arguments.count / 1024:.0f} KB each "
            f"(load average {os.getloadavg()[0]:.1f})"
        )
    print(f"certificates_per_second={results['with logo']:.1f}")


if __name__ == "__main__":
    main()
