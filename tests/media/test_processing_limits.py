"""Uploads that cost too much fail at once, with the reason, and are not retried:
too many pixels, ffmpeg's memory limit, the transcode's time limit. Other ffmpeg
failures keep the retries (issue 12 B)."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages

from media import ffmpeg
from media.models import MediaAsset
from media.tasks import asset_process_task
from tests.media.test_processing import _files, upload_file

pytestmark = pytest.mark.django_db


def test_it_fails_a_video_larger_than_the_pixel_limit_and_keeps_nothing(
    rep_factory, make_large_clip, django_capture_on_commit_callbacks
):
    asset = upload_file(rep_factory(), make_large_clip(8192, 8192))

    with django_capture_on_commit_callbacks(execute=True):
        assert asset_process_task.apply(args=[asset.pk]).get() == "failed"

    failed = MediaAsset.objects.get(pk=asset.pk)

    assert failed.status == MediaAsset.Status.FAILED
    assert failed.failure_reason.startswith("This video is 8192×8192 pixels")
    assert _files(failed) == set()


def test_it_fails_a_transcode_over_its_memory_limit_without_retrying(
    rep_factory, make_large_clip, settings
):
    # Transcoding the 4K clip maps 400-520 MB; probing it about 200 MB.
    settings.MEDIA_FFMPEG_MEMORY_MB = 300
    asset = upload_file(rep_factory(), make_large_clip(3840, 2160, frames=5))

    assert asset_process_task.apply(args=[asset.pk]).get() == "failed"

    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.FAILED
    assert asset.attempts == 1
    assert asset.failure_reason == (
        "This file needs more memory to process than the 300 MB we allow. Export "
        "it at a lower resolution, such as 1080p, and upload it again."
    )
    assert not asset.playback
    # The original stays for an operator, until failed uploads are cleaned up.
    assert storages["private"].exists(asset.original)


def test_it_fails_a_transcode_out_of_time_without_retrying(
    rep_factory, make_media, settings
):
    # What is left for ffmpeg is the limit less a minute, less validation: nothing.
    settings.MEDIA_TRANSCODE_TIME_LIMIT = 60.2
    asset = upload_file(rep_factory(), make_media("mp4", size=(1920, 1080)))

    assert asset_process_task.apply(args=[asset.pk]).get() == "failed"

    asset.refresh_from_db()
    assert (asset.status, asset.attempts) == (MediaAsset.Status.FAILED, 1)
    assert asset.failure_reason.startswith("This file took too long to process.")


def test_it_still_retries_when_ffmpeg_fails_otherwise(
    rep_factory, make_media, monkeypatch
):
    def crash(*args, **kwargs):
        raise ffmpeg.FfmpegFailed("ffmpeg was killed by signal 11")

    monkeypatch.setattr(ffmpeg, "transcode", crash)
    asset = upload_file(rep_factory(), make_media("mp4", size=(640, 360)))

    result = asset_process_task.apply(args=[asset.pk])

    asset.refresh_from_db()
    assert asset.attempts == 1 + asset_process_task.max_retries, result.state
    assert asset.status == MediaAsset.Status.FAILED
    assert asset.failure_reason.startswith("We could not process this file.")
