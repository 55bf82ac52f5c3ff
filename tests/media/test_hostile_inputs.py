"""Uploads that are not recordings: refused in plain words, nothing fetched."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from media.ffmpeg import MediaRejected, _human_duration, human_size, transcode
from media.ffmpeg import validate as validate_upload
from tests.media_fixtures import MakeMedia

JARGON = ("invalid data", "ffmpeg", "whitelist", "demux", "moov", "errno", "protocol")


def validate(path: Path, *, max_bytes: int = 10_000_000, max_duration: float = 60):
    return validate_upload(path, max_bytes=max_bytes, max_duration=max_duration)


def assert_refused(path: Path, reason: str, **limits: float) -> str:
    with pytest.raises(MediaRejected) as refusal:
        validate(path, **limits)  # type: ignore[arg-type]
    message = str(refusal.value)
    assert reason in message
    assert not any(word in message.lower() for word in JARGON), message
    assert message.endswith(".")
    return message


class Tripwire:
    """A named pipe that notices being opened: a file ffmpeg must never read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tripped = False
        self.stopping = False


@pytest.fixture
def tripwire(tmp_path: Path) -> Iterator[Tripwire]:
    wire = Tripwire(tmp_path / "elsewhere" / "secret.ts")
    wire.path.parent.mkdir()
    os.mkfifo(wire.path)

    def wait_for_a_reader() -> None:
        with wire.path.open("wb"):
            wire.tripped = not wire.stopping

    thread = threading.Thread(target=wait_for_a_reader, daemon=True)
    thread.start()
    yield wire
    wire.stopping = True
    release = os.open(wire.path, os.O_RDONLY | os.O_NONBLOCK)
    thread.join(5)
    os.close(release)


@pytest.fixture
def web_server() -> Iterator[socket.socket]:
    """A port that listens but never answers; connections wait in its backlog."""
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    yield server
    server.close()


def connections_to(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            connection, _ = server.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def hls_playlist(
    path: Path, tripwire: Tripwire, web_server: socket.socket, media: Path
) -> Path:
    port = web_server.getsockname()[1]
    path.write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
        f"#EXTINF:2.0,\nfile://{tripwire.path}\n"
        f"#EXTINF:2.0,\nhttp://127.0.0.1:{port}/segment.ts\n"
        f"#EXTINF:2.0,\n{media}\n#EXT-X-ENDLIST\n"
    )
    return path


def concat_script(path: Path, tripwire: Tripwire, media: Path) -> Path:
    path.write_text(
        f"ffconcat version 1.0\nfile '{tripwire.path}'\nfile '{media}'\n"
        "file '/etc/passwd'\n"
    )
    return path


def test_it_refuses_an_hls_playlist_named_mp4_without_fetching_anything(
    tmp_path: Path, make_media: MakeMedia, tripwire: Tripwire, web_server: socket.socket
):
    playlist = hls_playlist(
        tmp_path / "call.mp4", tripwire, web_server, make_media(size=(640, 360))
    )

    assert_refused(playlist, "This file is a playlist, not a recording.")
    assert connections_to(web_server) == 0
    assert not tripwire.tripped


def test_it_refuses_a_concat_script_without_reading_the_files_it_lists(
    tmp_path: Path, make_media: MakeMedia, tripwire: Tripwire
):
    script = concat_script(tmp_path / "call.mp4", tripwire, make_media(size=(640, 360)))

    assert_refused(script, "This file is a list of other files, not a recording.")
    assert not tripwire.tripped


@pytest.mark.parametrize("kind", ["hls", "concat"])
def test_ffmpegs_whitelists_refuse_lists_the_first_check_misses(
    tmp_path: Path,
    make_media: MakeMedia,
    tripwire: Tripwire,
    web_server: socket.socket,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
):
    monkeypatch.setattr("media.ffmpeg._sniff", lambda head: None)
    media = make_media(size=(640, 360))
    upload = (
        hls_playlist(tmp_path / "call.m3u8", tripwire, web_server, media)
        if kind == "hls"
        else concat_script(tmp_path / "call.ffconcat", tripwire, media)
    )

    assert_refused(upload, "not in an audio or video format we accept")
    assert connections_to(web_server) == 0
    assert not tripwire.tripped


def test_the_trap_catches_a_fetch_when_ffmpeg_runs_without_whitelists(
    tmp_path: Path,
    ffmpeg_exe: str,
    tripwire: Tripwire,
    web_server: socket.socket,
    make_media: MakeMedia,
):
    playlist = hls_playlist(
        tmp_path / "call.m3u8", tripwire, web_server, make_media(size=(640, 360))
    )

    subprocess.run(
        [ffmpeg_exe, "-nostdin", "-rw_timeout", "1000000", "-i", str(playlist)],
        capture_output=True,
        timeout=30,
    )

    assert connections_to(web_server) + tripwire.tripped > 0


