"""Reading an uploaded SCORM package (a .zip with imsmanifest.xml) safely: a pure
function of the bytes, no ORM, no storage. `package_read` returns what to store or
raises PackageRefused with the reason in words for the author.

Hostile input and the rule that answers it:
- Not a zip, an encrypted entry, a duplicate name: refused.
- Zip-slip: a name that is absolute, has a drive letter or a backslash, a NUL, or a
  `..` part is refused (never "cleaned"), so nothing is written outside the package.
- Symlinks (Unix mode S_IFLNK in the entry's external attributes): refused.
- Zip bombs: at most SCORM_MAX_FILES entries and SCORM_MAX_UNPACKED_BYTES in all, as
  declared and as actually read (reading stops at the cap); no entry, and not the
  whole, may expand more than SCORM_MAX_COMPRESSION_RATIO times. Nested archives are
  files like any other: never opened.
- The manifest is parsed with defusedxml: entities (internal or external) and
  external DTDs are refused, so neither "billion laughs" nor a file read.
- Every resource href, xml:base and file href must stay inside the package (no
  scheme, no absolute path, no `..` above the root); the launch file of each SCO must
  be in the package.
- At least one launchable SCO (an item pointing at a resource of scormType "sco"
  with an href) is required.
- Only the package's files are served, and of them neither the manifest nor its
  schema files (`served_files`).
"""

from __future__ import annotations

import posixpath
import stat
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import IO
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from lms.lib.zips import EntryBroken, EntryEncrypted, EntryTooLarge, entry_read

SCORM_12 = "1.2"
SCORM_2004 = "2004"
STANDARD_NAMES = {SCORM_12: "SCORM 1.2", SCORM_2004: "SCORM 2004"}

MANIFEST = "imsmanifest.xml"
# Files a package carries for validators, never for the learner.
NOT_SERVED_SUFFIXES = (".xsd", ".dtd")

# Ratios are checked only on entries big enough to matter: a 2 kB file of spaces
# compresses 200 times and harms no one.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024


class PackageRefused(Exception):
    """The package cannot be imported; str() says why, for the author."""


@dataclass(frozen=True)
class Limits:
    max_files: int
    max_unpacked_bytes: int
    max_compression_ratio: int


@dataclass(frozen=True)
class Sco:
    """One launchable item of the default organisation, in the manifest's order."""

    identifier: str
    title: str
    launch: str  # a path inside the package, with the item's parameters, if any
    mastery_score: Decimal | None  # SCORM 1.2 adlcp:masteryscore, 0-100
    scaled_passing_score: Decimal | None  # SCORM 2004 minNormalizedMeasure, -1..1
    launch_data: str


@dataclass
class Package:
    standard: str  # SCORM_12 or SCORM_2004
    schema_version: str
    identifier: str
    title: str
    scos: list[Sco]
    files: dict[str, bytes] = field(repr=False)

    @property
    def standard_name(self) -> str:
        return STANDARD_NAMES[self.standard]

    @property
    def served_files(self) -> list[str]:
        return sorted(
            name
            for name in self.files
            if name != MANIFEST and not name.lower().endswith(NOT_SERVED_SUFFIXES)
        )


def _safe_name(name: str) -> str:
    """The entry's path inside the package, or PackageRefused (zip-slip)."""
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
    ):
        raise PackageRefused(
            _("The file name %(name)r points outside the package.") % {"name": name}
        )
    parts = name.rstrip("/").split("/")
    if any(part in ("..", "") for part in parts):
        raise PackageRefused(
            _("The file name %(name)r points outside the package.") % {"name": name}
        )
    return "/".join(part for part in parts if part != ".")


