"""ffmpeg, wrapped for the recording pipeline: probe, validate and transcode uploads.

The transcode task and the `probe_media` command call this module; nothing here knows
about models or settings, so the limits arrive as arguments. Uploads are hostile: every
ffmpeg run that reads one may open local files only (`-protocol_whitelist file`) and
only the containers in ALLOWED_DEMUXERS (`-format_whitelist`); once probed, later runs
force the probed demuxer with `-f`. ffmpeg runs without a shell, with no stdin, under a
deadline, and dies with the process that started it.

Cost is bounded too: `validate()` refuses pictures larger than `max_pixels`, and every
ffmpeg child runs under an address-space limit (`memory_limit_mb`, RLIMIT_AS set in
the child), with glibc's malloc arenas capped (MALLOC_ARENA_MAX=2: otherwise each
thread reserves 64 MB of address space it never uses) and at most _MAX_THREADS
decoding and encoding threads, so that the memory one file needs does not grow with
the machine's cores. Measured on 4K (3840x2160) sources: H.264 about 0.7-1.0 GB of
address space and 0.3-0.5 GB resident, 10-bit HEVC about 1.05 GB and 0.6 GB. Hitting
the time or memory limit raises FfmpegLimitExceeded: the same file would hit it again.

The static ffmpeg from imageio-ffmpeg has no ffprobe, so `probe()` reads what
`ffmpeg -i FILE` prints.
"""

from __future__ import annotations

import array
import ctypes
import functools
import math
import os
import re
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg
import imageio_ffmpeg
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, ngettext

from lms.lib.durations import format_duration

# ffmpeg's container names as it prints them on the "Input #0, <name>, from" line.
_CONTAINERS = (
    "mov,mp4,m4a,3gp,3g2,mj2",
    "matroska,webm",
    "mp3",
    "wav",
    "ogg",
    "flac",
    "aac",
)
ALLOWED_DEMUXERS: frozenset[str] = frozenset(_CONTAINERS)
_FORMAT_WHITELIST = ",".join(_CONTAINERS)
_UNTRUSTED_INPUT: dict[str, str] = {
    "protocol_whitelist": "file",
    "format_whitelist": _FORMAT_WHITELIST,
}

_WAVEFORM_SAMPLE_RATE = 4000
# Fine-grained peaks kept per output point while streaming, so that the final
# `points` buckets line up with the real length even when the probed duration is a
# little off.
_WAVEFORM_OVERSAMPLING = 4
_READ_SIZE = 1 << 20


class MediaRejected(Exception):
    """The upload itself is unacceptable; the message is meant for the uploader."""


class FfmpegFailed(Exception):
    """ffmpeg crashed or failed on an accepted file; trying again may help."""