@pytest.mark.parametrize("name", ["notes.txt", "notes.mp4"])
def test_it_refuses_a_text_file(tmp_path: Path, name: str):
    text = tmp_path / name
    text.write_text("Call notes: customer wants a demo next week.\n" * 20)

    assert_refused(text, "This file contains text, not a recording.")


def test_it_refuses_an_empty_file(tmp_path: Path):
    empty = tmp_path / "call.mp4"
    empty.touch()

    assert_refused(empty, "This file is empty.")


def test_it_refuses_a_truncated_mp4(tmp_path: Path, make_media: MakeMedia):
    whole = make_media(size=(640, 360)).read_bytes()
    cut = tmp_path / "call.mp4"
    cut.write_bytes(whole[: len(whole) * 3 // 10])

    assert_refused(cut, "This file looks damaged or incomplete")


def test_it_refuses_a_truncated_mp4_whose_index_survived_when_transcoding(
    tmp_path: Path, make_media: MakeMedia, ffmpeg_exe: str
):
    # With the index at the front (+faststart) the header still promises the whole
    # recording; only decoding shows that most of it is missing.
    fronted = tmp_path / "fronted.mp4"
    subprocess.run(
        [ffmpeg_exe, "-loglevel", "error", "-i", str(make_media(size=(640, 360)))]
        + ["-c", "copy", "-movflags", "+faststart", str(fronted)],
        check=True,
    )
    whole = fronted.read_bytes()
    cut = tmp_path / "call.mp4"
    cut.write_bytes(whole[: len(whole) * 3 // 10])

    source = validate(cut)
    with pytest.raises(MediaRejected, match="This recording stops early") as refusal:
        transcode(cut, source, tmp_path / "out", time_limit=60)
    assert not any(word in str(refusal.value).lower() for word in JARGON)
    assert os.listdir(tmp_path / "out") == []


@pytest.mark.parametrize("picture", ["photo.png", "photo.jpg", "photo.mp4"])
def test_it_refuses_a_picture(tmp_path: Path, ffmpeg_exe: str, picture: str):
    path = tmp_path / picture
    subprocess.run(
        [ffmpeg_exe, "-loglevel", "error", "-f", "lavfi", "-i", "smptebars=size=64x48"]
        + ["-frames:v", "1", "-f", "image2", "-c:v"]
        + ["png" if picture.endswith(".png") else "mjpeg", str(path)],
        check=True,
    )

    assert_refused(path, "This file is a picture, not a recording.")


def test_it_refuses_a_container_outside_the_allow_list(tmp_path: Path, ffmpeg_exe: str):
    transport_stream = tmp_path / "call.mp4"
    subprocess.run(
        [ffmpeg_exe, "-loglevel", "error", "-f", "lavfi", "-i", "sine=duration=1"]
        + ["-c:a", "mp2", "-f", "mpegts", str(transport_stream)],
        check=True,
    )

    assert_refused(transport_stream, "This file is not in an audio or video format")


def test_it_refuses_a_file_with_neither_sound_nor_picture(
    tmp_path: Path, ffmpeg_exe: str
):
    subtitles = tmp_path / "captions.srt"
    subtitles.write_text("1\n00:00:00,000 --> 00:00:02,000\nHello\n")
    only_subtitles = tmp_path / "call.mkv"
    subprocess.run(
        [ffmpeg_exe, "-loglevel", "error", "-i", str(subtitles), str(only_subtitles)],
        check=True,
    )

    assert_refused(only_subtitles, "This file has no sound or picture in it.")


def test_it_refuses_a_file_over_the_size_limit(make_media: MakeMedia):
    big = make_media(size=(1280, 720))
    assert big.stat().st_size > 1024 * 1024

    message = assert_refused(big, "larger than the 1 MB allowed", max_bytes=1024 * 1024)
    assert message.startswith("This file is ")


def test_it_refuses_a_recording_over_the_length_limit(make_media: MakeMedia):
    long = make_media(size=(640, 360), seconds=3)

    assert_refused(
        long,
        "This recording is 3 seconds long, longer than the 2 seconds allowed.",
        max_duration=2,
    )


def test_it_says_limits_in_words_people_use():
    assert _human_duration(7200) == "2 hours"
    assert _human_duration(5400) == "1 hour 30 minutes"
    assert _human_duration(90) == "1 minute 30 seconds"
    assert _human_duration(1) == "1 second"
    assert human_size(2 * 1024**3) == "2 GB"
    assert human_size(int(1.5 * 1024**2)) == "1.5 MB"
    assert human_size(1000) == "1000 bytes"
