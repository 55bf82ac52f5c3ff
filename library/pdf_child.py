"""The child process of library.pdf: opens one PDF with PDFium, writes its first
pages as PNGs (page 1 always, the next ones while within the time budget) and
prints its page count and text as JSON. Its errors go to stderr as one line (the
reason shown as "no preview")."""

from __future__ import annotations

import json
import os
import sys
import time


def picture_path(first: str, number: int) -> str:
    """Where page `number` is drawn: page 1 at `first`, the others beside it
    (`preview.png.part` -> `preview-2.png.part`)."""
    if number == 1:
        return first
    folder, name = os.path.split(first)
    stem, dot, rest = name.partition(".")
    return os.path.join(folder, f"{stem}-{number}{dot}{rest}")


def main(argv: list[str]) -> int:
    import pypdfium2 as pdfium

    src, out, max_pages, max_chars, width, max_pictures, budget = argv
    started = time.monotonic()
    try:
        document = pdfium.PdfDocument(src)
    except pdfium.PdfiumError as error:
        sys.stderr.write(f"it is not a readable PDF ({error})" + "\n")
        return 2
    pages = len(document)
    if pages == 0:
        sys.stderr.write("it has no pages" + "\n")
        return 2
    texts: list[str] = []
    total = 0
    for index in range(min(pages, int(max_pages))):
        page = document[index]
        text = page.get_textpage().get_text_range()
        texts.append(text)
        total += len(text)
        if total >= int(max_chars):
            break
    pictures = 0
    for index in range(min(pages, max(1, int(max_pictures)))):
        # Past the budget, the pages drawn so far are kept: a heavy document
        # still gets its preview rather than running into the timeout.
        if index and time.monotonic() - started > float(budget):
            break
        page = document[index]
        page_width, page_height = page.get_size()
        if page_width <= 0 or page_height <= 0:
            if index == 0:
                sys.stderr.write("its first page has no size" + "\n")
                return 2
            break
        scale = min(int(width) / page_width, 4.0)
        if page_height * scale > 4 * int(width):
            scale = 4 * int(width) / page_height
        page.render(scale=scale).to_pil().save(
            picture_path(out, index + 1), format="PNG"
        )
        page.close()
        pictures += 1
    sys.stdout.write(
        json.dumps(
            {
                "pages": pages,
                "pictures": pictures,
                "text": "\n".join(texts)[: int(max_chars)],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
