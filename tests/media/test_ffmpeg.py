"""Probing and transcoding real files with the bundled ffmpeg."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from media.ffmpeg import (
    FfmpegLimitExceeded,
    Outputs,
    Probe,
    _parse_input,
    probe,
    transcode,
    validate,
)
from tests.media_fixtures import MakeMedia

REPO_ROOT = Path(__file__).resolve().parents[2]


def _transcode(src: Path, workdir: Path, **options: object) -> tuple[Probe, Outputs]:
    source = probe(src)
    return source, transcode(src, source, workdir, time_limit=60, **options)


def _picture_size(ffmpeg_exe: str, path: Path) -> tuple[int, int]:
    stderr = subprocess.run(
        [ffmpeg_exe, "-hide_banner", "-i", str(path)], capture_output=True, text=True
    ).stderr
    match = re.search(r"Video: mjpeg.*?, (\d+)x(\d+)", stderr)
    assert match, stderr
    return int(match[1]), int(match[2])


def _assert_plays_like(source: Probe, outputs: Outputs) -> Probe:
    playback = probe(outputs.playback)
    assert playback.container == "mov,mp4,m4a,3gp,3g2,mj2"
    assert source.duration is not None
    assert playback.duration == pytest.approx(source.duration, abs=0.1)
    assert outputs.duration == playback.duration
    assert (outputs.width, outputs.height) == (playback.width, playback.height)
    return playback


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1280, 720), (1280, 720)),
        ((720, 1280), (404, 720)),
        ((1920, 1080), (1280, 720)),
        ((1080, 1920), (404, 720)),
        ((640, 360), (640, 360)),
    ],
    ids=["720p", "portrait-720", "1080p", "portrait-1080", "small"],
)
def test_it_makes_h264_aac_mp4_at_most_720_high(
    make_media: MakeMedia,
    ffmpeg_exe: str,
    tmp_path: Path,
    size: tuple[int, int],
    expected: tuple[int, int],
):
    source, outputs = _transcode(make_media(size=size), tmp_path)

    playback = _assert_plays_like(source, outputs)
    assert outputs.playback == tmp_path / "playback.mp4"
    assert outputs.content_type == "video/mp4"
    assert (
        playback.summary() == f"video h264 {expected[0]}x{expected[1]}, audio aac 2ch"
    )
    assert (outputs.width, outputs.height) == expected
    assert outputs.poster == tmp_path / "poster.jpg"
    assert outputs.poster.read_bytes()[:2] == b"\xff\xd8"
    assert _picture_size(ffmpeg_exe, outputs.poster) == expected


def test_it_turns_a_rotated_phone_video_upright(
    make_media: MakeMedia, ffmpeg_exe: str, tmp_path: Path
):
    src = make_media(size=(1280, 720), rotation=90)
    source, outputs = _transcode(src, tmp_path)

    assert (source.width, source.height) == (720, 1280)
    assert source.video_stream is not None
    assert (source.video_stream.width, source.video_stream.height) == (1280, 720)
    assert (outputs.width, outputs.height) == (404, 720)
    assert outputs.poster is not None
    assert _picture_size(ffmpeg_exe, outputs.poster) == (404, 720)
    playback = probe(outputs.playback)
    assert playback.video_stream is not None
    assert playback.video_stream.rotation == 0


@pytest.mark.parametrize(
    ("container", "channels"), [("mp3", 1), ("wav", 2), ("m4a", 1)]
)
def test_it_makes_aac_in_mp4_from_audio_only_recordings(
    make_media: MakeMedia, tmp_path: Path, container: str, channels: int
):
    source, outputs = _transcode(
        make_media(container, size=None, channels=channels), tmp_path
    )

    playback = _assert_plays_like(source, outputs)
    assert outputs.playback == tmp_path / "playback.m4a"
    assert outputs.content_type == "audio/mp4"
    assert playback.summary() == f"audio aac {channels}ch"
    assert outputs.poster is None
    assert (outputs.width, outputs.height) == (None, None)
    assert not (tmp_path / "poster.jpg").exists()


def test_it_resamples_audio_at_a_rate_aac_cannot_carry(ffmpeg_exe: str, tmp_path: Path):
    odd_rate = tmp_path / "dictaphone.wav"
    subprocess.run(
        [ffmpeg_exe, "-loglevel", "error", "-f", "lavfi"]
        + ["-i", "sine=frequency=440:sample_rate=6000:duration=2", str(odd_rate)],
        check=True,
    )

    source, outputs = _transcode(odd_rate, tmp_path / "out")

    assert source.audio_stream is not None
    assert source.audio_stream.sample_rate == 6000
    playback = _assert_plays_like(source, outputs)
    assert playback.audio_stream is not None
    assert playback.audio_stream.sample_rate == 48000


def test_it_reads_a_browser_recording_that_has_no_duration(
    make_media: MakeMedia, tmp_path: Path
):
    src = make_media("webm", size=(640, 480), seconds=3, streamed=True)

    source = probe(src)
    assert source.container == "matroska,webm"
    assert source.demuxer == "matroska"
    assert source.summary() == "video vp8 640x480, audio opus 2ch"
    assert source.duration == pytest.approx(3.0, abs=0.1)

    outputs = transcode(src, source, tmp_path, time_limit=60)
    playback = _assert_plays_like(source, outputs)
    assert playback.summary() == "video h264 640x480, audio aac 2ch"


def test_it_makes_a_silent_video_playable_without_a_waveform(
    make_media: MakeMedia, tmp_path: Path
):
    source, outputs = _transcode(make_media(channels=None), tmp_path)

    playback = _assert_plays_like(source, outputs)
    assert playback.summary() == "video h264 1280x720"
    assert outputs.content_type == "video/mp4"
    assert outputs.peaks == []
    assert outputs.poster is not None


def test_it_draws_a_waveform_of_peaks_between_0_and_1(
    make_media: MakeMedia, tmp_path: Path
):
    src = make_media("mp3", size=None, channels=1)
    _, outputs = _transcode(src, tmp_path, points=300)

    assert len(outputs.peaks) == 300
    assert all(0 <= peak <= 1 for peak in outputs.peaks)
    # lavfi's sine has an amplitude of 1/8; the last bucket may hold the fade-out.
    assert all(peak == pytest.approx(0.125, abs=0.02) for peak in outputs.peaks[1:-1])


def test_it_gives_the_same_result_when_run_again_and_leaves_no_temporary_files(
    make_media: MakeMedia, tmp_path: Path
):
    src = make_media(size=(640, 360))
    _, first = _transcode(src, tmp_path)
    _, second = _transcode(src, tmp_path)

    assert second == first
    assert sorted(os.listdir(tmp_path)) == ["playback.mp4", "poster.jpg"]


def test_it_gives_up_at_the_time_limit_and_leaves_nothing_behind(
    make_media: MakeMedia, tmp_path: Path
):
    src = make_media(size=(1920, 1080))

    # A limit, not a crash: the same file would run out of time again.
    with pytest.raises(FfmpegLimitExceeded, match="took too long to process"):
        transcode(src, probe(src), tmp_path, time_limit=0.05)
    assert os.listdir(tmp_path) == []


def test_it_removes_temporary_files_a_killed_run_left_behind(
    make_media: MakeMedia, tmp_path: Path
):
    stale = tmp_path / ".playback.mp4.0123456789ab.part"
    stale.write_bytes(b"half a video")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))

    _transcode(make_media(size=(640, 360)), tmp_path)

    assert sorted(os.listdir(tmp_path)) == ["playback.mp4", "poster.jpg"]


def test_it_does_not_count_cover_art_as_video(
    make_media: MakeMedia, ffmpeg_exe: str, tmp_path: Path
):
    cover = tmp_path / "cover.png"
    subprocess.run(
        [
            ffmpeg_exe,
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "smptebars=size=320x240",
        ]
        + ["-frames:v", "1", str(cover)],
        check=True,
    )
    song = tmp_path / "song.mp3"
    subprocess.run(
        [ffmpeg_exe, "-loglevel", "error", "-i", str(make_media("mp3", size=None))]
        + ["-i", str(cover), "-map", "0", "-map", "1", "-c", "copy"]
        + ["-disposition:v", "attached_pic", str(song)],
        check=True,
    )

    source = validate(song, max_bytes=10_000_000, max_duration=60)
    assert not source.has_video
    assert [s.kind for s in source.streams] == ["audio", "other"]
    outputs = transcode(song, source, tmp_path / "out", time_limit=60)
    assert outputs.content_type == "audio/mp4"
    assert outputs.poster is None


def test_it_accepts_a_good_upload_and_describes_it(make_media: MakeMedia):
    source = validate(
        make_media(size=(1280, 720), seconds=3), max_bytes=10_000_000, max_duration=60
    )

    assert source.container == "mov,mp4,m4a,3gp,3g2,mj2"
    assert source.demuxer == "mov"
    assert source.has_video and source.has_audio
    assert source.summary() == "video h264 1280x720, audio aac 2ch"
    assert source.duration == pytest.approx(3.0, abs=0.05)


def test_it_reads_older_ffmpeg_wording_and_odd_streams():
    stderr = """\
