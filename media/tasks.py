from __future__ import annotations

import errno

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=3,
    soft_time_limit=settings.MEDIA_TRANSCODE_TIME_LIMIT,
    time_limit=settings.MEDIA_TRANSCODE_TIME_LIMIT + 300,
)
def asset_process_task(self, asset_id: int) -> str | None:  # type: ignore[no-untyped-def]
    """Validate and transcode one upload (queue `media`). Failures (ffmpeg, storage,
    anything unforeseen) are retried with backoff; after the last try the asset is
    marked failed, so that nobody waits on it for ever. A file that runs ffmpeg out
    of its time or memory limit is not retried: `asset_process` marks it failed at
    once, with the reason, since it would hit the limit again."""
    from media.services import asset_fail, asset_process

    try:
        asset = asset_process(asset_id=asset_id, run_id=self.request.id or "")
    except SoftTimeLimitExceeded:
        asset_fail(
            asset_id=asset_id,
            reason=gettext_lazy(
                "This file took too long to process. Try a shorter recording."
            ),
        )
        return "failed"
    except Exception as error:
        if self.request.retries >= self.max_retries:
            asset_fail(asset_id=asset_id, reason=_final_reason(error))
            return "failed"
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
    return asset.status if asset else None


def _final_reason(error: BaseException) -> str | Promise:
    """Why the last try failed, in words the uploader can act on. A full disk is
    worth retrying (space comes back), but once the tries are spent it is said."""
    disk_full = (
        isinstance(error, OSError) and error.errno == errno.ENOSPC
    ) or "No space left on device" in str(error)
    if disk_full:
        return gettext_lazy(
            "The server ran out of disk space while processing this file. Try "
            "uploading it again later; if that fails too, tell an administrator."
        )
    return gettext_lazy(
        "We could not process this file. Try uploading it again; if that fails "
        "too, tell an administrator."
    )


@shared_task
def assets_requeue_stuck_task() -> int:
    """Periodic (beat): re-queue uploads and transcodes that got stuck."""
    from media.services import assets_requeue_stuck

    return assets_requeue_stuck()


@shared_task
def assets_expire_task() -> dict[str, int]:
    """Daily (beat): retention of recordings and originals, abandoned uploads."""
    from media.services import assets_expire

    return assets_expire()