class FfmpegLimitExceeded(FfmpegFailed):
    """ffmpeg hit its time or memory limit on this file. The same file would hit it
    again, so the job is not retried: the message is meant for the uploader, and
    `detail` (what ffmpeg said) for the log."""

    def __init__(self, message: str | Promise, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


_TOO_SLOW = gettext_lazy(
    "This file took too long to process. Try a shorter recording, or export it at "
    "a lower resolution."
)


_EMPTY = gettext_lazy("This file is empty. Try uploading it again.")
_PLAYLIST = gettext_lazy(
    "This file is a playlist, not a recording. Upload the audio or video file itself."
)
_FILE_LIST = gettext_lazy(
    "This file is a list of other files, not a recording. "
    "Upload the audio or video file itself."
)
_PICTURE = gettext_lazy(
    "This file is a picture, not a recording. Upload an audio or video file."
)
_TEXT = gettext_lazy(
    "This file contains text, not a recording. Upload an audio or video file."
)
_UNSUPPORTED = gettext_lazy(
    "This file is not in an audio or video format we accept. Upload an MP4, MOV, "
    "M4A, WebM, MKV, MP3, WAV, OGG, FLAC or AAC file."
)
_DAMAGED = gettext_lazy(
    "This file looks damaged or incomplete, so it cannot be played. "
    "Try exporting or uploading it again."
)
_NO_SOUND_OR_PICTURE = gettext_lazy(
    "This file has no sound or picture in it. Upload a recording with audio or video."
)
_UNKNOWN_LENGTH = gettext_lazy(
    "We could not tell how long this recording is, so it cannot be accepted. "
    "Try exporting it again as MP4 or MP3."
)


@dataclass(frozen=True)
class Stream:
    """One stream of a probed file, as far as the pipeline cares.

    `kind` is "other" for subtitles, data, attachments and pictures embedded as
    cover art. `rotation` is the display rotation in degrees (0 when none).
    """

    index: int
    kind: str
    codec: str
    width: int | None
    height: int | None
    channels: int | None
    sample_rate: int | None
    rotation: float = 0.0

    @property
    def display_size(self) -> tuple[int, int] | None:
        if self.width is None or self.height is None:
            return None
        if round(self.rotation) % 180 == 90:
            return self.height, self.width
        return self.width, self.height


@dataclass(frozen=True)
class Probe:
    """What ffmpeg found in a file: validation and transcoding both start from it."""

    container: str
    demuxer: str
    duration: float | None
    streams: tuple[Stream, ...]

    @property
    def video_stream(self) -> Stream | None:
        return next((s for s in self.streams if s.kind == "video"), None)

    @property
    def audio_stream(self) -> Stream | None:
        return next((s for s in self.streams if s.kind == "audio"), None)

    @property
    def has_video(self) -> bool:
        return self.video_stream is not None

    @property
    def has_audio(self) -> bool:
        return self.audio_stream is not None

    @property
    def width(self) -> int | None:
        size = self.video_stream.display_size if self.video_stream else None
        return size[0] if size else None

    @property
    def height(self) -> int | None:
        size = self.video_stream.display_size if self.video_stream else None
        return size[1] if size else None

    def summary(self) -> str:
        parts = []
        for stream in self.streams:
            if stream.kind == "video":
                size = stream.display_size
                dims = f" {size[0]}x{size[1]}" if size else ""
                parts.append(f"video {stream.codec}{dims}")
            elif stream.kind == "audio":
                channels = f" {stream.channels}ch" if stream.channels else ""
                parts.append(f"audio {stream.codec}{channels}")
        return ", ".join(parts) or "no audio or video"


@dataclass(frozen=True)
class Outputs:
    """The files a transcode leaves in its work folder, and what they hold."""

    playback: Path
    content_type: str
    poster: Path | None
    peaks: list[float]
    duration: float
    width: int | None
    height: int | None


@dataclass(frozen=True)
class _Budget:
    """What the ffmpeg runs of one step may spend: a deadline (time.monotonic())
    and, when set, the address space each ffmpeg child may map, in MB."""

    deadline: float
    memory_mb: int | None = None


def probe(
    path: Path, *, timeout: float = 60, memory_limit_mb: int | None = None
) -> Probe:
    """Read the container and streams of `path`, refusing anything not allowed.

    Used by `validate()` on uploads and by `transcode()` on its own output. Raises
    MediaRejected when the file is not an allowed container with streams,
    FfmpegLimitExceeded when ffmpeg runs out of time or memory, and FfmpegFailed
    when it crashes.
    """
    budget = _Budget(time.monotonic() + timeout, memory_limit_mb)
    return _probe_file(path, budget=budget)


def _probe_file(path: Path, *, budget: _Budget) -> Probe:
    head = _read_head(path)
    # ffmpeg's whitelists already stop these; refusing before ffmpeg runs at all
    # keeps the playlist parsers out of reach and gives the clearer message.
    sniffed = _sniff(head)
    if sniffed in (_PLAYLIST, _FILE_LIST):
        raise MediaRejected(sniffed)
    command = [
        _ffmpeg_exe(),
        "-nostdin",
        "-hide_banner",
        "-threads",
        str(_MAX_THREADS),
        "-protocol_whitelist",
        "file",
        "-format_whitelist",
        _FORMAT_WHITELIST,
        "-i",
        str(path.resolve()),
    ]
    completed = _run(command, budget=budget)
    stderr = completed.stderr.decode("utf-8", "replace")
    parsed = _parse_input(stderr)
    if parsed is None:
        raise MediaRejected(_refusal_reason(stderr, head))
    container, duration, duration_estimated, streams = parsed
    if container not in ALLOWED_DEMUXERS:
        raise MediaRejected(sniffed or _UNSUPPORTED)
    if not streams:
        raise MediaRejected(_NO_SOUND_OR_PICTURE)
    demuxer = container.split(",")[0]
    has_media = any(s.kind in ("video", "audio") for s in streams)
    if has_media and (duration is None or duration_estimated):
        # Browser recordings (MediaRecorder WebM) carry no duration and VBR MP3s
        # without a header only have a guess: demuxing the whole file, without
        # decoding, gives the real length quickly.
        duration = _demuxed_duration(path, demuxer, budget=budget)
    return Probe(
        container=container, demuxer=demuxer, duration=duration, streams=streams
    )


def validate(
    path: Path,
    *,
    max_bytes: int,
    max_duration: float,
    max_pixels: int | None = None,
    memory_limit_mb: int | None = None,
) -> Probe:
    """Decide whether an upload is acceptable; the upload flow and `probe_media` use it.

    Checks, in order: empty file, size, container, at least one audio or video
    stream, picture size (width x height of every video stream) within
    `max_pixels`, known duration within the limit. Raises MediaRejected with a
    reason in plain words; FfmpegLimitExceeded when probing the file alone takes
    more than a minute or more than `memory_limit_mb`.
    """
    size = path.stat().st_size
    if size == 0:
        raise MediaRejected(_EMPTY)
    if size > max_bytes:
        actual, limit = human_size(size), human_size(max_bytes)
        if actual != limit:
            too_big = gettext(
                "This file is %(size)s, larger than the %(limit)s allowed. "
                "Trim the recording or export it at a lower quality."
            )
        else:
            too_big = gettext(
                "This file is larger than the %(limit)s allowed. "
                "Trim the recording or export it at a lower quality."
            )
        raise MediaRejected(too_big % {"size": actual, "limit": limit})
    result = probe(path, memory_limit_mb=memory_limit_mb)
    if not (result.has_video or result.has_audio):
        raise MediaRejected(_NO_SOUND_OR_PICTURE)
    if max_pixels is not None:
        _check_picture_size(result, max_pixels)
    if result.duration is None or result.duration <= 0:
        raise MediaRejected(_UNKNOWN_LENGTH)
    _check_duration(result.duration, max_duration)
    return result


def _check_picture_size(probe: Probe, max_pixels: int) -> None:
    # Decoding cost grows with the pixels of each frame, not with the file's size:
    # a 200 KB clip of 8192x8192 frames needs over a gigabyte to transcode.
    for stream in probe.streams:
        if stream.kind != "video" or not stream.width or not stream.height:
            continue
        pixels = stream.width * stream.height
        if pixels > max_pixels:
            raise MediaRejected(
                gettext(
                    "This video is %(width)s×%(height)s pixels (%(megapixels)s "
                    "megapixels); we accept at most %(limit)s megapixels (4K, "
                    "3840×2160, is 8.3). Export it at a lower resolution, such as "
                    "1080p, and upload it again."
                )
                % {
                    "width": stream.width,
                    "height": stream.height,
                    "megapixels": _megapixels(pixels),
                    "limit": _megapixels(max_pixels),
                }
            )


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def _check_duration(duration: float, max_duration: float) -> None:
    if duration > max_duration:
        actual, limit = _human_duration(duration), _human_duration(max_duration)
        if actual != limit:
            too_long = gettext(
                "This recording is %(length)s long, longer than the %(limit)s "
                "allowed. Trim it or split it into shorter parts."
            )
        else:
            too_long = gettext(
                "This recording is longer than the %(limit)s allowed. "
                "Trim it or split it into shorter parts."
            )
        raise MediaRejected(too_long % {"length": actual, "limit": limit})


def transcode(
    src: Path,
    probe: Probe,
    workdir: Path,
    *,
    time_limit: float,
    memory_limit_mb: int | None = None,
    max_height: int = 720,
    preset: str = "veryfast",
    crf: int = 23,
    points: int = 2000,
    max_duration: float | None = None,
) -> Outputs:
    """Make the playback file, poster and waveform of an accepted upload.

    The transcode task calls this with the Probe that `validate()` returned. Every
    output is written under a temporary name in `workdir` and renamed only when
    complete, so running it again into the same folder is safe. `time_limit` is the
    budget in seconds for all of it; `memory_limit_mb` the address space of each
    ffmpeg run. `max_duration` caps what is decoded, since a file can declare a
    shorter length than it has. Raises FfmpegLimitExceeded when ffmpeg runs out of
    time or memory, FfmpegFailed when it fails otherwise, and MediaRejected when the
    file turns out to be cut short or longer than allowed.
    """
    budget = _Budget(time.monotonic() + time_limit, memory_limit_mb)
    video, audio = probe.video_stream, probe.audio_stream
    if video is None and audio is None:
        raise MediaRejected(_NO_SOUND_OR_PICTURE)
    workdir.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(workdir, older_than=time_limit)
    source = str(src.resolve())

    playback = workdir / ("playback.mp4" if video else "playback.m4a")
    with _written_atomically(playback) as temporary:
        playback_output = _playback_output(
            source,
            probe,
            temporary,
            max_height=max_height,
            preset=preset,
            crf=crf,
            max_duration=max_duration,
        )
        if audio is not None and points > 0:
            # One run decodes the audio for the playback file and the waveform both.
            peaks = _playback_and_waveform_peaks(
                playback_output,
                source,
                probe,
                audio,
                points=points,
                max_duration=max_duration,
                budget=budget,
            )
        else:
            _run_checked(_compile(playback_output), budget=budget)
            peaks = []
        try:
            result = _probe_file(temporary, budget=budget)
        except MediaRejected as error:
            # Our own output, not the upload: a failure to process (retried, the
            # original kept), never a reason to refuse the upload.
            raise FfmpegFailed(
                f"the transcoded file could not be read: {error}"
            ) from error
        _check_complete(probe, result)
        if max_duration is not None:
            assert result.duration is not None  # _check_complete made sure
            _check_duration(result.duration, max_duration)

    poster = None
    if video is not None:
        poster = workdir / "poster.jpg"
        with _written_atomically(poster) as temporary:
            _make_poster(
                source,
                probe,
                video,
                temporary,
                max_height=max_height,
                budget=budget,
            )

    assert result.duration is not None  # _check_complete made sure
    return Outputs(
        playback=playback,
        content_type="video/mp4" if video else "audio/mp4",
        poster=poster,
        peaks=peaks,
        duration=result.duration,
        width=result.width,
        height=result.height,
    )


# Running ffmpeg


@functools.cache
def _ffmpeg_exe() -> str:
    return str(imageio_ffmpeg.get_ffmpeg_exe())


_PR_SET_PDEATHSIG = 1


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _die_with_parent_hook() -> Callable[[], None] | None:
    """A preexec_fn that has the kernel SIGKILL ffmpeg when its parent dies.

    Without it, a worker killed by its time limit or the OOM killer would leave
    ffmpeg running on. The signal follows the thread that started ffmpeg, so these
    functions must be called from a thread that outlives the run (Celery's prefork
    workers run tasks on their main thread).
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = _libc().prctl
    parent = os.getpid()

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return hook


def _child_setup(memory_mb: int | None) -> Callable[[], None] | None:
    """The preexec_fn of every ffmpeg child: die with the parent and, with a memory
    limit, cap the child's address space (RLIMIT_AS) so that a hostile file makes
    ffmpeg's allocations fail instead of taking the worker's machine."""
    die_with_parent = _die_with_parent_hook()
    if memory_mb is None:
        return die_with_parent
    limit = memory_mb * 1024 * 1024

    def hook() -> None:
        if die_with_parent is not None:
            die_with_parent()
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return hook


# At most this many decoding (and encoding) threads: ffmpeg's default follows the
# cores, and so would the memory one file needs.
_MAX_THREADS = min(os.cpu_count() or 1, 8)


def _child_env() -> dict[str, str]:
    # Each glibc malloc arena reserves 64 MB of address space; without a cap ffmpeg's
    # threads make up to 8 per core, which counts against RLIMIT_AS unused.
    return {**os.environ, "MALLOC_ARENA_MAX": "2"}


class _PeakMemory:
    """Follows an ffmpeg child's peak address space (VmPeak, Linux) while it runs:
    ffmpeg reports a failed allocation in many different words, or not at all, so
    a failed run that came close to its limit is taken to have hit it."""

    def __init__(self, pid: int) -> None:
        self.peak_mb = 0
        self._status = Path(f"/proc/{pid}/status")
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._follow, daemon=True)

    def __enter__(self) -> _PeakMemory:
        if self._status.exists():
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()

    def _follow(self) -> None:
        while True:
            try:
                for line in self._status.read_text().splitlines():
                    if line.startswith("VmPeak:"):
                        self.peak_mb = max(self.peak_mb, int(line.split()[1]) // 1024)
                        break
            except (OSError, ValueError, IndexError):
                return  # the process has gone
            if self._done.wait(0.01):
                return


# What ffmpeg says when an allocation fails, in the words seen under RLIMIT_AS (a
# decoder's frame pool failing is "get_buffer() failed"; other causes of that, such
# as absurd dimensions, are refused by the probe and the pixel limit first).
_OUT_OF_MEMORY_SIGNS = (
    b"cannot allocate memory",
    b"could not allocate",
    b"out of memory",
    b"malloc of size",
    b"pthread_create() failed",
    b"get_buffer() failed",
)


# How a probe (`ffmpeg -i FILE` with no output) ends when it has read the file.
_PROBED = b"At least one output file must be specified"


def _check_memory(
    returncode: int, stderr: bytes, peak_mb: int, budget: _Budget
) -> None:
    """Raise FfmpegLimitExceeded when a run ran out of its address space: it failed,
    or it says an allocation failed. (ffmpeg can end with 0 when a filter's thread
    could not allocate memory, having written nothing: that is the limit too, not a
    failure worth retrying.)"""
    limit = budget.memory_mb
    if limit is None or _PROBED in stderr:
        return
    said_so = any(sign in stderr.lower() for sign in _OUT_OF_MEMORY_SIGNS)
    if returncode == 0 and not said_so:
        return
    # A failed allocation leaves the peak under the limit by at most its own size:
    # a few MB in what was measured at 4K, about 100 MB for a frame at 8192x8192.
    near_limit = peak_mb >= limit - max(128, limit // 8)
    if said_so or near_limit:
        raise FfmpegLimitExceeded(
            gettext(
                "This file needs more memory to process than the %(limit)s MB we "
                "allow. Export it at a lower resolution, such as 1080p, and upload "
                "it again."
            )
            % {"limit": limit},
            detail=f"peak {peak_mb} MB; " + _tail(stderr, 500),
        )


def _remaining(budget: _Budget) -> float:
    remaining = budget.deadline - time.monotonic()
    if remaining <= 0:
        raise FfmpegLimitExceeded(_TOO_SLOW, detail="ffmpeg ran out of time")
    return remaining


def _start(
    command: Sequence[str], *, budget: _Budget, stdout: Any, stderr: Any
) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            preexec_fn=_child_setup(budget.memory_mb),
            env=_child_env(),
        )
    except OSError as exc:
        raise FfmpegFailed(f"could not start ffmpeg: {exc}") from exc


def _run(
    command: Sequence[str], *, budget: _Budget
) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg to completion; exit codes are left to the caller to judge, except
    that running out of time or memory raises FfmpegLimitExceeded."""
    timeout = _remaining(budget)
    process = _start(
        command, budget=budget, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    with process, _PeakMemory(process.pid) as memory:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            process.kill()
            process.communicate()
            raise FfmpegLimitExceeded(
                _TOO_SLOW, detail=f"ffmpeg ran out of time after {timeout:.1f} s"
            ) from exc
    _check_memory(process.returncode, stderr, memory.peak_mb, budget)
    if process.returncode < 0:
        raise FfmpegFailed(
            f"ffmpeg was killed by signal {-process.returncode}: " + _tail(stderr)
        )
    return subprocess.CompletedProcess(
        list(command), process.returncode, stdout, stderr
    )


def _run_checked(command: Sequence[str], *, budget: _Budget) -> None:
    completed = _run(command, budget=budget)
    if completed.returncode != 0:
        raise FfmpegFailed(_exited(completed.returncode, completed.stderr))


def _exited(returncode: int, stderr: bytes) -> str:
    """ffmpeg's failure in words. It exits with its error code modulo 256, which
    for a system error is 256 - errno (228: ENOSPC); named here because on a full
    disk nothing it said may have been written down."""
    said = f"ffmpeg exited with {returncode}"
    if 2 <= 256 - returncode < 134:  # an errno (255 is ffmpeg's own "stopped")
        said += f" ({os.strerror(256 - returncode)})"
    return f"{said}: {_tail(stderr)}"


def _tail(stderr: bytes, limit: int = 2000) -> str:
    return stderr.decode("utf-8", "replace").strip()[-limit:]


def _compile(stream: Any) -> list[str]:
    """The argument list for an ffmpeg-python graph, with our global options."""
    global_args = ("-nostdin", "-hide_banner", "-nostats", "-loglevel", "error", "-y")
    return list(stream.global_args(*global_args).compile(cmd=_ffmpeg_exe()))


def _untrusted_input(source: str, probe: Probe, **options: Any) -> Any:
    return ffmpeg.input(
        source, f=probe.demuxer, threads=_MAX_THREADS, **_UNTRUSTED_INPUT, **options
    )


_PART_SUFFIX = ".part"


@contextmanager
def _written_atomically(final: Path) -> Iterator[Path]:
    """A temporary path beside `final`, renamed to it if the block succeeds."""
    temporary = final.with_name(f".{final.name}.{secrets.token_hex(6)}{_PART_SUFFIX}")
    try:
        yield temporary
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)


def _remove_stale_parts(workdir: Path, *, older_than: float) -> None:
    """Delete temporary files left by runs that were killed before cleaning up.

    A run still going cannot be older than its time limit, so a part file older
    than that is nobody's.
    """
    cutoff = time.time() - older_than
    for part in workdir.glob(f".*{_PART_SUFFIX}"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
        except FileNotFoundError:
            pass


# Probing


_INPUT_RE = re.compile(r"^Input #0, (?P<container>\S+), from ", re.MULTILINE)
_DURATION_RE = re.compile(
    r"^\s+Duration: (?:(?P<h>\d+):(?P<m>\d\d):(?P<s>\d\d(?:\.\d+)?)|N/A)", re.MULTILINE
)
_STREAM_RE = re.compile(
    r"^\s+Stream #0:(?P<index>\d+)(?:\[0x[0-9a-fA-F]+\])?(?:\([^)]*\))?: "
    r"(?P<kind>[A-Za-z]+): (?P<details>.*)$"
)
_ROTATION_RE = re.compile(r"rotation of (?P<degrees>-?\d+(?:\.\d+)?) degrees")
_SIZE_RE = re.compile(r"^(?P<w>[1-9]\d{0,5})x(?P<h>[1-9]\d{0,5})\b")
_SAMPLE_RATE_RE = re.compile(r"^(?P<rate>\d+) Hz$")
_NOT_REALLY_VIDEO = ("(attached pic)", "(timed thumbnails)", "(still image)")
_NAMED_LAYOUTS = {
    "mono": 1,
    "stereo": 2,
    "downmix": 2,
    "binaural": 2,
    "quad": 4,
    "hexagonal": 6,
    "octagonal": 8,
    "cube": 8,
    "hexadecagonal": 16,
}

_ProbeLines = tuple[str, float | None, bool, tuple[Stream, ...]]


def _parse_input(stderr: str) -> _ProbeLines | None:
    """Container, duration, whether ffmpeg only estimated it, and the streams."""
    match = _INPUT_RE.search(stderr)
    if match is None:
        return None
    block = stderr[match.end() :]
    duration_match = _DURATION_RE.search(block)
    duration = None
    if duration_match and duration_match["h"] is not None:
        duration = (
            int(duration_match["h"]) * 3600
            + int(duration_match["m"]) * 60
            + float(duration_match["s"])
        )
    # Stream lines come after the Duration line; anything earlier is container
    # metadata, which the uploader controls.
    lines = block[duration_match.end() :].splitlines()[1:] if duration_match else []
    found: list[dict[str, Any]] = []
    for line in lines:
        if not line.startswith(" "):
            break
        stream_match = _STREAM_RE.match(line)
        # ffmpeg numbers streams in order; a line out of sequence is metadata text.
        if stream_match and int(stream_match["index"]) == len(found):
            found.append(_parse_stream(stream_match))
        elif found and (rotation := _ROTATION_RE.search(line)):
            found[-1]["rotation"] = float(rotation["degrees"])
    streams = tuple(Stream(**fields) for fields in found)
    estimated = "Estimating duration from bitrate" in stderr[: match.start()]
    return match["container"], duration, estimated, streams


def _parse_stream(match: re.Match[str]) -> dict[str, Any]:
    details = match["details"]
    parts = _split_top_level(details)
    codec_match = re.match(r"[\w.-]+", details)
    fields: dict[str, Any] = {
        "index": int(match["index"]),
        "kind": "other",
        "codec": codec_match.group() if codec_match else "unknown",
        "width": None,
        "height": None,
        "channels": None,
        "sample_rate": None,
    }
    kind = match["kind"]
    if kind == "Video" and not any(tag in details for tag in _NOT_REALLY_VIDEO):
        fields["kind"] = "video"
        for part in parts[1:]:
            if size := _SIZE_RE.match(part):
                fields["width"], fields["height"] = int(size["w"]), int(size["h"])
                break
    elif kind == "Audio":
        fields["kind"] = "audio"
        for position, part in enumerate(parts[1:], start=1):
            if rate := _SAMPLE_RATE_RE.match(part):
                fields["sample_rate"] = int(rate["rate"])
                if position + 1 < len(parts):
                    fields["channels"] = _channel_count(parts[position + 1])
                break
    return fields


def _split_top_level(details: str) -> list[str]:
    """Split on the commas that are not inside parentheses or brackets."""
    parts, depth, start = [], 0, 0
    for position, char in enumerate(details):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            parts.append(details[start:position].strip())
            start = position + 1
    parts.append(details[start:].strip())
    return parts


def _channel_count(layout: str) -> int | None:
    name = layout.split("(")[0].strip()
    if name in _NAMED_LAYOUTS:
        return _NAMED_LAYOUTS[name]
    if count := re.fullmatch(r"(\d+) channels", name):
        return int(count[1])
    if re.fullmatch(r"\d+(?:\.\d+)+", name):
        return sum(int(n) for n in name.split("."))
    return None


def _demuxed_duration(path: Path, demuxer: str, *, budget: _Budget) -> float | None:
    source = ffmpeg.input(str(path.resolve()), f=demuxer, **_UNTRUSTED_INPUT)
    command = _compile(
        ffmpeg.output(source["v?"], source["a?"], "-", f="null", c="copy").global_args(
            "-progress", "pipe:1"
        )
    )
    completed = _run(command, budget=budget)
    if completed.returncode != 0:
        raise MediaRejected(_DAMAGED)
    times = re.findall(rb"^out_time_us=(\d+)$", completed.stdout, re.MULTILINE)
    return int(times[-1]) / 1_000_000 if times and int(times[-1]) > 0 else None


def _read_head(path: Path, size: int = 4096) -> bytes:
    with path.open("rb") as file:
        return file.read(size)


_PICTURE_SIGNATURES = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"\x00\x00\x01\x00",
)
_PICTURE_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis")


def _sniff(head: bytes) -> str | Promise | None:
    """A plain reason for the kinds of non-recording uploads we can recognise."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"#EXT") or text.lower().startswith(b"[playlist]"):
        return _PLAYLIST
    lowered = text[:512].lower()
    if lowered.startswith(b"<"):
        if any(tag in lowered for tag in (b"<mpd", b"<smil", b"<asx", b"<playlist")):
            return _PLAYLIST
    if text.startswith(b"ffconcat") or re.match(rb"file\s+'", text):
        return _FILE_LIST
    if head.startswith(_PICTURE_SIGNATURES):
        return _PICTURE
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _PICTURE
    if head[4:8] == b"ftyp" and head[8:12] in _PICTURE_BRANDS:
        return _PICTURE
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut off at the end of the head is still text.
            if exc.start < len(head) - 4:
                return None
        return _TEXT
    return None


def _refusal_reason(stderr: str, head: bytes) -> str | Promise:
    if not head:
        return _EMPTY
    if "Protocol not on whitelist" in stderr:
        return _sniff(head) or _FILE_LIST
    sniffed = _sniff(head)
    if sniffed:
        return sniffed
    if "Format not on whitelist" in stderr:
        return _UNSUPPORTED
    return _DAMAGED


# Transcoding


def _scaled(stream: Any, max_height: int) -> Any:
    """At most `max_height` high, even sides, same shape, square pixels.

    ffmpeg has already applied any display rotation, so `ih` is the upright height.
    """
    return stream.filter(
        "scale",
        w="max(2,trunc(oh*dar/2)*2)",
        h=f"max(2,trunc(min(ih,{max_height})/2)*2)",
    ).filter("setsar", "1")


def playback_command(
    source: str,
    probe: Probe,
    destination: Path,
    *,
    max_height: int,
    preset: str,
    crf: int,
    max_duration: float | None = None,
) -> list[str]:
    """The ffmpeg argument list that makes the playback file from `source`.

    `transcode()` runs it; bench/transcode.py runs the same list on its own to
    measure what the rest of the pipeline adds.
    """
    return _compile(
        _playback_output(
            source,
            probe,
            destination,
            max_height=max_height,
            preset=preset,
            crf=crf,
            max_duration=max_duration,
        )
    )


def _playback_output(
    source: str,
    probe: Probe,
    destination: Path,
    *,
    max_height: int,
    preset: str,
    crf: int,
    max_duration: float | None,
) -> Any:
    video, audio = probe.video_stream, probe.audio_stream
    source_input = _untrusted_input(source, probe)
    streams = []
    options: dict[str, Any] = {
        "f": "mp4",
        "movflags": "+faststart",
        # Phones write the place a video was shot into its metadata.
        "map_metadata": "-1",
        "map_chapters": "-1",
    }
    if video is not None:
        streams.append(
            _scaled(source_input[str(video.index)], max_height).filter(
                "format", "yuv420p"
            )
        )
        options |= {
            "c:v": "libx264",
            "preset": preset,
            "crf": crf,
            "threads": _MAX_THREADS,
            # Browser recordings have millisecond timestamps and no steady frame
            # rate; a constant-rate output would duplicate frames to fill them.
            "fps_mode": "vfr",
        }
    if audio is not None:
        streams.append(source_input[str(audio.index)])
        channels = min(audio.channels or 2, 2)
        options |= {
            "c:a": "aac",
            "ac": channels,
            "b:a": "128k" if channels == 2 else "64k",
        }
        if audio.sample_rate not in _PLAYBACK_SAMPLE_RATES:
            options["ar"] = 48000
    if max_duration is not None:
        # Stop decoding just past the limit, whatever length the file claims.
        options["t"] = max_duration + 1
    return ffmpeg.output(*streams, str(destination.resolve()), **options)


# Rates the AAC encoder takes (it refuses others) up to 48 kHz, which is plenty.
_PLAYBACK_SAMPLE_RATES = frozenset(
    (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
)


def _check_complete(source: Probe, playback: Probe) -> None:
    """Refuse files that stop early: the probe could not tell they were cut short."""
    if playback.duration is None:
        raise FfmpegFailed("the playback file has no duration")
    expected = source.duration or 0.0
    if playback.duration < expected * 0.9 - 1.0:
        raise MediaRejected(
            gettext(
                "This recording stops early: only %(played)s of its %(length)s could "
                "be played. The file may be damaged or incomplete; try uploading it "
                "again."
            )
            % {
                "played": format_duration(playback.duration),
                "length": format_duration(expected),
            }
        )


def _poster_time(duration: float | None) -> float:
    """About 10% in (past intros and black frames), at least 1 s if there is one."""
    if not duration:
        return 0.0
    return max(duration * 0.1, min(1.0, duration / 2))


def _make_poster(
    source: str,
    probe: Probe,
    video: Stream,
    destination: Path,
    *,
    max_height: int,
    budget: _Budget,
) -> None:
    for seek in (_poster_time(probe.duration), 0.0):
        source_input = _untrusted_input(source, probe, ss=f"{seek:.3f}")
        frame = _scaled(source_input[str(video.index)], max_height)
        _run_checked(
            _compile(
                frame.output(
                    str(destination.resolve()), f="mjpeg", frames="1", **{"q:v": 3}
                )
            ),
            budget=budget,
        )
        # A seek past the real end (a wrong duration) writes nothing.
        if destination.stat().st_size > 0:
            return
    raise FfmpegFailed("ffmpeg wrote no poster frame")


def _playback_and_waveform_peaks(
    playback_output: Any,
    source: str,
    probe: Probe,
    audio: Stream,
    *,
    points: int,
    max_duration: float | None,
    budget: _Budget,
) -> list[float]:
    """Run the playback output and return `points` peak levels (0..1) across the
    recording, for the player's waveform.

    The same ffmpeg run also writes the audio as 16-bit samples at a low rate to a
    pipe; each block is reduced to its peak as it arrives, so memory stays flat for
    any length, and the audio is decoded once for both.
    """
    expected_frames = (probe.duration or 0) * _WAVEFORM_SAMPLE_RATE
    frames_per_block = max(1, int(expected_frames // (points * _WAVEFORM_OVERSAMPLING)))
    # Mixing stereo down to mono lowers the level by 3 dB; taking the peak over both
    # channels keeps it. More channels than two are mixed down to stereo.
    channels = min(audio.channels or 1, 2)
    options: dict[str, Any] = {}
    if max_duration is not None:
        options["t"] = max_duration + 1
    samples = _untrusted_input(source, probe)[str(audio.index)].output(
        "pipe:",
        f="s16le",
        acodec="pcm_s16le",
        ac=channels,
        ar=_WAVEFORM_SAMPLE_RATE,
        **options,
    )
    command = _compile(ffmpeg.merge_outputs(playback_output, samples))
    fine = _stream_block_peaks(command, frames_per_block * channels, budget=budget)
    return _bucket_peaks(fine, points)


def _stream_block_peaks(
    command: Sequence[str], block: int, *, budget: _Budget
) -> list[float]:
    timeout = _remaining(budget)
    timed_out = threading.Event()
    with tempfile.TemporaryFile() as stderr:
        process = _start(command, budget=budget, stdout=subprocess.PIPE, stderr=stderr)

        def kill() -> None:
            timed_out.set()
            process.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            with _PeakMemory(process.pid) as memory:
                assert process.stdout is not None
                peaks = _reduce_samples(process.stdout, block)
                returncode = process.wait()
        finally:
            timer.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if timed_out.is_set():
            raise FfmpegLimitExceeded(
                _TOO_SLOW, detail=f"ffmpeg ran out of time after {timeout:.1f} s"
            )
        stderr.seek(0)
        said = stderr.read()
        _check_memory(returncode, said, memory.peak_mb, budget)
        if returncode != 0:
            raise FfmpegFailed(_exited(returncode, said))
    return peaks


def _reduce_samples(pipe: Any, block: int) -> list[float]:
    """The peak of each `block` samples of signed 16-bit little-endian audio."""
    block_bytes = block * 2
    pending = bytearray()
    peaks: list[float] = []
    swap = sys.byteorder == "big"

    def reduce(data: bytes | bytearray) -> None:
        samples = array.array("h")
        samples.frombytes(data)
        if swap:
            samples.byteswap()
        for start in range(0, len(samples), block):
            chunk = samples[start : start + block]
            peaks.append(min(1.0, max(max(chunk), -min(chunk)) / 32768))

    while data := pipe.read(_READ_SIZE):
        pending += data
        whole = len(pending) // block_bytes * block_bytes
        if whole:
            reduce(pending[:whole])
            del pending[:whole]
    whole_samples = len(pending) // 2 * 2
    if whole_samples:
        reduce(pending[:whole_samples])
    return peaks


def _bucket_peaks(fine: list[float], points: int) -> list[float]:
    if not fine:
        return [0.0] * points
    count = len(fine)
    buckets = []
    for point in range(points):
        start = point * count // points
        end = max(start + 1, (point + 1) * count // points)
        buckets.append(round(max(fine[start:end]), 4))
    return buckets


# Speech: raw samples for the voice-activity detector


@dataclass(frozen=True)
class Pcm:
    """Decoded audio on disk: signed 16-bit little-endian, channels interleaved."""

    path: Path
    channels: int
    sample_rate: int


def decode_pcm(
    src: Path,
    destination: Path,
    *,
    sample_rate: int,
    max_channels: int = 2,
    time_limit: float,
    memory_limit_mb: int | None = None,
) -> Pcm | None:
    """Decode the first audio stream of `src` once, to `destination`, for analysis.

    media.speech calls this on the transcoded playback file only, never on an
    upload; the same input rules apply all the same. Keeps up to `max_channels`
    channels (more are mixed down). None when the file has no audio stream. Raises
    FfmpegLimitExceeded when ffmpeg runs out of `time_limit` seconds or
    `memory_limit_mb`, FfmpegFailed when it fails otherwise.
    """
    budget = _Budget(time.monotonic() + time_limit, memory_limit_mb)
    probed = _probe_file(src, budget=budget)
    audio = probed.audio_stream
    if audio is None:
        return None
    channels = max(1, min(audio.channels or 1, max_channels))
    with _written_atomically(destination) as temporary:
        _run_checked(
            _compile(
                _untrusted_input(str(src.resolve()), probed)[str(audio.index)].output(
                    str(temporary.resolve()),
                    f="s16le",
                    acodec="pcm_s16le",
                    ac=channels,
                    ar=sample_rate,
                )
            ),
            budget=budget,
        )
    return Pcm(path=destination, channels=channels, sample_rate=sample_rate)


# Words for people


def human_size(size: float) -> str:
    if size < 1024:
        return ngettext("%(count)s byte", "%(count)s bytes", int(size)) % {
            "count": int(size)
        }
    for unit in ("KB", "MB", "GB", "TB"):
        size /= 1024
        if size < 1024 or unit == "TB":
            break
    return f"{size:.1f}".removesuffix(".0") + f" {unit}"


def _human_duration(seconds: float) -> str:
    total = max(0, math.ceil(seconds) if seconds < 1 else round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        units = [(hours, "hour"), (minutes, "minute")]
    elif minutes:
        units = [(minutes, "minute"), (secs, "second")]
    else:
        units = [(secs, "second")]
    return " ".join(
        _DURATION_UNITS[name](value) % {"count": value}
        for value, name in units
        if value or name == units[0][1]
    )


_DURATION_UNITS: dict[str, Callable[[int], str]] = {
    "hour": lambda n: ngettext("%(count)s hour", "%(count)s hours", n),
    "minute": lambda n: ngettext("%(count)s minute", "%(count)s minutes", n),
    "second": lambda n: ngettext("%(count)s second", "%(count)s seconds", n),
}
