"""The child process of library.pdf: opens one PDF with PDFium, writes the first
page as a PNG and prints its page count and text as JSON. Its errors go to stderr
as one line (the reason shown as "no preview")."""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    import pypdfium2 as pdfium

    src, out, max_pages, max_chars, width = argv
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
    first = document[0]
    page_width, page_height = first.get_size()
    if page_width <= 0 or page_height <= 0:
        sys.stderr.write("its first page has no size" + "\n")
        return 2
    scale = min(int(width) / page_width, 4.0)
    if page_height * scale > 4 * int(width):
        scale = 4 * int(width) / page_height
    first.render(scale=scale).to_pil().save(out, format="PNG")
    sys.stdout.write(
        json.dumps({"pages": pages, "text": "\n".join(texts)[: int(max_chars)]})
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
