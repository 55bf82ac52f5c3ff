"""What one upload may cost: the picture size validation admits, and the memory and
time each ffmpeg run may take (issue 12 B: a 194 KB 8192x8192 clip took 940 MB)."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest
from django.conf import settings

from media.ffmpeg import (
    FfmpegFailed,
    FfmpegLimitExceeded,
    MediaRejected,
    _Budget,
    _check_memory,
    probe,
    transcode,
    validate,
)


def _validate(path: Path, **limits: object):
    return validate(path, max_bytes=10**9, max_duration=60, **limits)


def test_it_admits_4k_video_by_default(make_large_clip):
    clip = make_large_clip(3840, 2160)
    accepted = _validate(
        clip,
        max_pixels=settings.MEDIA_MAX_VIDEO_PIXELS,
        memory_limit_mb=settings.MEDIA_FFMPEG_MEMORY_MB,
    )
    assert (accepted.width, accepted.height) == (3840, 2160)


def test_it_refuses_a_picture_larger_than_the_limit_in_plain_words(make_large_clip):
    clip = make_large_clip(8192, 8192)
    assert clip.stat().st_size < 300_000  # tiny on disk, huge to decode

    with pytest.raises(MediaRejected) as refusal:
        _validate(clip, max_pixels=settings.MEDIA_MAX_VIDEO_PIXELS)
    assert str(refusal.value) == (
        "This video is 8192×8192 pixels (67.1 megapixels); we accept at most 8.8 "
        "megapixels (4K, 3840×2160, is 8.3). Export it at a lower resolution, such "
        "as 1080p, and upload it again."
    )


def test_it_stops_a_transcode_at_its_memory_limit_and_leaves_nothing_behind(
    make_large_clip, tmp_path
):
    # Transcoding this 4K clip maps 400-520 MB (2 cores; more with more threads).
    clip = make_large_clip(3840, 2160, frames=5)
    before = resource.getrlimit(resource.RLIMIT_AS)

    with pytest.raises(FfmpegFailed) as failed:
        transcode(clip, probe(clip), tmp_path, time_limit=60, memory_limit_mb=300)
    # Out of memory is told apart from other failures when ffmpeg says so or its
    # peak was seen near the limit (sampled every 10 ms: a very loaded machine can
    # miss it, and the failure is then an ordinary one, retried). Never a refusal.
    if isinstance(failed.value, FfmpegLimitExceeded):
        assert str(failed.value) == (
            "This file needs more memory to process than the 300 MB we allow. "
            "Export it at a lower resolution, such as 1080p, and upload it again."
        )
    assert os.listdir(tmp_path) == []
    # The limit applies to the ffmpeg child only, never to the worker itself.
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_it_transcodes_4k_within_the_default_memory_limit(make_large_clip, tmp_path):
    clip = make_large_clip(3840, 2160, frames=5)
    outputs = transcode(
        clip,
        probe(clip),
        tmp_path,
        time_limit=60,
        memory_limit_mb=settings.MEDIA_FFMPEG_MEMORY_MB,
    )
    assert (outputs.width, outputs.height) == (1280, 720)


@pytest.mark.parametrize("returncode", [0, 1])
def test_it_takes_an_allocation_ffmpeg_reports_as_the_memory_limit_whatever_it_exits(
    returncode,
):
    # Seen in CI: a filter's thread could not allocate, ffmpeg wrote nothing and
    # still ended with 0; the peak, sampled every 10 ms, was under the limit.
    said = (
        b"[fc#0 @ 0x55] Terminating thread with return code -12 (Cannot allocate "
        b"memory)\n[out#0/mp4 @ 0x55] Nothing was written into output file\n"
    )
    budget = _Budget(deadline=time.monotonic() + 60, memory_mb=300)

    with pytest.raises(FfmpegLimitExceeded, match="more memory to process than"):
        _check_memory(returncode, said, peak_mb=90, budget=budget)


def test_it_leaves_a_run_that_ended_well_and_said_nothing_of_memory_alone():
    budget = _Budget(deadline=time.monotonic() + 60, memory_mb=300)
    _check_memory(0, b"frame=5 fps=0.0 q=-1.0 Lsize=1kB", peak_mb=299, budget=budget)
