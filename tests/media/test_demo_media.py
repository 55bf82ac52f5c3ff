"""The demo's media files (media/demo.py): each distinct file is made once and sent
through the pipeline as often as the demo needs it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from media.demo import generated_asset, made_files_kept_in
from media.models import MediaAsset

TONE = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1"]


def made_files(folder: Path) -> list[str]:
    return sorted(path.suffix for path in folder.iterdir() if path.suffix != ".lock")


def generated(owner, title: str, inputs: list[str], filename: str = "call.m4a"):  # type: ignore[no-untyped-def]
    return generated_asset(
        owner=owner,
        title=title,
        filename=filename,
        ffmpeg_inputs=inputs,
        kind=MediaAsset.Kind.RECORDING,
    )


@pytest.mark.django_db
def test_it_makes_a_file_once_and_processes_each_recording_of_it(rep_factory, tmp_path):
    rep = rep_factory()
    kept = tmp_path / "made"
    with made_files_kept_in(kept):
        first = generated(rep, "Take 1", TONE)
        second = generated(rep, "Take 2", TONE)

    assert made_files(kept) == [".m4a"]
    assert first.pk != second.pk
    for asset in (first, second):
        assert asset.status == MediaAsset.Status.READY
        assert asset.duration == pytest.approx(1, abs=0.1)


@pytest.mark.django_db
def test_it_makes_another_file_for_other_input_contents_or_another_format(
    rep_factory, tmp_path, ffmpeg_exe
):
    rep = rep_factory()
    track = tmp_path / "track.wav"  # one path, written again with other contents
    kept = tmp_path / "made"
    with made_files_kept_in(kept):
        for frequency in (220, 330):
            subprocess.run(
                [ffmpeg_exe, "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                 f"sine=frequency={frequency}:duration=1", "-y", str(track)],
                check=True,
            )  # fmt: skip
            generated(rep, f"Tone {frequency}", ["-i", str(track)])
        generated(rep, "Tone 330 as MP3", ["-i", str(track)], filename="call.mp3")
        generated(rep, "Tone 330 again", ["-i", str(track)])

    assert made_files(kept) == [".m4a", ".m4a", ".mp3"]