def _read_entries(data: IO[bytes], limits: Limits) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(data)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PackageRefused(_("This is not a zip file.")) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_files:
            raise PackageRefused(
                _("The package has %(count)d files; at most %(most)d are accepted.")
                % {"count": len(entries), "most": limits.max_files}
            )
        declared = sum(entry.file_size for entry in entries)
        compressed = sum(entry.compress_size for entry in entries)
        if declared > limits.max_unpacked_bytes:
            raise PackageRefused(
                _(
                    "The package unpacks to %(bytes)d bytes; at most %(most)d are "
                    "accepted."
                )
                % {"bytes": declared, "most": limits.max_unpacked_bytes}
            )
        if declared > RATIO_CHECKED_FROM_BYTES and (
            declared > limits.max_compression_ratio * max(compressed, 1)
        ):
            raise PackageRefused(
                _(
                    "The package is compressed suspiciously well (a zip bomb?): it "
                    "expands more than %(ratio)s times."
                )
                % {"ratio": limits.max_compression_ratio}
            )
        files: dict[str, bytes] = {}
        total = 0
        for entry in entries:
            mode = entry.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise PackageRefused(
                    _("%(name)r is a symbolic link; links are refused.")
                    % {"name": entry.filename}
                )
            name = _safe_name(entry.filename)
            if entry.is_dir():
                continue
            if name in files:
                raise PackageRefused(
                    _("%(name)r is in the package twice.") % {"name": name}
                )
            if entry.file_size > RATIO_CHECKED_FROM_BYTES and (
                entry.file_size
                > limits.max_compression_ratio * max(entry.compress_size, 1)
            ):
                raise PackageRefused(
                    _(
                        "%(name)r is compressed suspiciously well (a zip bomb?): it "
                        "expands more than %(ratio)s times."
                    )
                    % {"name": name, "ratio": limits.max_compression_ratio}
                )
            try:
                files[name] = entry_read(
                    archive, entry, cap=limits.max_unpacked_bytes - total
                )
            except EntryEncrypted:
                raise PackageRefused(
                    _("%(name)r is encrypted.") % {"name": name}
                ) from None
            except EntryTooLarge:
                raise PackageRefused(
                    _("The package unpacks to more than %(most)d bytes.")
                    % {"most": limits.max_unpacked_bytes}
                ) from None
            except EntryBroken as exc:
                raise PackageRefused(
                    _("%(name)r cannot be unpacked: %(error)s")
                    % {"name": name, "error": exc}
                ) from exc
            total += len(files[name])
    return files


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _attribute(element: Element, name: str) -> str:
    """An attribute by its local name, whatever its namespace (adlcp:scormtype in
    1.2, adlcp:scormType in 2004; xml:base)."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _inside(base: str, href: str, *, what: str) -> str:
    """`href` resolved against `base` (a folder inside the package, "" or ending in
    "/"), as a path inside the package; PackageRefused if it leaves it."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("/", "\\")) or "\\" in href:
        raise PackageRefused(
            _("The manifest's %(what)s %(href)r points outside the package.")
            % {"what": what, "href": href}
        )
    path = unquote(parts.path)
    joined = posixpath.normpath(posixpath.join(base, path)) if path else base
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        raise PackageRefused(
            _("The manifest's %(what)s %(href)r points outside the package.")
            % {"what": what, "href": href}
        )
    return joined.removeprefix("./")


def _base(element: Element, parent_base: str) -> str:
    base = _attribute(element, "base")
    if not base:
        return parent_base
    folder = _inside(parent_base, base, what="xml:base")
    return "" if folder in ("", ".") else folder.rstrip("/") + "/"


def _standard(manifest: Element) -> tuple[str, str]:
    metadata = _child(manifest, "metadata")
    schema_version = _text(
        _child(metadata if metadata is not None else manifest, "schemaversion")
    )
    lowered = schema_version.lower()
    if lowered == "1.2":
        return SCORM_12, schema_version
    if "2004" in lowered or lowered == "cam 1.3":
        return SCORM_2004, schema_version
    namespaces = " ".join(
        [manifest.tag, *(key for element in manifest.iter() for key in element.attrib)]
    ).lower()
    if "adlcp_v1p3" in namespaces or "imsss" in namespaces:
        return SCORM_2004, schema_version or "2004"
    if "adlcp_rootv1p2" in namespaces:
        return SCORM_12, schema_version or "1.2"
    raise PackageRefused(
        _(
            "The manifest does not say which SCORM version it follows (SCORM 1.2 "
            "and 2004 are supported)."
        )
    )


def _decimal(value: str, *, low: Decimal, high: Decimal, what: str) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise PackageRefused(
            _("The manifest's %(what)s %(value)r is not a number.")
            % {"what": what, "value": value}
        ) from exc
    if not number.is_finite() or not low <= number <= high:
        raise PackageRefused(
            _("The manifest's %(what)s %(value)r is outside %(low)s to %(high)s.")
            % {"what": what, "value": value, "low": low, "high": high}
        )
    return number


