from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from library import office, services
from library.models import LibraryItem
from library.selectors import library_search

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx(*paragraphs: str) -> bytes:
    runs = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    return _zip(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": f'<w:document xmlns:w="{W}"><w:body>{runs}'
            "</w:body></w:document>",
        }
    )


def _slide(text: str) -> str:
    runs = f"<a:p><a:r><a:t>{text}</a:t></a:r></a:p>"
    return f'<p:sld xmlns:p="p" xmlns:a="{A}">{runs}</p:sld>'


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_it_reads_the_text_of_word_powerpoint_and_excel_files(tmp_path):
    docx = _write(tmp_path, "a.docx", _docx("Pricing for grocers.", "Seats from 49."))
    assert (
        office.read_office_text(docx, "docx") == "Pricing for grocers. Seats from 49."
    )
    pptx = _write(
        tmp_path,
        "a.pptx",
        _zip(
            {
                "ppt/slides/slide10.xml": _slide("Tenth"),
                "ppt/slides/slide2.xml": _slide("Second"),
                "ppt/slides/slide1.xml": _slide("First"),
            }
        ),
    )
    assert office.read_office_text(pptx, "pptx") == "First Second Tenth"
    strings = f'<sst xmlns="{S}"><si><t>Region</t></si><si><t>Stockouts</t></si></sst>'
    xlsx = _write(tmp_path, "a.xlsx", _zip({"xl/sharedStrings.xml": strings}))
    assert office.read_office_text(xlsx, "xlsx") == "Region Stockouts"


@pytest.mark.parametrize(
    ("parts", "reason"),
    [
        (
            {"word/document.xml": "<w:document/>", "word/vbaProject.bin": b"\0"},
            "it contains macros.",
        ),
        (
            {
                "word/document.xml": '<!DOCTYPE d [<!ENTITY a "aaaa">'
                "<!ENTITY b '&a;&a;&a;'>]><d>&b;</d>"
            },
            "its XML declares entities or a DTD.",
        ),
        ({"word/document.xml": "<w:document"}, "its text is not well-formed XML."),
    ],
)
def test_it_refuses_hostile_office_files_with_a_reason(tmp_path, parts, reason):
    path = _write(tmp_path, "a.docx", _zip(parts))
    with pytest.raises(office.OfficeUnreadable, match=reason):
        office.read_office_text(path, "docx")


def test_it_stops_unpacking_a_zip_bomb_at_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "MAX_PART_BYTES", 10_000)
    bomb = "<d>" + "0" * 1_000_000 + "</d>"
    path = _write(tmp_path, "a.docx", _zip({"word/document.xml": bomb}))
    assert path.stat().st_size < 10_000
    with pytest.raises(office.OfficeUnreadable, match="more than the limit"):
        office.read_office_text(path, "docx")


def test_it_refuses_an_encrypted_part_with_a_reason(tmp_path):
    data = bytearray(_zip({"word/document.xml": "<w:document/>"}))
    # Mark the part encrypted (bit 0 of the general-purpose flags) in its local
    # and central headers, as a password-protected file has it.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    path = _write(tmp_path, "a.docx", bytes(data))
    with pytest.raises(office.OfficeUnreadable, match="it is encrypted"):
        office.read_office_text(path, "docx")


def test_it_refuses_what_is_not_a_zip(tmp_path):
    path = _write(tmp_path, "a.docx", b"not a zip at all")
    with pytest.raises(office.OfficeUnreadable, match="not a readable Office file"):
        office.read_office_text(path, "docx")


def test_an_uploaded_word_file_is_found_by_its_text(
    client, org, items, django_capture_on_commit_callbacks
):
    item = items.make(kind=LibraryItem.Kind.DOCUMENT, card_kind="", title="Brief")
    with django_capture_on_commit_callbacks(execute=True):
        services.item_file_add(
            item=item,
            file=ContentFile(_docx("Answers to the security questionnaire.")),
            filename="brief.docx",
            by=org.admin,
        )
    item.refresh_from_db()
    assert item.extracted_text == "Answers to the security questionnaire."
    hits = library_search(viewer=org.rep_east, query="questionnaire").hits
    assert [hit.item for hit in hits] == [item]
    client.force_login(org.rep_east)
    page = client.get(reverse("library_item", args=[item.pk])).content.decode()
    assert "No preview: Previews are made for PDFs only." in page


def test_a_renamed_macro_file_shows_no_preview_and_says_why(
    client, org, items, django_capture_on_commit_callbacks
):
    item = items.make(kind=LibraryItem.Kind.DOCUMENT, card_kind="", title="Deck")
    content = _zip({"ppt/slides/slide1.xml": _slide("Hi"), "ppt/vbaProject.bin": b""})
    with django_capture_on_commit_callbacks(execute=True):
        services.item_file_add(
            item=item, file=ContentFile(content), filename="deck.pptx", by=org.admin
        )
    item.refresh_from_db()
    assert (item.preview_status, item.extracted_text) == ("none", "")
    client.force_login(org.rep_east)
    page = client.get(reverse("library_item", args=[item.pk])).content.decode()
    assert "No preview: it contains macros." in page
