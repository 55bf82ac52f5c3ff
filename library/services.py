"""Every change to the library goes through here: files and their versions,
uses, flags, share links, previews and translations."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from functools import partial
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.models import Locale
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from library import notices, office, pdf, tasks
from library.models import (
    ItemFlag,
    ItemUse,
    LibraryFile,
    LibraryItem,
    LibraryVisit,
    ShareLink,
    ShareOpen,
    default_review_by,
)
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


class PreviewStatus:
    PROCESSING = "processing"
    READY = "ready"
    NONE = "none"


def private_storage() -> Storage:
    return storages["private"]


def file_check(*, filename: str, size: int) -> str:
    """The file's extension if a library item may hold it, else a ValidationError:
    the same size cap as every upload, and only the document kinds reps open
    (no macro-enabled Office files, no archives)."""
    extension = PurePath(filename).suffix.lower().lstrip(".")
    if extension not in settings.LIBRARY_FILE_EXTENSIONS:
        allowed = ", ".join(settings.LIBRARY_FILE_EXTENSIONS)
        raise ValidationError(
            _("A library file must be one of: %(allowed)s.") % {"allowed": allowed}
        )
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s.")
            % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)}
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
    LibraryItem.objects.filter(pk=item.pk).update(
        updated_at=item.updated_at,
        preview_status=PreviewStatus.PROCESSING,
        preview_failure="",
        preview_requested_at=item.updated_at,
        preview_attempts=1,
    )
    item_id, file_id = item.pk, version.pk
    transaction.on_commit(lambda: tasks.item_preview_task.delay(item_id, file_id))
    return version


# A preview job runs at most 180 s (item_preview_task's time limit); one still
# "processing" this long after it was asked for lost its worker.
PREVIEW_STUCK_AFTER = dt.timedelta(minutes=15)
PREVIEW_MAX_ATTEMPTS = 3


def item_previews_requeue_stuck(*, now: dt.datetime | None = None) -> int:
    """Periodic sweeper: ask again for previews stuck "processing"; after
    PREVIEW_MAX_ATTEMPTS, the item shows "No preview:" with the reason. A duplicate
    job is harmless (the preview job is idempotent)."""
    now = now or clock.now()
    stuck = LibraryItem.objects.filter(
        preview_status=PreviewStatus.PROCESSING,
        preview_requested_at__lt=now - PREVIEW_STUCK_AFTER,
    )
    count = 0
    for item in stuck:
        current = item.current_file()
        if current is None or item.preview_attempts >= PREVIEW_MAX_ATTEMPTS:
            _preview_save(
                item,
                status=PreviewStatus.NONE,
                reason="it could not be processed after several tries.",
            )
            continue
        LibraryItem.objects.filter(pk=item.pk).update(
            preview_requested_at=now, preview_attempts=item.preview_attempts + 1
        )
        transaction.on_commit(
            partial(tasks.item_preview_task.delay, item.pk, current.pk)
        )
        count += 1
    return count


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


class LibraryRefused(Exception):
    """The action is not allowed (shown to the person as a message)."""


def can_manage_item(person: User, item: LibraryItem) -> bool:
    """The owner and enablement admins answer flags and review the item."""
    return person.is_enablement_admin or item.owner_id == person.pk


@transaction.atomic
def item_flag(*, item: LibraryItem, by: User, reason: str, note: str) -> ItemFlag:
    """A person in the item's audience reports it outdated; its owner is told."""
    if reason not in ItemFlag.Reason.values:
        raise ValidationError(_("Say why the item is outdated."))
    if not LibraryItem.objects.live().for_audience(by).filter(pk=item.pk).exists():
        raise LibraryRefused(_("You cannot flag this item."))
    flag = ItemFlag.objects.create(
        item=item, flagged_by=by, reason=reason, note=note.strip()[:2000]
    )
    transaction.on_commit(lambda: notices.flag_raised_notify(flag_id=flag.pk))
    return flag


@transaction.atomic
def flag_resolve(*, flag: ItemFlag, by: User, resolution: str, note: str) -> ItemFlag:
    """The owner or an admin closes a flag: the item was updated (its review
    date starts again), archived (reps no longer see it) or the flag dismissed.
    The person who flagged it is told the outcome."""
    if resolution not in ItemFlag.Resolution.values:
        raise ValidationError(_("Choose how the flag was resolved."))
    if not note.strip():
        raise ValidationError(_("Add a note for the person who flagged it."))
    flag = ItemFlag.objects.select_for_update().select_related("item").get(pk=flag.pk)
    item = flag.item
    if not can_manage_item(by, item):
        raise LibraryRefused(_("Only the item's owner or an admin resolves its flags."))
    if not flag.is_open:
        raise LibraryRefused(_("This flag is already resolved."))
    now = clock.now()
    flag.resolution = resolution
    flag.resolution_note = note.strip()[:2000]
    flag.resolved_by = by
    flag.resolved_at = now
    flag.save()
    if resolution == ItemFlag.Resolution.UPDATED:
        item.review_by = default_review_by(item.kind, item.card_kind)
        item.updated_at = now
        item.save(update_fields=["review_by", "updated_at"])
        item_translations_sync(item=item)
    elif resolution == ItemFlag.Resolution.ARCHIVED:
        item_archive(item=item)
    transaction.on_commit(lambda: notices.flag_resolved_notify(flag_id=flag.pk))
    return flag


