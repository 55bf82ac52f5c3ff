"""The recording pipeline's state changes: upload, process, fail, delete, expire."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import IO, Protocol

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from lms.accounts.models import User
from media import ffmpeg
from media.models import MediaAsset

logger = logging.getLogger(__name__)

READ_BLOCK = 1024 * 1024
# Each PATCH is stored as one piece; a client sending tiny PATCHes is stopped here.
MAX_CHUNKS = 2000
# A PATCH body is buffered in memory up to this size, then on disk: memory stays flat.
SPOOL_IN_MEMORY = 8 * 1024 * 1024
WORKDIR_PREFIX = "onramp-media-"


class UploadRefused(Exception):
    """An upload request that cannot be honoured; the message is for the person."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def private_storage() -> Storage:
    return storages["private"]


def storage_used_by(user: User) -> int:
    """Bytes the person's uploads take, counted by their announced length (failed
    uploads count until they are deleted, by the person or after a few days)."""
    used = MediaAsset.objects.filter(owner=user).aggregate(total=Sum("upload_length"))
    return int(used["total"] or 0)


@transaction.atomic
def upload_create(
    *, owner: User, length: int, filename: str, title: str = "", kind: str
) -> MediaAsset:
    """Start an upload of `length` bytes, or refuse it before a byte is sent."""
    limit = settings.MEDIA_MAX_UPLOAD_BYTES
    if kind not in MediaAsset.Kind.values:
        raise UploadRefused(400, gettext("Unknown kind of upload."))
    if kind == MediaAsset.Kind.LESSON_VIDEO and not owner.is_enablement_admin:
        raise UploadRefused(
            403, gettext("Only enablement admins upload lesson videos.")
        )
    if length <= 0:
        raise UploadRefused(400, gettext("The file is empty."))
    if length > limit:
        raise UploadRefused(
            413,
            gettext("This file is %(size)s; the limit is %(limit)s.")
            % {"size": ffmpeg.human_size(length), "limit": ffmpeg.human_size(limit)},
        )
    User.objects.select_for_update().filter(pk=owner.pk).first()  # one at a time
    used, quota = storage_used_by(owner), settings.MEDIA_USER_QUOTA_BYTES
    if used + length > quota:
        raise UploadRefused(
            413,
            gettext(
                "Your storage is full: you use %(used)s of %(quota)s. Delete old "
                "recordings to make room."
            )
            % {"used": ffmpeg.human_size(used), "quota": ffmpeg.human_size(quota)},
        )
    filename = Path(filename or "recording").name[:255]
    return MediaAsset.objects.create(
        owner=owner,
        kind=kind,
        title=(title or Path(filename).stem)[:200],
        original_filename=filename,
        upload_length=length,
    )


class ByteStream(Protocol):
    """What an upload is read from: a request body, a file."""

    def read(self, size: int, /) -> bytes: ...


def upload_append(*, asset: MediaAsset, offset: int, stream: ByteStream) -> MediaAsset:
    """Store the bytes of one PATCH at `offset`; keep what arrived if the connection
    drops, so that the client can resume from the new offset."""
    if asset.status != MediaAsset.Status.UPLOADING:
        raise UploadRefused(409, gettext("This upload is already complete."))
    if offset != asset.upload_offset:
        raise UploadRefused(
            409,
            gettext("Upload-Offset must be %(offset)s.")
            % {"offset": asset.upload_offset},
        )
    if len(asset.chunks) >= MAX_CHUNKS:
        raise UploadRefused(
            409,
            gettext("This upload came in too many small pieces. Start it again."),
        )
    remaining = asset.upload_length - offset
    storage = private_storage()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as buffer:
        received = _copy_at_most(stream, buffer, remaining)
        if received == 0:
            return asset
        buffer.seek(0)
        name = storage.save(
            f"{asset.storage_prefix}uploads/{offset:016d}-{secrets.token_hex(4)}",
            File(buffer),
        )
    with transaction.atomic():
        locked = MediaAsset.objects.select_for_update().filter(pk=asset.pk).first()
        if locked is None:  # terminated while these bytes arrived
            storage.delete(name)
            raise UploadRefused(404, gettext("No such upload."))
        if (
            locked.status != MediaAsset.Status.UPLOADING
            or locked.upload_offset != offset
        ):
            storage.delete(name)
            raise UploadRefused(
                409,
                gettext("Upload-Offset must be %(offset)s.")
                % {"offset": locked.upload_offset},
            )
        locked.chunks = [*locked.chunks, name]
        locked.upload_offset = offset + received
        if locked.upload_offset == locked.upload_length:
            locked.status = MediaAsset.Status.UPLOADED
            locked.uploaded_at = timezone.now()
            _process_after_commit(locked)
        locked.save()
    return locked


