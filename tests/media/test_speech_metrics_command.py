"""`manage.py speech_metrics FILE`: one JSON line, or the upload's refusal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from media.dialogue import Turn, build_dialogue
from media.speech import Metrics

REPO_ROOT = Path(__file__).resolve().parents[2]


def speech_metrics(*args: str) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("speech_metrics", *args, stdout=out, stderr=StringIO())
    except SystemExit as exit_:
        return out.getvalue(), int(exit_.code or 0)
    return out.getvalue(), 0


@pytest.fixture(scope="module")
def call_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    turns = [
        Turn(0, "Thanks for making the time today, I have a few questions."),
        Turn(1, "Sure.", 0.7),
        Turn(0, "How do you report on sales every week?", 0.7),
    ]
    folder = tmp_path_factory.mktemp("speech")
    return build_dialogue(turns, use_espeak=False).write_wav(folder / "call.wav")


def test_it_prints_one_json_line_with_the_documented_keys(call_wav):
    output, code = speech_metrics(str(call_wav))
    assert code == 0
    assert output.count("\n") == 1
    metrics = json.loads(output)
    assert list(metrics) == list(Metrics.COMMAND_KEYS)
    assert metrics["speakers"] == 2
    assert metrics["rep_talk_ratio"] > 0.7


def test_the_rep_channel_option_swaps_the_speakers(call_wav):
    left = json.loads(speech_metrics(str(call_wav))[0])
    right = json.loads(speech_metrics(str(call_wav), "--rep-channel", "1")[0])
    assert right["rep_talk_seconds"] == left["other_talk_seconds"]
    assert right["rep_talk_ratio"] < 0.3


def test_a_one_channel_file_has_no_talk_ratio(make_media):
    output, code = speech_metrics(str(make_media("mp3", size=None, channels=1)))
    assert code == 0
    metrics = json.loads(output)
    assert metrics["speakers"] == 1
    assert metrics["rep_talk_ratio"] is None


def test_it_refuses_what_an_upload_refuses(tmp_path):
    playlist = tmp_path / "call.m3u8"
    playlist.write_text("#EXTM3U\n#EXTINF:10,\nhttp://example.org/a.ts\n")
    output, code = speech_metrics(str(playlist))
    assert code == 1
    assert output.startswith("rejected: This file is a playlist")


def test_it_runs_from_the_command_line_and_exits_1_on_a_missing_file(tmp_path):
    completed = subprocess.run(
        [sys.executable, "manage.py", "speech_metrics", str(tmp_path / "nope.wav")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout == "rejected: no such file\n"
