"""Reading the text of hostile Office files (DOCX, PPTX, XLSX) for search. Pure:
a file in, text out, no database.

The rules, enforced here:

- the caller caps the file's size first (the site's upload cap);
- an Office file is a zip: at most MAX_MEMBERS members, each XML part read is at
  most MAX_PART_BYTES uncompressed and all of them together MAX_TOTAL_BYTES,
  counted while reading (a zip bomb stops at the cap, whatever its header says);
- a file holding macros (a `vbaProject.bin` part) is refused: it passed the
  extension check only by being renamed;
- XML is parsed with defusedxml (no entities, no external references, no DTDs);
- the text keeps at most `max_chars` characters.

Any failure is an OfficeUnreadable with a reason a person can read, kept in English
(LibraryItem.preview_failure_label translates it when shown).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext_noop as _

from lms.lib.zips import EntryBroken, EntryEncrypted, EntryTooLarge, entry_read

MAX_MEMBERS = 2_000
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 60 * 1024 * 1024

# The parts that hold the text a person reads, per kind, and the XML element
# (local name) that holds each run of text.
_PARTS = {
    "docx": (re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml"), "t"),
    "pptx": (re.compile(r"ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml"), "t"),
    "xlsx": (re.compile(r"xl/sharedStrings\.xml"), "t"),
}


class OfficeUnreadable(Exception):
    """The file could not be read; `str()` says why, for the item page."""


def read_office_text(path: Path, extension: str, *, max_chars: int = 200_000) -> str:
    """The text of a DOCX, PPTX or XLSX file, parts in their natural order."""
    if extension not in _PARTS:
        raise OfficeUnreadable(_("it is not a Word, PowerPoint or Excel file."))
    pattern, element = _PARTS[extension]
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise OfficeUnreadable(_("it has too many parts."))
            names = [member.filename for member in members]
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise OfficeUnreadable(_("it contains macros."))
            parts = sorted(
                (name for name in names if pattern.fullmatch(name)), key=_natural
            )
            texts: list[str] = []
            budget = MAX_TOTAL_BYTES
            length = 0
            for name in parts:
                data = _read_capped(
                    archive, archive.getinfo(name), min(MAX_PART_BYTES, budget)
                )
                budget -= len(data)
                for run in _runs(data, element):
                    texts.append(run)
                    length += len(run) + 1
                if length >= max_chars:
                    break
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
        raise OfficeUnreadable(_("it is not a readable Office file.")) from error
    return " ".join(texts)[:max_chars]


def _read_capped(archive: zipfile.ZipFile, part: zipfile.ZipInfo, cap: int) -> bytes:
    try:
        return entry_read(archive, part, cap=cap)
    except EntryEncrypted:
        raise OfficeUnreadable(_("it is encrypted.")) from None
    except EntryTooLarge:
        raise OfficeUnreadable(_("it unpacks to more than the limit.")) from None
    except EntryBroken as error:
        raise OfficeUnreadable(_("it is not a readable Office file.")) from error


def _runs(data: bytes, element: str) -> list[str]:
    try:
        root = ElementTree.fromstring(data)
    except DefusedXmlException as error:
        raise OfficeUnreadable(_("its XML declares entities or a DTD.")) from error
    except ElementTree.ParseError as error:
        raise OfficeUnreadable(_("its text is not well-formed XML.")) from error
    return [
        node.text
        for node in root.iter()
        if node.text and node.tag.rsplit("}", 1)[-1] == element
    ]


def _natural(name: str) -> list[object]:
    """slide2 before slide10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