def _copy_at_most(stream: ByteStream, buffer: IO[bytes], limit: int) -> int:
    received = 0
    try:
        while received < limit:
            block = stream.read(min(READ_BLOCK, limit - received))
            if not block:
                break
            buffer.write(block)
            received += len(block)
    except OSError:
        pass  # the client went away; what arrived is kept
    return received


def asset_process(*, asset_id: int, run_id: str) -> MediaAsset | None:
    """Validate and transcode an uploaded asset.

    Idempotent and exclusive: a ready or failed asset is left alone; an asset held by
    another run is left to it, unless that run has outlived the time limit (its worker
    died). A redelivered message (same `run_id`) carries on where its run stopped.
    """
    started = time.monotonic()
    limit = settings.MEDIA_TRANSCODE_TIME_LIMIT
    with transaction.atomic():
        asset = (
            MediaAsset.objects.select_for_update(of=("self",))
            .select_related("owner")
            .filter(pk=asset_id)
            .first()
        )
        if asset is None or not _may_claim(asset, run_id):
            return asset
        asset.status = MediaAsset.Status.PROCESSING
        asset.processing_run_id = run_id
        asset.attempts += 1
        asset.processing_started_at = timezone.now()
        asset.save(
            update_fields=[
                "status",
                "processing_run_id",
                "attempts",
                "processing_started_at",
            ]
        )
    _remove_stale_workdirs()
    with (
        translation.override(asset.owner.preferred_language),
        tempfile.TemporaryDirectory(
            prefix=f"{WORKDIR_PREFIX}{os.getpid()}-"
        ) as workdir,
    ):
        source = Path(workdir) / "source"
        _fetch_original(asset, source)
        try:
            probe = ffmpeg.validate(
                source,
                max_bytes=settings.MEDIA_MAX_UPLOAD_BYTES,
                max_duration=settings.MEDIA_MAX_DURATION_SECONDS,
                max_pixels=settings.MEDIA_MAX_VIDEO_PIXELS,
                memory_limit_mb=ffmpeg_memory_limit_mb(),
            )
        except ffmpeg.MediaRejected as rejection:
            return asset_fail(asset_id=asset.pk, reason=str(rejection), discard=True)
        except ffmpeg.FfmpegLimitExceeded as exceeded:
            return _fail_over_limit(asset, exceeded)
        kept = _keep_original(asset, source)
        if kept is None:
            return None  # deleted meanwhile
        try:
            outputs = ffmpeg.transcode(
                source,
                probe,
                Path(workdir) / "out",
                # What is left of the task's limit, less a minute: ffmpeg stops first.
                time_limit=limit - 60 - (time.monotonic() - started),
                memory_limit_mb=ffmpeg_memory_limit_mb(),
                max_duration=settings.MEDIA_MAX_DURATION_SECONDS,
            )
        except ffmpeg.MediaRejected as rejection:  # only decoding showed the problem
            return asset_fail(asset_id=asset.pk, reason=str(rejection), discard=True)
        except ffmpeg.FfmpegLimitExceeded as exceeded:
            return _fail_over_limit(asset, exceeded)
        return _publish(kept, probe, outputs)


def ffmpeg_memory_limit_mb() -> int | None:
    return settings.MEDIA_FFMPEG_MEMORY_MB or None


def _fail_over_limit(
    asset: MediaAsset, exceeded: ffmpeg.FfmpegLimitExceeded
) -> MediaAsset | None:
    """ffmpeg ran out of time or memory: the same file would again, so the asset
    fails now, with the reason, instead of being retried. The original is kept
    (an operator may raise the limit and look at it) until the retention of
    failed uploads removes it."""
    logger.warning(
        "Asset %s failed over a limit: %s (%s)", asset.pk, exceeded, exceeded.detail
    )
    return asset_fail(asset_id=asset.pk, reason=str(exceeded))