def item_archive(*, item: LibraryItem) -> None:
    """Take the item out of the library; its history, flags and links stay (share
    links to it stop working)."""
    if item.archived_at is None:
        item.archived_at = clock.now()
        item.save(update_fields=["archived_at"])


@transaction.atomic
def share_link_create(
    *,
    item: LibraryItem,
    rep: User,
    prospect_name: str,
    prospect_email: str,
    prospect_company: str,
    crm_opportunity_id: str = "",
    days: int | None = None,
) -> ShareLink:
    """A rep shares an item in their audience that may leave the company and has
    not expired, with one prospect, for `days` (LIBRARY_SHARE_DAYS by default)."""
    if not LibraryItem.objects.live().for_audience(rep).filter(pk=item.pk).exists():
        raise LibraryRefused(_("You cannot share this item."))
    if not item.is_shareable_now():
        raise LibraryRefused(_("This item may not be shared outside the company."))
    if item.kind == LibraryItem.Kind.VIDEO:
        raise LibraryRefused(_("Videos cannot be shared with prospects."))
    days = days or settings.LIBRARY_SHARE_DAYS
    if not 1 <= days <= 365:
        raise ValidationError(_("A link lasts from 1 to 365 days."))
    now = clock.now()
    return ShareLink.objects.create(
        token=secrets.token_urlsafe(32),
        item=item,
        rep=rep,
        prospect_name=prospect_name.strip(),
        prospect_email=prospect_email.strip().lower(),
        prospect_company=prospect_company.strip(),
        crm_opportunity_id=crm_opportunity_id.strip(),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )


def share_link_revoke(*, link: ShareLink, by: User) -> None:
    """The rep who made the link (or an admin) stops it: it answers 410."""
    if link.rep_id != by.pk and not by.is_enablement_admin:
        raise LibraryRefused(_("Only the rep who shared it can revoke this link."))
    if link.revoked_at is None:
        link.revoked_at = clock.now()
        link.save(update_fields=["revoked_at"])


def visitor_hash(address: str) -> str:
    """A keyed hash of a client address: opens by the same visitor can be told
    apart from others without the address being stored."""
    return hmac.new(
        settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256
    ).hexdigest()[:32]


def share_open_record(
    *, link: ShareLink, address: str, action: str, page: int | None = None
) -> ShareOpen:
    """Count an open (or download) of a share link, with the PDF page it showed;
    the first open of a link is told to its rep by e-mail, after the response."""
    now = clock.now()
    opened = ShareOpen.objects.create(
        link=link, action=action, page=page, at=now, visitor=visitor_hash(address)
    )
    if link.first_opened_at is None and action == ShareOpen.Action.OPEN:
        first = ShareLink.objects.filter(
            pk=link.pk, first_opened_at__isnull=True
        ).update(first_opened_at=now)
        if first:
            link.first_opened_at = now
            link_id = link.pk
            transaction.on_commit(
                lambda: tasks.share_first_open_notify_task.delay(link_id)
            )
    return opened


def share_page_view_record(*, link: ShareLink, address: str, page: int) -> ShareOpen:
    """Count a prospect reading one page of a shared PDF (which page, when, and
    the keyed hash of their address). Reading pages is not downloading."""
    if not 1 <= page <= link.item.readable_pages:
        raise ValidationError(f"The shared document has no page {page}.")
    return ShareOpen.objects.create(
        link=link,
        action=ShareOpen.Action.PAGE,
        page=page,
        at=clock.now(),
        visitor=visitor_hash(address),
    )


def item_preview_make(*, item_id: int, file_id: int) -> str:
    """Make the preview picture and the search text of an item's current file
    (PDFs; other kinds get "no preview" with the reason). Skipped when a newer
    version replaced this one meanwhile (its own job follows). Returns the status."""
    item = LibraryItem.objects.get(pk=item_id)
    current = item.current_file()
    if current is None or current.pk != file_id:
        return "skipped"
    storage = private_storage()
    if current.size > settings.UPLOAD_MAX_BYTES:
        return _preview_save(
            item, status=PreviewStatus.NONE, reason=gettext_noop("It is too large.")
        )
    if current.content_type != CONTENT_TYPES["pdf"]:
        return _text_only_save(item, current)
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "document.pdf"
        with storage.open(current.name, "rb") as stored, src.open("wb") as local:
            shutil.copyfileobj(stored, local)
        picture = Path(folder) / "page.png"
        try:
            contents = pdf.read_pdf(
                src,
                picture,
                timeout=settings.LIBRARY_PDF_TIMEOUT_SECONDS,
                max_pictures=settings.LIBRARY_SHARE_PAGES_MAX,
            )
        except pdf.PdfUnreadable as error:
            return _preview_save(item, status=PreviewStatus.NONE, reason=str(error))
        names = _pictures_store(item, contents.pictures)
    return _preview_save(
        item,
        status=PreviewStatus.READY,
        preview=names[0],
        text=contents.text,
        page_count=contents.pages,
        page_pictures=len(names),
    )