def _scaled_passing_score(item: Element) -> Decimal | None:
    sequencing = _child(item, "sequencing")
    objectives = _child(sequencing, "objectives") if sequencing is not None else None
    primary = _child(objectives, "primaryObjective") if objectives is not None else None
    if primary is None or _attribute(primary, "satisfiedByMeasure") != "true":
        return None
    measure = _text(_child(primary, "minNormalizedMeasure")) or "1.0"
    return _decimal(
        measure, low=Decimal(-1), high=Decimal(1), what="minNormalizedMeasure"
    )


def _parse_manifest(raw: bytes, files: dict[str, bytes]) -> Package:
    try:
        manifest = SafeET.fromstring(raw)
    except DefusedXmlException as exc:
        raise PackageRefused(
            _(
                "The manifest declares XML entities or an external DTD, which are "
                "refused."
            )
        ) from exc
    except ParseError as exc:
        raise PackageRefused(
            _("The manifest is not well-formed XML: %(error)s.") % {"error": exc}
        ) from exc
    if _local(manifest.tag) != "manifest":
        raise PackageRefused(_("imsmanifest.xml has no <manifest> root element."))
    standard, schema_version = _standard(manifest)
    manifest_base = _base(manifest, "")

    resources_element = _child(manifest, "resources")
    resources: dict[str, tuple[str, str]] = {}  # identifier -> (scormtype, href)
    if resources_element is not None:
        resources_base = _base(resources_element, manifest_base)
        for resource in _children(resources_element, "resource"):
            base = _base(resource, resources_base)
            href = _attribute(resource, "href")
            launch = _inside(base, href, what="resource href") if href else ""
            for file_element in _children(resource, "file"):
                file_href = _attribute(file_element, "href")
                if file_href:
                    _inside(base, file_href, what="file href")
            resources[_attribute(resource, "identifier")] = (
                _attribute(resource, "scormtype").lower(),
                launch,
            )

    organizations = _child(manifest, "organizations")
    all_organizations = (
        _children(organizations, "organization") if organizations is not None else []
    )
    default_id = (
        _attribute(organizations, "default") if organizations is not None else ""
    )
    organization = next(
        (o for o in all_organizations if _attribute(o, "identifier") == default_id),
        all_organizations[0] if all_organizations else None,
    )
    scos: list[Sco] = []
    if organization is not None:
        for item in organization.iter():
            if _local(item.tag) != "item":
                continue
            kind, launch = resources.get(_attribute(item, "identifierref"), ("", ""))
            if kind != "sco" or not launch:
                continue
            if launch not in files:
                raise PackageRefused(
                    _("The SCO launch file %(launch)r is not in the package.")
                    % {"launch": launch}
                )
            parameters = _attribute(item, "parameters")
            if parameters:
                parameters = parameters.lstrip("?&")
                launch += ("&" if "?" in launch else "?") + parameters
            mastery = _text(_child(item, "masteryscore"))
            scos.append(
                Sco(
                    identifier=_attribute(item, "identifier"),
                    title=_text(_child(item, "title")) or launch,
                    launch=launch,
                    mastery_score=_decimal(
                        mastery, low=Decimal(0), high=Decimal(100), what="masteryscore"
                    ),
                    scaled_passing_score=(
                        _scaled_passing_score(item) if standard == SCORM_2004 else None
                    ),
                    launch_data=(
                        _text(_child(item, "datafromlms"))
                        or _text(_child(item, "dataFromLMS"))
                    )[:4096],
                )
            )
    if not scos:
        raise PackageRefused(
            _(
                "The package has no launchable SCO (an item pointing at a resource "
                'of scormType "sco" with an href).'
            )
        )
    title = _text(_child(organization, "title")) if organization is not None else ""
    return Package(
        standard=standard,
        schema_version=schema_version,
        identifier=_attribute(manifest, "identifier"),
        title=title or scos[0].title,
        scos=scos,
        files=files,
    )


def package_read(data: bytes | IO[bytes], *, limits: Limits) -> Package:
    """The package in `data` (a zip), checked, or PackageRefused."""
    stream = BytesIO(data) if isinstance(data, bytes) else data
    files = _read_entries(stream, limits)
    raw = files.get(MANIFEST)
    if raw is None:
        raise PackageRefused(
            _(
                "There is no imsmanifest.xml at the top of the zip (is this a SCORM "
                "package?)."
            )
        )
    return _parse_manifest(raw, files)
