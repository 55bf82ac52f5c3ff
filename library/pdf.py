"""Reading hostile PDFs: the first pages as pictures and the text, for previews,
the page-by-page reader of share links, and search. Pure: files in, result out,
no database.

The rules, enforced here:

- the caller caps the size first (the site's upload cap);
- PDFium runs in a child process (`python -m library.pdf_child`), never in the
  worker itself, so a crash or a hang in the parser takes only the child;
- the child gets an address-space limit (RLIMIT_AS) and a CPU-time limit
  (RLIMIT_CPU), and is killed at the wall-clock timeout;
- it reads at most `max_pages` pages of text and keeps `max_chars` characters;
- it draws at most `max_pictures` pages, each at a bounded size, and no page
  after the first once half the timeout has passed; the pictures are written to
  temp names and renamed only when the whole run succeeded;
- nothing reaches the network: PDFium opens no URLs, and the child is given no
  file but the PDF and the output path.

Any failure is a PdfUnreadable with a reason a person can read ("no preview: ...").
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_noop

from library import pdf_child


class PdfUnreadable(Exception):
    """The PDF could not be read; `str()` says why, for the item page."""


@dataclass(frozen=True)
class PdfContents:
    pages: int
    text: str
    pictures: tuple[Path, ...] = ()  # page 1 first: the preview


def picture_path(preview: Path, number: int) -> Path:
    """Where page `number` is drawn: page 1 is `preview`, the others beside it
    (`preview.png` -> `preview-2.png`)."""
    return Path(pdf_child.picture_path(str(preview), number))


def _limits(memory_mb: int, cpu_seconds: int) -> Callable[[], None]:
    def apply() -> None:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))

    return apply


def read_pdf(
    src: Path,
    preview: Path,
    *,
    timeout: float = 30,
    memory_limit_mb: int = 768,
    max_pages: int = 200,
    max_chars: int = 200_000,
    preview_width: int = 800,
    max_pictures: int = 1,
) -> PdfContents:
    """Render the first page of `src` to a PNG at `preview` (and the next ones,
    up to `max_pictures` pages, beside it) and return its text."""
    tmp = preview.with_name(preview.name + ".part")
    command = [
        sys.executable,
        "-m",
        "library.pdf_child",
        str(src),
        str(tmp),
        str(max_pages),
        str(max_chars),
        str(preview_width),
        str(max_pictures),
        # Pages after the first are drawn only in the first half of the time.
        str(timeout / 2),
    ]
    try:
        finished = subprocess.run(
            command,
            capture_output=True,
            timeout=timeout,
            preexec_fn=_limits(memory_limit_mb, int(timeout) + 1),
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as error:
        _parts_delete(tmp, max_pictures)
        raise PdfUnreadable(f"reading it took longer than {timeout:g} s") from error
    if finished.returncode != 0:
        _parts_delete(tmp, max_pictures)
        message = finished.stderr.decode(errors="replace").strip().splitlines()
        reason = (
            message[-1] if message else f"the reader stopped ({finished.returncode})"
        )
        if finished.returncode < 0 or "MemoryError" in reason:
            reason = gettext_noop(
                "it needs more memory or time than a document may use"
            )
        raise PdfUnreadable(reason[:300])
    result = json.loads(finished.stdout)
    pictures = tuple(
        picture_path(preview, number) for number in range(1, result["pictures"] + 1)
    )
    for number, picture in enumerate(pictures, start=1):
        picture_path(tmp, number).replace(picture)
    return PdfContents(
        pages=int(result["pages"]), text=str(result["text"]), pictures=pictures
    )


def _parts_delete(tmp: Path, max_pictures: int) -> None:
    for number in range(1, max(1, max_pictures) + 1):
        picture_path(tmp, number).unlink(missing_ok=True)
