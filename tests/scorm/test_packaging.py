"""Reading packages: the SCORM versions, and every kind of hostile zip refused."""

from __future__ import annotations

import io
import stat
import zipfile
from decimal import Decimal

import pytest

from courses.scorm.packaging import Limits, PackageRefused, package_read
from tests.scorm.packages import scorm12_files, scorm2004_files, zip_of

LIMITS = Limits(max_files=50, max_unpacked_bytes=5 * 1024**2, max_compression_ratio=100)


def refusal(data: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(PackageRefused) as refused:
        package_read(data, limits=limits)
    return str(refused.value)


def test_it_reads_a_scorm_12_package_with_its_mastery_score() -> None:
    package = package_read(zip_of(scorm12_files(scos=["One", "Two"])), limits=LIMITS)
    assert package.standard_name == "SCORM 1.2"
    assert package.title == "Objection handling"
    assert [sco.title for sco in package.scos] == ["One", "Two"]
    assert package.scos[1].launch == "sco1/index.html"
    assert package.scos[0].mastery_score == Decimal(80)
    assert "imsmanifest.xml" not in package.served_files


def test_it_reads_a_scorm_2004_package_with_its_scaled_passing_score() -> None:
    package = package_read(zip_of(scorm2004_files()), limits=LIMITS)
    assert package.standard_name == "SCORM 2004"
    assert package.schema_version == "2004 4th Edition"
    assert package.scos[0].scaled_passing_score == Decimal("0.7")
    assert package.served_files == ["content/sco0.html"]  # no schema, no manifest


@pytest.mark.parametrize("edition", ["CAM 1.3", "2004 3rd Edition"])
def test_it_reads_the_2nd_and_3rd_editions(edition: str) -> None:
    files = scorm2004_files()
    files["imsmanifest.xml"] = str(files["imsmanifest.xml"]).replace(
        "2004 4th Edition", edition
    )
    assert package_read(zip_of(files), limits=LIMITS).standard == "2004"


def test_it_adds_the_item_parameters_and_follows_xml_base() -> None:
    files = scorm12_files()
    manifest = str(files["imsmanifest.xml"])
    manifest = (
        manifest.replace(
            'identifierref="res-0"', 'identifierref="res-0" parameters="?page=2"'
        )
        .replace("<resources>", '<resources xml:base="sco0/">')
        .replace('href="sco0/index.html"', 'href="index.html"')
    )
    files["imsmanifest.xml"] = manifest
    package = package_read(zip_of(files), limits=LIMITS)
    assert package.scos[0].launch == "sco0/index.html?page=2"


def test_it_refuses_what_is_not_a_zip() -> None:
    assert refusal(b"<html>not a zip</html>") == "This is not a zip file."


def test_it_refuses_a_zip_without_a_manifest() -> None:
    assert "no imsmanifest.xml" in refusal(zip_of({"index.html": "<p>hi</p>"}))


@pytest.mark.parametrize(
    "name",
    [
        "../evil.html",
        "sco/../../evil.html",
        "/etc/passwd",
        "C:/x.html",
        "a\\..\\..\\b.html",
    ],
)
def test_it_refuses_zip_slip_names(name: str) -> None:
    files = scorm12_files()
    files[name] = "x"
    assert "points outside the package" in refusal(zip_of(files))


def test_it_refuses_symbolic_links() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in scorm12_files().items():
            archive.writestr(name, content)
        link = zipfile.ZipInfo("sco0/secrets.html")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    assert "symbolic link" in refusal(buffer.getvalue())


def test_it_refuses_a_zip_bomb_by_its_compression_ratio() -> None:
    files = scorm12_files()
    files["sco0/padding.bin"] = b"\0" * (4 * 1024**2)  # deflates about 1000 times
    assert "zip bomb" in refusal(zip_of(files))


def test_it_refuses_more_bytes_than_the_cap() -> None:
    files = scorm12_files()
    files["sco0/video.bin"] = bytes(range(256)) * 4096  # 1 MiB, ratio fine
    small = Limits(
        max_files=50, max_unpacked_bytes=512 * 1024, max_compression_ratio=10**6
    )
    assert "unpacks to" in refusal(zip_of(files), small)


def test_it_stops_reading_when_an_entry_lies_about_its_size() -> None:
    files = scorm12_files()
    files["sco0/big.bin"] = bytes(range(256)) * 4096
    data = bytearray(zip_of(files))
    # Make the central directory and the local header claim 10 bytes: the cap on
    # what is declared passes, the cap on what is read must still hold.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("sco0/big.bin")
    small = Limits(
        max_files=50, max_unpacked_bytes=64 * 1024, max_compression_ratio=10**6
    )
    patched = bytes(data).replace(
        info.file_size.to_bytes(4, "little"), (10).to_bytes(4, "little")
    )
    message = refusal(patched, small)
    assert "unpacks to more than" in message or "cannot be unpacked" in message


def test_it_refuses_too_many_files() -> None:
    files = scorm12_files()
    files.update({f"sco0/f{n}.txt": "x" for n in range(60)})
    assert "at most 50 are accepted" in refusal(zip_of(files))


def test_it_refuses_a_manifest_with_entities() -> None:
    files = scorm12_files()
    files["imsmanifest.xml"] = (
        str(files["imsmanifest.xml"])
        .replace(
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY x SYSTEM '
            '"file:///etc/passwd">]>',
        )
        .replace("<title>Objection handling</title>", "<title>&x;</title>")
    )
    assert "entities" in refusal(zip_of(files))


def test_it_refuses_billion_laughs() -> None:
    files = scorm12_files()
    files["imsmanifest.xml"] = (
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><manifest>&b;</manifest>'
    )
    assert "entities" in refusal(zip_of(files))


@pytest.mark.parametrize(
    "href", ["../outside.html", "http://evil.example/sco.html", "/etc/passwd"]
)
def test_it_refuses_a_manifest_pointing_outside_the_package(href: str) -> None:
    files = scorm12_files()
    files["imsmanifest.xml"] = str(files["imsmanifest.xml"]).replace(
        'href="sco0/index.html"', f'href="{href}"', 1
    )
    assert "points outside the package" in refusal(zip_of(files))


def test_it_refuses_a_package_with_no_launchable_sco() -> None:
    files = scorm12_files()
    files["imsmanifest.xml"] = str(files["imsmanifest.xml"]).replace(
        'adlcp:scormtype="sco"', 'adlcp:scormtype="asset"'
    )
    assert "no launchable SCO" in refusal(zip_of(files))


def test_it_refuses_a_sco_whose_launch_file_is_missing() -> None:
    files = scorm12_files()
    del files["sco0/index.html"]
    assert "is not in the package" in refusal(zip_of(files))