Input #0, matroska,webm, from 'upload':
  Metadata:
    title           : Stream #0:7: Video: h264, 4000x4000
  Duration: 01:02:03.50, start: 0.000000, bitrate: 2000 kb/s
  Stream #0:0(eng): Video: hevc (Main), yuv420p(tv, bt709), 1920x1080, SAR 1:1 DAR 16:9
    Metadata:
      comment         : first line
  Stream #0:5: Video: h264, 4000x4000
    Side data:
      displaymatrix: rotation of -90.00 degrees
  Stream #0:1(eng): Audio: opus, 48000 Hz, 5.1(side), fltp (default)
  Stream #0:2: Subtitle: subrip
  Stream #0:3: Attachment: ttf
At least one output file must be specified
"""
    container, duration, estimated, streams = _parse_input(stderr)  # type: ignore[misc]
    source = Probe(container, "matroska", duration, streams)

    assert duration == pytest.approx(3723.5)
    assert not estimated
    assert [s.kind for s in streams] == ["video", "audio", "other", "other"]
    assert (source.width, source.height) == (1080, 1920)
    assert streams[1].channels == 6
    assert streams[1].sample_rate == 48000
    assert source.summary() == "video hevc 1080x1920, audio opus 6ch"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_it_kills_ffmpeg_when_the_worker_running_it_is_killed(ffmpeg_exe: str):
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time, sys; from media.ffmpeg import _Budget, _run; "
            "_run(sys.argv[1:], budget=_Budget(time.monotonic() + 60))",
            ffmpeg_exe,
            "-f",
            "lavfi",
            "-i",
            "anullsrc",
            "-f",
            "null",
            "-",
        ],
        cwd=REPO_ROOT,
    )
    try:
        child = _wait_for_child_of(worker.pid)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        deadline = time.monotonic() + 5
        while _is_running(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _is_running(child)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def _wait_for_child_of(parent: int) -> int:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                    return int(entry.name)
        time.sleep(0.05)
    raise AssertionError("ffmpeg did not start")


def _is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