def _pictures_store(item: LibraryItem, pictures: tuple[Path, ...]) -> list[str]:
    """Store a PDF's page pictures in a new folder, named as
    LibraryItem.page_picture_name finds them (page.png, page-2.png, ...)."""
    storage = private_storage()
    folder = f"library/{item.pk}/pages-{uuid.uuid4().hex}"
    names = []
    for picture in pictures:
        wanted = f"{folder}/{picture.name}"
        with picture.open("rb") as png:
            name = storage.save(wanted, png)
        names.append(name)
        if name != wanted:
            for stored in names:
                storage.delete(stored)
            raise OSError(f"The storage renamed {wanted} to {name}.")
    return names


OFFICE_EXTENSIONS = ("docx", "pptx", "xlsx")


def _text_only_save(item: LibraryItem, current: LibraryFile) -> str:
    """Office and text files: no picture, their text for search (Office files
    read by library.office under its caps; one that cannot be read, or holds
    macros, says why instead)."""
    extension = PurePath(current.name).suffix.lower().lstrip(".")
    reason = gettext_noop("Previews are made for PDFs only.")
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / f"document.{extension}"
        with (
            private_storage().open(current.name, "rb") as stored,
            src.open("wb") as local,
        ):
            shutil.copyfileobj(stored, local)
        if extension in OFFICE_EXTENSIONS:
            try:
                text = office.read_office_text(src, extension)
            except office.OfficeUnreadable as error:
                return _preview_save(item, status=PreviewStatus.NONE, reason=str(error))
        else:
            with src.open("rb") as plain:
                text = plain.read(200_000).decode("utf-8", errors="replace")
    return _preview_save(item, status=PreviewStatus.NONE, reason=reason, text=text)


def _preview_save(
    item: LibraryItem,
    *,
    status: str,
    reason: str = "",
    preview: str = "",
    text: str = "",
    page_count: int = 0,
    page_pictures: int = 0,
) -> str:
    """Save the outcome of a preview job; the pictures it replaces are deleted."""
    old = item.page_picture_names()
    item.preview_status = status
    item.preview_failure = reason[:300]
    item.preview = preview
    item.page_count = page_count
    item.page_pictures = page_pictures
    item.extracted_text = text
    # A full save: Wagtail's search index follows the item's post_save.
    item.save()
    for name in old:
        private_storage().delete(name)
    return status


def item_translations_sync(*, item: LibraryItem) -> int:
    """After a source item changed (in the admin, or a flag resolved as updated):
    its words are extracted again for wagtail-localize, so a translation that has
    no translation of its new words is out of date until a translator updates it
    (library.translations), and what a translation does not carry (kind, tags,
    audience, owner, review date, sharing) is copied to every translation. An item
    never sent for translation, or a translation itself, changes nothing. Returns
    how many translations were kept in step."""
    source = TranslationSource.objects.filter(
        object_id=item.translation_key, locale_id=item.locale_id
    ).first()
    if source is None:
        return 0
    TranslationSource.update_or_create_from_instance(item)
    teams = list(item.audience_teams.all())
    translations = LibraryItem.objects.filter(
        translation_key=item.translation_key
    ).exclude(locale_id=item.locale_id)
    for translation in translations:
        copy_synchronised_fields(item, translation)
        translation.save()
        translation.audience_teams.set(teams)
    return len(translations)


@transaction.atomic
def item_translation_write(
    *,
    item: LibraryItem,
    language: str,
    words: Mapping[str, str],
    by: User | None = None,
) -> LibraryItem:
    """Translate a source item into `language` as a translator does in the
    admin's translation editor (wagtail-localize): `words` maps each of the
    item's strings (title, summary, a paragraph of card text) to its
    translation; a string left out keeps the source's words and leaves the
    translation out of date. Used by the demo data and the tests. Returns the
    translation."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        raise LibraryRefused(
            _(
                "Items cannot be translated into “%(language)s”: it is not "
                "a content language."
            )
            % {"language": language}
        )
    if item.locale_id == locale.pk:
        raise LibraryRefused(_("An item is not translated into its own language."))
    # The item as stored: its words now, whatever the caller holds.
    stored = LibraryItem.objects.get(pk=item.pk)
    source, _created = TranslationSource.update_or_create_from_instance(stored)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale
    )
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        translated = words.get(segment.string.data)
        if translated is None:
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": translated,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "last_translated_by": by,
            },
        )
    translation.save_target(user=by)
    written: LibraryItem = source.get_translated_instance(locale)
    return written
