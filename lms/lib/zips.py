"""Reading one entry of an uploaded zip file without trusting it.

Uploaded zips (SCORM packages, Office documents) say how large their entries are,
but may lie: an entry is read in chunks and counted as it comes, never by what it
declares. An encrypted entry, or one packed in a way `zipfile` cannot unpack, is
refused here, so every reader refuses it the same way.
"""

from __future__ import annotations

import zipfile
import zlib

READ_CHUNK = 1024 * 1024


class EntryUnreadable(Exception):
    """The entry cannot be read; the subclass says why."""


class EntryEncrypted(EntryUnreadable):
    pass


class EntryTooLarge(EntryUnreadable):
    pass


class EntryBroken(EntryUnreadable):
    """Corrupt, truncated or packed with an unsupported method; str() is zipfile's
    own words."""


def entry_read(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, *, cap: int) -> bytes:
    """The entry's bytes, at most `cap` of them."""
    if entry.flag_bits & 0x1:
        raise EntryEncrypted(entry.filename)
    chunks = []
    size = 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(READ_CHUNK):
                size += len(chunk)
                if size > cap:
                    raise EntryTooLarge(entry.filename)
                chunks.append(chunk)
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        NotImplementedError,
        zlib.error,
    ) as exc:
        raise EntryBroken(str(exc)) from exc
    return b"".join(chunks)
