"""Every change to the library goes through here: files and their versions."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat

from library.models import ItemUse, LibraryFile, LibraryItem, LibraryVisit
from lms.accounts.models import User
from lms.lib import clock

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
}


def private_storage() -> Storage:
    return storages["private"]


def file_check(*, filename: str, size: int) -> str:
    """The file's extension if a library item may hold it, else a ValidationError:
    the same size cap as every upload, and only the document kinds reps open
    (no macro-enabled Office files, no archives)."""
    extension = PurePath(filename).suffix.lower().lstrip(".")
    if extension not in settings.LIBRARY_FILE_EXTENSIONS:
        allowed = ", ".join(settings.LIBRARY_FILE_EXTENSIONS)
        raise ValidationError(f"A library file must be one of: {allowed}.")
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            f"The file is larger than {filesizeformat(settings.UPLOAD_MAX_BYTES)}."
        )
    return extension


@transaction.atomic
def item_file_add(
    *, item: LibraryItem, file: File[bytes], filename: str, by: User | None
) -> LibraryFile:
    """Store a new version of the item's file; reps get it from now on and the
    older versions stay as history. The item counts as updated."""
    size = int(file.size or 0)
    extension = file_check(filename=filename, size=size)
    LibraryItem.objects.select_for_update().filter(pk=item.pk).first()
    latest = item.files.aggregate(latest=Max("version"))["latest"] or 0
    name = private_storage().save(
        f"library/{item.pk}/{uuid.uuid4().hex}.{extension}", file
    )
    version = LibraryFile.objects.create(
        item=item,
        version=latest + 1,
        name=name,
        original_filename=PurePath(filename).name[:255],
        content_type=CONTENT_TYPES[extension],
        size=size,
        uploaded_by=by,
    )
    item.updated_at = clock.now()
    LibraryItem.objects.filter(pk=item.pk).update(updated_at=item.updated_at)
    return version


# A visit within this time of the last one is the same visit.
VISIT_GAP = dt.timedelta(minutes=30)


def library_visit(*, user: User) -> dt.datetime | None:
    """Record that the person opened the library; returns the moment of their
    previous visit (None on the first), after which items count as new."""
    now = clock.now()
    visit, created = LibraryVisit.objects.get_or_create(
        user=user, defaults={"last_at": now}
    )
    if created:
        return None
    if now - visit.last_at > VISIT_GAP:
        visit.previous_at = visit.last_at
    visit.last_at = now
    visit.save(update_fields=["previous_at", "last_at"])
    return visit.previous_at


def item_use_record(*, item: LibraryItem, user: User, action: str) -> ItemUse:
    """Count a view, download or copy of the item by a signed-in person."""
    return ItemUse.objects.create(item=item, user=user, action=action)
