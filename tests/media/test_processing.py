"""The pipeline end to end in one process: upload, validate, transcode, publish,
repeat safely, fail clearly, delete everything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import storages

from media import ffmpeg, services
from media.models import MediaAsset

pytestmark = pytest.mark.django_db

CHUNK = 256 * 1024


def upload_file(owner, path: Path, *, kind=MediaAsset.Kind.RECORDING) -> MediaAsset:
    """Send a local file through the same service the tus endpoint uses."""
    asset = services.upload_create(
        owner=owner, length=path.stat().st_size, filename=path.name, kind=kind
    )
    with path.open("rb") as data:
        while asset.upload_offset < asset.upload_length:
            asset = services.upload_append(
                asset=asset, offset=asset.upload_offset, stream=_Limited(data, CHUNK)
            )
    return asset


class _Limited:
    """One PATCH body: at most `size` bytes of the file."""

    def __init__(self, data, size):
        self.data, self.left = data, size

    def read(self, n):
        block = self.data.read(min(n, self.left))
        self.left -= len(block)
        return block


@pytest.fixture
def process(django_capture_on_commit_callbacks):
    """Run the processing service as the worker does, with its after-commit cleanup."""

    def run(asset: MediaAsset, run_id: str = "run-1") -> MediaAsset:
        with django_capture_on_commit_callbacks(execute=True):
            return services.asset_process(asset_id=asset.pk, run_id=run_id)

    return run


def _files(asset: MediaAsset) -> set[str]:
    return set(services._walk(storages["private"], asset.storage_prefix))


def test_it_turns_an_upload_into_a_playable_video(
    rep_factory, make_media, tmp_path, process
):
    rep = rep_factory()
    source = make_media("mkv", size=(1920, 1080), seconds=2.0)
    asset = upload_file(rep, source)
    assert asset.status == MediaAsset.Status.UPLOADED  # eager Celery: not yet run here

    asset = process(asset)

    assert asset.status == MediaAsset.Status.READY, asset.failure_reason
    assert (asset.width, asset.height) == (1280, 720)
    assert abs(asset.duration - 2.0) < 0.1
    assert asset.playback_content_type == "video/mp4"
    assert asset.container == "matroska,webm"
    assert len(asset.peaks) == 2000
    assert asset.chunks == []
    assert _files(asset) == {asset.original, asset.playback, asset.poster}
    local = tmp_path / "check.mp4"
    local.write_bytes(storages["private"].open(asset.playback).read())
    probe = ffmpeg.probe(local)
    assert probe.video_stream.codec == "h264"
    assert probe.height == 720
    assert storages["private"].open(asset.poster).read(2) == b"\xff\xd8"


def test_it_makes_audio_only_uploads_into_aac(rep_factory, make_media, process):
    asset = upload_file(
        rep_factory(), make_media("mp3", size=None, channels=1, seconds=3)
    )
    asset = process(asset)
    assert asset.status == MediaAsset.Status.READY, asset.failure_reason
    assert asset.playback_content_type == "audio/mp4"
    assert asset.poster == ""
    assert max(asset.peaks) > 0


def test_it_processes_a_ready_asset_only_once(rep_factory, make_media, process):
    asset = upload_file(rep_factory(), make_media("mp4", size=(640, 360)))
    first = process(asset)
    again = process(asset)
    assert again.playback == first.playback
    assert again.attempts == 1


def test_it_recovers_from_a_run_that_was_killed_midway(
    rep_factory, make_media, process
):
    """A redelivered job finds the asset still processing and a half-written output
    left by the killed run; it finishes once and cleans up."""
    asset = upload_file(rep_factory(), make_media("mp4", size=(640, 360)))
    from django.utils import timezone

    MediaAsset.objects.filter(pk=asset.pk).update(
        status=MediaAsset.Status.PROCESSING,
        attempts=1,
        processing_run_id="run-1",  # the redelivered message's id
        processing_started_at=timezone.now(),
    )
    storage = storages["private"]
    leftover = storage.save(
        f"{asset.storage_prefix}vdeadbeef/playback.mp4", _bytes(b"half")
    )

    asset = process(asset)

    assert asset.status == MediaAsset.Status.READY
    assert asset.attempts == 2
    assert asset.playback != leftover
    assert not storage.exists(leftover)


def test_it_rejects_a_hostile_upload_with_a_reason_and_keeps_nothing(
    rep_factory, tmp_path, process
):
    playlist = tmp_path / "call.mp4"
    playlist.write_text("#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n")
    asset = upload_file(rep_factory(), playlist)

    asset = process(asset)

    assert asset.status == MediaAsset.Status.FAILED
    assert "playlist" in asset.failure_reason.lower()
    assert (asset.original, asset.chunks, asset.playback) == ("", [], "")
    assert _files(asset) == set()


def test_it_removes_every_file_with_the_asset_and_with_its_owner(
    rep_factory, make_media, django_capture_on_commit_callbacks, process
):
    rep = rep_factory()
    asset = process(upload_file(rep, make_media("mp4", size=(640, 360))))
    assert _files(asset)
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_delete(asset=asset)
    assert _files(asset) == set()

    other = process(upload_file(rep, make_media("mp4", size=(640, 360))))
    with django_capture_on_commit_callbacks(execute=True):
        rep.delete()
    assert not MediaAsset.objects.exists()
    assert _files(other) == set()


def test_it_applies_the_retention_settings(
    rep_factory, make_media, settings, django_capture_on_commit_callbacks, process
):
    import datetime as dt

    from django.utils import timezone

    rep = rep_factory()
    old = process(upload_file(rep, make_media("mp4", size=(640, 360))))
    recent = process(upload_file(rep, make_media("mp3", size=None)))
    abandoned = services.upload_create(
        owner=rep, length=100, filename="x.mp4", kind="recording"
    )
    long_ago = timezone.now() - dt.timedelta(days=40)
    MediaAsset.objects.filter(pk__in=[old.pk, abandoned.pk]).update(created_at=long_ago)
    MediaAsset.objects.filter(pk=recent.pk).update(processed_at=long_ago)
    settings.MEDIA_RECORDING_RETENTION_DAYS = 30
    settings.MEDIA_ORIGINAL_RETENTION_DAYS = 30

    with django_capture_on_commit_callbacks(execute=True):
        expired = services.assets_expire()

    assert expired == {"recordings": 1, "originals": 1, "abandoned": 1}
    assert list(MediaAsset.objects.all()) == [recent]
    recent.refresh_from_db()
    assert recent.original == ""
    assert _files(recent) == {recent.playback}


def test_it_requeues_stuck_jobs_and_gives_up_after_five_tries(
    rep_factory, monkeypatch, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    queued = []
    monkeypatch.setattr(
        "media.tasks.asset_process_task.delay", lambda asset_id: queued.append(asset_id)
    )
    rep = rep_factory()
    stuck = services.upload_create(
        owner=rep, length=10, filename="a.mp4", kind="recording"
    )
    hopeless = services.upload_create(
        owner=rep, length=10, filename="b.mp4", kind="recording"
    )
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    MediaAsset.objects.filter(pk=stuck.pk).update(
        status="uploaded", uploaded_at=an_hour_ago
    )
    MediaAsset.objects.filter(pk=hopeless.pk).update(
        status="uploaded", uploaded_at=an_hour_ago, attempts=5
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.assets_requeue_stuck() == 1

    assert queued == [stuck.pk]
    hopeless.refresh_from_db()
    assert hopeless.status == MediaAsset.Status.FAILED
    assert "several tries" in hopeless.failure_reason


def _bytes(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)


def test_it_leaves_an_asset_to_the_run_that_holds_it(rep_factory, make_media, process):
    asset = upload_file(rep_factory(), make_media("mp4", size=(640, 360)))
    from django.utils import timezone

    MediaAsset.objects.filter(pk=asset.pk).update(
        status="processing",
        processing_run_id="other-run",
        processing_started_at=timezone.now(),
        attempts=1,
    )
    held = process(asset, run_id="duplicate-message")
    assert (held.status, held.attempts, held.playback) == ("processing", 1, "")

    redelivered = process(asset, run_id="other-run")
    assert redelivered.status == "ready"


def test_it_takes_over_an_asset_whose_run_outlived_the_time_limit(
    rep_factory, make_media, process
):
    import datetime as dt

    from django.utils import timezone

    asset = upload_file(rep_factory(), make_media("mp4", size=(640, 360)))
    MediaAsset.objects.filter(pk=asset.pk).update(
        status="processing",
        processing_run_id="dead-worker",
        processing_started_at=timezone.now() - dt.timedelta(hours=4),
    )
    assert process(asset, run_id="sweeper").status == "ready"


def test_it_rejects_a_file_that_lies_about_its_length(
    rep_factory, make_media, settings, process, tmp_path, ffmpeg_exe
):
    import subprocess

    real = make_media("mkv", size=(320, 240), seconds=12)
    liar = tmp_path / "liar.mkv"
    # Claim 2 seconds in the container while 12 are there.
    subprocess.run(
        [ffmpeg_exe, "-loglevel", "error", "-i", str(real), "-c", "copy",
         "-metadata", "DURATION=00:00:02.000", "-fflags", "+bitexact",
         "-t", "12", str(liar)],
        check=True,
    )  # fmt: skip
    settings.MEDIA_MAX_DURATION_SECONDS = 5
    asset = upload_file(rep_factory(), liar)
    from media import ffmpeg as media_ffmpeg

    original_probe = media_ffmpeg.probe

    def lying_probe(path, **kwargs):
        found = original_probe(path, **kwargs)
        return dataclasses.replace(found, duration=2.0)

    import dataclasses
    from unittest import mock

    with mock.patch("media.ffmpeg.probe", side_effect=lying_probe):
        failed = process(asset)
    assert failed.status == "failed"
    assert "longer than the 5 seconds allowed" in failed.failure_reason


def test_it_keeps_nothing_of_an_asset_deleted_while_it_was_processed(
    rep_factory, make_media, process, django_capture_on_commit_callbacks
):
    from unittest import mock

    asset = upload_file(rep_factory(), make_media("mp4", size=(640, 360)))
    real_transcode = services.ffmpeg.transcode

    def delete_midway(*args, **kwargs):
        MediaAsset.objects.filter(pk=asset.pk).delete()
        return real_transcode(*args, **kwargs)

    with mock.patch("media.services.ffmpeg.transcode", side_effect=delete_midway):
        assert process(asset) is None
    assert _files(asset) == set()


def test_it_removes_the_work_folders_of_dead_workers_whatever_the_clock_says(
    tmp_path, monkeypatch, time_machine
):
    monkeypatch.setattr(services.tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = tmp_path / f"{services.WORKDIR_PREFIX}{dead.pid}-abc"
    running = tmp_path / f"{services.WORKDIR_PREFIX}{os.getpid()}-def"
    for folder in (orphan, running):
        (folder / "out").mkdir(parents=True)
    time_machine.move_to("2040-01-01T00:00:00+00:00")  # a clock far ahead

    services._remove_stale_workdirs()

    assert not orphan.exists()
    assert (running / "out").is_dir()
