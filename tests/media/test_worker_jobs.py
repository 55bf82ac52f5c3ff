"""Transcoding through real worker processes: the normal path on any broker, and a
worker killed in the middle of a transcode on Redis (CI)."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from django.conf import settings
from django.core.files.storage import storages

from media import ffmpeg, services
from media.models import MediaAsset
from media.tasks import asset_process_task
from tests.media.test_processing import _files, upload_file
from tests.worker import running_worker

pytestmark = pytest.mark.worker


def test_it_transcodes_an_upload_through_the_worker(
    celery_worker, rep_factory, make_media
):
    asset = upload_file(rep_factory(), make_media("webm", size=(640, 360), seconds=2))
    ready = celery_worker.wait_for(
        lambda: MediaAsset.objects.filter(pk=asset.pk, status="ready").first(),
        timeout=60,
        what="the transcode",
    )
    assert ready.playback_content_type == "video/mp4"
    assert _files(ready) == {ready.original, ready.playback, ready.poster}


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in found.stdout.split()]


@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis://"),
    reason="redelivery of a killed worker's job needs the Redis broker (runs in CI)",
)
def test_it_finishes_exactly_once_when_the_worker_is_killed_mid_transcode(
    transactional_db,
    reset_without_post_migrate,
    tasks_to_broker,
    settings,
    rep_factory,
    make_media,
    tmp_path,
    client,
):
    from tests import settings as test_settings

    settings.STORAGES = {
        **settings.STORAGES,
        "private": test_settings.STORAGES["private"],
    }
    queue = f"media-kill-test-{os.getpid()}"
    rep = rep_factory()
    source = make_media("mp4", size=(1920, 1080), seconds=30)
    # The upload is complete but nothing is queued yet: this test sends the job.
    asset = services.upload_create(
        owner=rep, length=source.stat().st_size, filename=source.name, kind="recording"
    )
    name = storages["private"].save(
        f"{asset.storage_prefix}uploads/0", source.open("rb")
    )
    MediaAsset.objects.filter(pk=asset.pk).update(
        chunks=[name], upload_offset=asset.upload_length, status="uploaded"
    )
    client.force_login(rep)

    with running_worker(tmp_path, queues=queue, pool="prefork") as (worker, process):
        asset_process_task.apply_async(args=[asset.pk], queue=queue)
        worker.wait_for(
            lambda: MediaAsset.objects.filter(
                pk=asset.pk, status="processing"
            ).exists(),
            what="processing to start",
        )
        (child,) = worker.wait_for(
            lambda: _children(process.pid), what="the pool child"
        )
        ffmpeg_runs = worker.wait_for(lambda: _children(child), what="ffmpeg to start")
        time.sleep(1)  # well inside the transcode
        assert client.get(asset.playback_url).status_code == 404
        os.kill(child, signal.SIGKILL)

        ready = worker.wait_for(
            lambda: MediaAsset.objects.filter(pk=asset.pk, status="ready").first(),
            timeout=180,
            what="the redelivered job to finish",
        )
        assert "WorkerLostError" in worker.log() or "lost" in worker.log().lower()
        # The killed run's ffmpeg died with its parent instead of running on.
        for pid in ffmpeg_runs:
            assert not os.path.exists(f"/proc/{pid}") or _is_zombie(pid)

    assert ready.attempts == 2
    assert _files(ready) == {ready.original, ready.playback, ready.poster}
    served = tmp_path / "served.mp4"
    response = client.get(ready.playback_url)
    served.write_bytes(b"".join(response.streaming_content))
    assert served.read_bytes() == storages["private"].open(ready.playback).read()
    assert abs(ffmpeg.probe(served).duration - 30) < 0.1


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] == "Z"
    except FileNotFoundError:
        return True
