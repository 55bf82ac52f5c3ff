"""Real media for tests (generated with ffmpeg's own test sources) and ready assets."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg
import pytest

from tests.parallel import RUN_DIR_VARIABLE

MakeMedia = Callable[..., Path]

_VIDEO_CODECS = {
    "mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    "mkv": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    "webm": ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8"],
}
_AUDIO_CODECS = {
    "mp4": ["-c:a", "aac"],
    "mkv": ["-c:a", "aac"],
    "webm": ["-c:a", "libopus"],
    "mp3": ["-c:a", "libmp3lame"],
    "wav": ["-c:a", "pcm_s16le"],
    "m4a": ["-c:a", "aac"],
}
_MUXERS = {
    "mp4": "mp4",
    "mkv": "matroska",
    "webm": "webm",
    "mp3": "mp3",
    "wav": "wav",
    "m4a": "ipod",
}


@pytest.fixture(scope="session")
def ffmpeg_exe() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


@pytest.fixture(scope="session")
def make_media(ffmpeg_exe: str) -> MakeMedia:
    """Make (once per test run) a short clip with the given shape.

    `size` is the coded video size or None for audio only; `channels` None makes a
    silent file. `rotation` adds a display rotation, as phones record portrait
    video. `streamed` writes the file to a pipe, as a browser's MediaRecorder does,
    so the container carries no duration.

    The clips are kept in the run's folder (tests/parallel.py): a clip one test
    process made is not made again by another.
    """
    folder = Path(os.environ[RUN_DIR_VARIABLE]) / "media"
    folder.mkdir(exist_ok=True)

    def make(
        container: str = "mp4",
        *,
        size: tuple[int, int] | None = (1280, 720),
        channels: int | None = 2,
        seconds: float = 2.0,
        rotation: int | None = None,
        streamed: bool = False,
    ) -> Path:
        key = (container, size, channels, seconds, rotation, streamed)
        name = hashlib.sha1(repr(key).encode()).hexdigest()[:12]
        path = folder / f"{name}.{container}"
        with (folder / f"{name}.lock").open("w") as lock:
            # Another test process making the same clip: wait for it.
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.exists():
                partial = folder / f"{name}-partial.{container}"
                _make_clip(ffmpeg_exe, partial, *key)
                partial.replace(path)
        return path

    return make


def _make_clip(
    ffmpeg_exe: str,
    path: Path,
    container: str,
    size: tuple[int, int] | None,
    channels: int | None,
    seconds: float,
    rotation: int | None,
    streamed: bool,
) -> None:
    command = [ffmpeg_exe, "-nostdin", "-hide_banner", "-loglevel", "error"]
    if size is not None:
        width, height = size
        command += [
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size={width}x{height}:rate=25:duration={seconds}",
        ]
    if channels is not None:
        command += [
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:sample_rate=48000:duration={seconds}",
            "-ac",
            str(channels),
        ]
        command += _AUDIO_CODECS[container]
    if size is not None:
        command += _VIDEO_CODECS[container]
    command += ["-f", _MUXERS[container]]
    if rotation is None:
        made = path
    else:
        made = path.with_name(f"unrotated-{path.name}")
    if streamed:
        with made.open("wb") as output:
            subprocess.run([*command, "pipe:1"], stdout=output, check=True)
    else:
        subprocess.run([*command, "-y", str(made)], check=True)
    if rotation is not None:
        subprocess.run(
            [
                ffmpeg_exe,
                "-nostdin",
                "-loglevel",
                "error",
                "-display_rotation",
                str(rotation),
                "-i",
                str(made),
                "-c",
                "copy",
                "-y",
                str(path),
            ],
            check=True,
        )
        made.unlink()


@pytest.fixture(scope="session")
def transcoded_clip(make_media: MakeMedia, tmp_path_factory: pytest.TempPathFactory):
    """A real 3-second clip as the pipeline outputs it (made once per session)."""
    from media import ffmpeg

    source = make_media("mp4", size=(640, 360), seconds=3.0)
    return ffmpeg.probe(source), ffmpeg.transcode(
        source,
        ffmpeg.probe(source),
        tmp_path_factory.mktemp("transcoded"),
        time_limit=60,
    )


@pytest.fixture
def make_ready_recording(transcoded_clip, db):
    """Publish that clip as a ready recording of `owner`, files in private storage."""
    from django.core.files.base import File
    from django.core.files.storage import storages

    from media.models import MediaAsset

    probe, outputs = transcoded_clip

    def make(owner, **fields):
        size = outputs.playback.stat().st_size
        fields = {"title": "Pricing objection", **fields}
        asset = MediaAsset.objects.create(
            owner=owner, upload_length=size, upload_offset=size, **fields
        )
        storage = storages["private"]
        with outputs.playback.open("rb") as data:
            playback = storage.save(
                f"{asset.storage_prefix}v1/playback.mp4", File(data)
            )
        with outputs.poster.open("rb") as data:
            poster = storage.save(f"{asset.storage_prefix}v1/poster.jpg", File(data))
        MediaAsset.objects.filter(pk=asset.pk).update(
            status=MediaAsset.Status.READY,
            playback=playback,
            poster=poster,
            playback_content_type=outputs.content_type,
            playback_size=outputs.playback.stat().st_size,
            duration=outputs.duration,
            width=outputs.width,
            height=outputs.height,
            peaks=outputs.peaks,
            container=probe.container,
            streams_summary=probe.summary(),
        )
        asset.refresh_from_db()
        return asset

    return make


# A two-channel call: the rep (left) talks about 40% of the time, the buyer (right)
# the rest, with bleed and noise (media.dialogue, the stand-in voice: no espeak-ng
# needed).
DIALOGUE_TURNS = [
    ("Thanks for making the time today.", 0, 0.6),
    ("Sure, happy to talk about how we report on sales every week.", 1, 0.6),
    ("How do you build the weekly report right now?", 0, 0.8),
    ("Mostly spreadsheets. Somebody exports the numbers by hand on Monday.", 1, 0.7),
    ("Then we argue about which store is right, and it takes half a day.", 1, 1.2),
    ("Who else reads it?", 0, 0.9),
]


@pytest.fixture(scope="session")
def transcoded_dialogue(tmp_path_factory: pytest.TempPathFactory):
    """(dialogue with its truth, transcoded outputs) of DIALOGUE_TURNS, made once."""
    from media import ffmpeg
    from media.dialogue import Turn, build_dialogue

    built = build_dialogue(
        [Turn(speaker, text, gap) for text, speaker, gap in DIALOGUE_TURNS],
        use_espeak=False,
    )
    folder = tmp_path_factory.mktemp("dialogue")
    source = built.write_wav(folder / "call.wav")
    probe = ffmpeg.probe(source)
    return built, probe, ffmpeg.transcode(source, probe, folder / "out", time_limit=60)


@pytest.fixture
def make_ready_dialogue(transcoded_dialogue, db):
    """make(owner, **fields): a ready two-channel call recording of `owner`."""
    from django.core.files.base import File
    from django.core.files.storage import storages

    from media.models import MediaAsset

    _, probe, outputs = transcoded_dialogue

    def make(owner, **fields):
        size = outputs.playback.stat().st_size
        asset = MediaAsset.objects.create(
            owner=owner,
            upload_length=size,
            upload_offset=size,
            **{"title": "Acme discovery", **fields},
        )
        with outputs.playback.open("rb") as data:
            playback = storages["private"].save(
                f"{asset.storage_prefix}v1/playback.m4a", File(data)
            )
        MediaAsset.objects.filter(pk=asset.pk).update(
            status=MediaAsset.Status.READY,
            playback=playback,
            playback_content_type=outputs.content_type,
            playback_size=size,
            duration=outputs.duration,
            peaks=outputs.peaks,
            container=probe.container,
            streams_summary=probe.summary(),
        )
        asset.refresh_from_db()
        return asset

    return make


@pytest.fixture(scope="session")
def make_large_clip(
    tmp_path_factory: pytest.TempPathFactory, ffmpeg_exe: str
) -> Callable[[int, int], Path]:
    """An H.264 MP4 of a plain grey picture of `width` x `height`, one second at
    `frames` frames (made once per session): tiny on disk, costly to decode."""
    folder = tmp_path_factory.mktemp("large")
    made: dict[tuple[int, int, int], Path] = {}

    def make(width: int, height: int, frames: int = 1) -> Path:
        key = (width, height, frames)
        if key not in made:
            path = folder / f"{width}x{height}-{frames}.mp4"
            subprocess.run(
                [
                    ffmpeg_exe,
                    "-nostdin",
                    "-loglevel",
                    "error",
                    "-f",
                    "lavfi",
                    "-i",
                    f"color=c=gray:size={width}x{height}:rate={frames}:duration=1",
                    "-c:v",
                    "libx264",
                    "-preset",
                    "ultrafast",
                    "-pix_fmt",
                    "yuv420p",
                    "-y",
                    str(path),
                ],
                check=True,
            )
            made[key] = path
        return made[key]

    return make