def _may_claim(asset: MediaAsset, run_id: str) -> bool:
    if asset.status == MediaAsset.Status.UPLOADED:
        return True
    if asset.status != MediaAsset.Status.PROCESSING:
        return False
    if asset.processing_run_id == run_id:
        return True
    held_since = asset.processing_started_at or timezone.now()
    return held_since < timezone.now() - dt.timedelta(
        seconds=settings.MEDIA_TRANSCODE_TIME_LIMIT + 300
    )


def _fetch_original(asset: MediaAsset, target: Path) -> None:
    """The upload as one local file: the kept original, or the chunks joined."""
    storage = private_storage()
    names = [asset.original] if asset.original else asset.chunks
    with target.open("wb") as out:
        for name in names:
            with storage.open(name, "rb") as part:
                shutil.copyfileobj(part, out, READ_BLOCK)


def _keep_original(asset: MediaAsset, source: Path) -> MediaAsset | None:
    """Store the joined upload once as the original and drop its chunks. None when
    the asset was deleted meanwhile (and nothing is left behind)."""
    if asset.original:
        return asset
    storage = private_storage()
    suffix = re.sub(r"[^a-z0-9]", "", Path(asset.original_filename).suffix.lower())[:5]
    with source.open("rb") as data:
        name = storage.save(
            f"{asset.storage_prefix}original.{suffix or 'bin'}", File(data)
        )
    chunks = asset.chunks
    if not MediaAsset.objects.filter(pk=asset.pk).update(original=name, chunks=[]):
        delete_folder(asset.storage_prefix)
        return None
    transaction.on_commit(lambda: _delete_files(chunks))
    asset.original, asset.chunks = name, []
    return asset


def _publish(
    asset: MediaAsset, probe: ffmpeg.Probe, outputs: ffmpeg.Outputs
) -> MediaAsset | None:
    """Store the outputs under a fresh folder and point the asset at them in one
    step, so that nothing half-written is ever served."""
    storage = private_storage()
    folder = f"{asset.storage_prefix}v{secrets.token_hex(4)}/"
    with outputs.playback.open("rb") as data:
        playback = storage.save(folder + outputs.playback.name, File(data))
    poster = ""
    if outputs.poster is not None:
        with outputs.poster.open("rb") as data:
            poster = storage.save(folder + "poster.jpg", File(data))
    with transaction.atomic():
        locked = MediaAsset.objects.select_for_update().filter(pk=asset.pk).first()
        if locked is None:  # deleted meanwhile: nothing of it may stay
            transaction.on_commit(lambda: delete_folder(asset.storage_prefix))
            return None
        if locked.status != MediaAsset.Status.PROCESSING:
            transaction.on_commit(lambda: _delete_files([playback, poster]))
            return locked
        previous = [locked.playback, locked.poster]
        locked.playback = playback
        locked.poster = poster
        locked.playback_content_type = outputs.content_type
        locked.playback_size = outputs.playback.stat().st_size
        locked.container = probe.container
        locked.streams_summary = probe.summary()
        locked.duration = outputs.duration
        locked.width, locked.height = outputs.width, outputs.height
        locked.peaks = outputs.peaks
        locked.status = MediaAsset.Status.READY
        locked.failure_reason = ""
        locked.processed_at = timezone.now()
        locked.save()
        keep = {locked.original, playback, poster}
        transaction.on_commit(lambda: _delete_files(previous))
        transaction.on_commit(lambda: _delete_unreferenced(locked.storage_prefix, keep))
    return locked


def asset_fail(
    *, asset_id: int, reason: str | Promise, discard: bool = False
) -> MediaAsset | None:
    """Mark an asset failed with a reason the person can act on, written in the
    uploader's language. A rejected upload (`discard`) is hostile or useless: its
    bytes are deleted."""
    with transaction.atomic():
        asset = (
            MediaAsset.objects.select_for_update(of=("self",))
            .select_related("owner")
            .filter(pk=asset_id)
            .first()
        )
        if asset is None or asset.status == MediaAsset.Status.READY:
            return asset
        asset.status = MediaAsset.Status.FAILED
        with translation.override(asset.owner.preferred_language):
            asset.failure_reason = str(reason)
        asset.processed_at = timezone.now()
        if discard:
            doomed = asset.stored_names()
            asset.chunks, asset.original = [], ""
            transaction.on_commit(lambda: _delete_files(doomed))
        asset.save()
    return asset


@transaction.atomic
def asset_delete(*, asset: MediaAsset) -> None:
    """Delete an asset; its files go once the deletion is committed (signal)."""
    asset.delete()


