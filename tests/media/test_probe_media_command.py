"""`manage.py probe_media FILE`: would this upload be accepted, and if not, why."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.conf import LazySettings
from django.core.management import call_command

from tests.media_fixtures import MakeMedia

REPO_ROOT = Path(__file__).resolve().parents[2]


def probe_media(path: Path) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("probe_media", str(path), stdout=out)
    except SystemExit as exit_:
        return out.getvalue(), int(exit_.code or 0)
    return out.getvalue(), 0


def test_it_accepts_a_video_and_describes_it(make_media: MakeMedia):
    output, code = probe_media(make_media(size=(1280, 720), seconds=3))

    assert output == (
        "accepted: mov,mp4,m4a,3gp,3g2,mj2 video h264 1280x720, audio aac 2ch 3.00s\n"
    )
    assert code == 0


def test_it_accepts_an_audio_recording(make_media: MakeMedia):
    output, code = probe_media(make_media("mp3", size=None, channels=1))

    assert output == "accepted: mp3 audio mp3 1ch 2.00s\n"
    assert code == 0


def test_it_rejects_a_text_file_with_the_reason(tmp_path: Path):
    notes = tmp_path / "notes.mp4"
    notes.write_text("not a video\n")

    output, code = probe_media(notes)

    assert output == (
        "rejected: This file contains text, not a recording. "
        "Upload an audio or video file.\n"
    )
    assert code == 1


def test_it_rejects_a_missing_file(tmp_path: Path):
    assert probe_media(tmp_path / "missing.mp4") == ("rejected: no such file\n", 1)


def test_it_takes_the_length_limit_from_settings(
    make_media: MakeMedia, settings: LazySettings
):
    settings.MEDIA_MAX_DURATION_SECONDS = 1
    output, code = probe_media(make_media(size=(640, 360)))

    assert output.startswith("rejected: This recording is 2 seconds long, longer ")
    assert "the 1 second allowed" in output
    assert code == 1


def test_it_takes_the_size_limit_from_settings(
    make_media: MakeMedia, settings: LazySettings
):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    output, code = probe_media(make_media(size=(640, 360)))

    assert "larger than the 1000 bytes allowed" in output
    assert code == 1


def test_it_runs_from_manage_py_with_exit_codes(make_media: MakeMedia, tmp_path: Path):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    empty = tmp_path / "empty.mp4"
    empty.touch()

    accepted = subprocess.run(
        [sys.executable, "manage.py", "probe_media", str(make_media("wav", size=None))],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    rejected = subprocess.run(
        [sys.executable, "manage.py", "probe_media", str(empty)],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert (accepted.returncode, accepted.stdout) == (
        0,
        "accepted: wav audio pcm_s16le 2ch 2.00s\n",
    )
    assert (rejected.returncode, rejected.stdout) == (
        1,
        "rejected: This file is empty. Try uploading it again.\n",
    )