def assets_requeue_stuck(*, now: dt.datetime | None = None) -> int:
    """Periodic sweeper: enqueue again uploads nobody picked up and transcodes whose
    worker died; give up after five attempts. A duplicate of a job still waiting in
    the queue is harmless: the run that claims the asset first does the work."""
    now = now or timezone.now()
    waiting = MediaAsset.objects.filter(
        status=MediaAsset.Status.UPLOADED,
        uploaded_at__lt=now - dt.timedelta(minutes=10),
    )
    running_too_long = MediaAsset.objects.filter(
        status=MediaAsset.Status.PROCESSING,
        processing_started_at__lt=now
        - dt.timedelta(seconds=settings.MEDIA_TRANSCODE_TIME_LIMIT + 600),
    )
    count = 0
    for asset in [*waiting, *running_too_long]:
        if asset.attempts >= 5:
            asset_fail(
                asset_id=asset.pk,
                reason=gettext_lazy(
                    "We could not process this file after several tries. Try "
                    "uploading it again; if that fails too, tell an administrator."
                ),
            )
            continue
        _process_after_commit(asset)
        count += 1
    return count


def assets_expire(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Daily: apply the retention settings and drop abandoned uploads."""
    now = now or timezone.now()
    expired = {"recordings": 0, "originals": 0, "abandoned": 0}
    stale = now - dt.timedelta(days=settings.MEDIA_ABANDONED_UPLOAD_DAYS)
    abandoned = MediaAsset.objects.filter(
        Q(status=MediaAsset.Status.UPLOADING, created_at__lt=stale)
        | Q(status=MediaAsset.Status.FAILED, processed_at__lt=stale)
    )
    for asset in abandoned:
        asset_delete(asset=asset)
        expired["abandoned"] += 1
    if settings.MEDIA_RECORDING_RETENTION_DAYS:
        cutoff = now - dt.timedelta(days=settings.MEDIA_RECORDING_RETENTION_DAYS)
        for asset in MediaAsset.objects.filter(
            kind=MediaAsset.Kind.RECORDING, created_at__lt=cutoff
        ):
            asset_delete(asset=asset)
            expired["recordings"] += 1
    if settings.MEDIA_ORIGINAL_RETENTION_DAYS:
        cutoff = now - dt.timedelta(days=settings.MEDIA_ORIGINAL_RETENTION_DAYS)
        for asset in MediaAsset.objects.filter(
            status=MediaAsset.Status.READY, processed_at__lt=cutoff
        ).exclude(original=""):
            original = asset.original
            MediaAsset.objects.filter(pk=asset.pk).update(original="")
            _delete_files([original])
            expired["originals"] += 1
    return expired


def _process_after_commit(asset: MediaAsset) -> None:
    from media.tasks import asset_process_task

    asset_id = asset.pk
    # robust: a broker that is down must not fail the request; the sweeper retries.
    transaction.on_commit(lambda: asset_process_task.delay(asset_id), robust=True)


def _delete_files(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        if name:
            storage.delete(name)


def _delete_unreferenced(prefix: str, keep: set[str]) -> None:
    """Remove what killed or superseded runs left under the asset's folder."""
    storage = private_storage()
    for name in _walk(storage, prefix):
        if name not in keep:
            storage.delete(name)


def delete_folder(prefix: str) -> None:
    """Remove every file under an asset's folder (used when the asset is deleted)."""
    storage = private_storage()
    for name in _walk(storage, prefix):
        storage.delete(name)
    try:
        local_folder = Path(storage.path(prefix))
    except NotImplementedError:
        return  # object storage has no folders of its own
    shutil.rmtree(local_folder, ignore_errors=True)


def _walk(storage: Storage, prefix: str) -> list[str]:
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    names = [prefix + name for name in files]
    for folder in folders:
        names += _walk(storage, f"{prefix}{folder}/")
    return names


def _remove_stale_workdirs() -> None:
    """Work folders of workers that were killed are never cleaned by them.

    A folder names the process that made it and is removed once that process is
    gone. Age would be the wrong test: a worker whose clock jumps ahead would take a
    running transcode's files from under it.
    """
    for folder in Path(tempfile.gettempdir()).glob(f"{WORKDIR_PREFIX}*-*"):
        pid = folder.name.removeprefix(WORKDIR_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
