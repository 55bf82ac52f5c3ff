"""The coaching demo's data file (coaching/demo_data/coaching.toml) and the spoken
tracks its recordings are made from. What the demo builds with them is checked with
the whole demo (tests/test_seed_demo.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coaching.demo import DATA_FILE, PAUSE_SECONDS, load_coaching
from courses.demo import DemoDataError
from lms.demo import demo_steps


def test_it_registers_coaching_then_onboarding_progress_before_certificates():
    order = {step.name: step.order for step in demo_steps()}
    assert order["quizzes"] < order["coaching"] < order["onboarding progress"]
    assert order["onboarding progress"] < order["certificates"]


def test_it_loads_the_rubric_scripts_calls_and_practices():
    coaching = load_coaching()
    criteria = coaching.rubric["criteria"]
    assert [c["name"] for c in criteria] == [
        "Agenda setting",
        "Questioning",
        "Listening",
        "Next steps",
    ]
    assert sum(c["weight"] for c in criteria) == 100
    assert all(len(c["levels"]) == 5 for c in criteria)
    assert set(coaching.scripts) >= {"pitch", "pitch_weak", "discovery_call"}
    for call in coaching.calls:
        assert "{" not in " ".join(words for _, words in call.script), call.title
        if call.review is not None:
            assert len(call.review.levels) == len(criteria)
            for comment in call.review.comments:
                assert comment.line < len(call.script)
    assert {"Grace Adeyemi", "Jonas Weber", "Olivia Park"} <= set(coaching.practices)


def test_it_gives_a_rep_the_same_generic_review_on_every_run():
    coaching = load_coaching()
    first = coaching.generic_practice_review("Ana Souza", "Sofia Marquez")
    assert first == coaching.generic_practice_review("Ana Souza", "Sofia Marquez")
    assert first.outcome == "approved" and first.coach == "Sofia Marquez"


def test_it_refuses_a_script_line_without_a_known_speaker(tmp_path: Path):
    broken = tmp_path / "coaching.toml"
    broken.write_text(
        DATA_FILE.read_text().replace(
            "[[scripts.pitch]]\nrep =", "[[scripts.pitch]]\nnarrator =", 1
        )
    )
    with pytest.raises(DemoDataError, match="coaching.toml.*narrator"):
        load_coaching(broken)


@pytest.mark.parametrize("espeak", [True, False], ids=["espeak-ng", "tones"])
def test_it_times_each_spoken_line_in_the_mixed_track(
    tmp_path, monkeypatch, ffmpeg_exe, espeak
):
    import subprocess
    import wave

    from coaching import demo

    if not espeak:
        monkeypatch.setattr(demo.shutil, "which", lambda name: None)
    elif demo.shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed here")
    coaching = load_coaching()
    script = coaching.scripts["pitch_weak"]
    arguments, starts = demo._spoken(
        tmp_path, script, first_input=0, voices=coaching.voices
    )
    track = tmp_path / "track.wav"
    subprocess.run(
        [ffmpeg_exe, "-nostdin", "-loglevel", "error", *arguments, str(track)],
        check=True,
    )
    with wave.open(str(track)) as made:
        seconds = made.getnframes() / made.getframerate()
    assert len(starts) == len(script)
    assert starts[0][0] == 0
    for (_, end), (start, _) in zip(starts, starts[1:], strict=False):
        assert start == pytest.approx(end + PAUSE_SECONDS)
    assert seconds == pytest.approx(starts[-1][1] + PAUSE_SECONDS, abs=0.1)


def test_without_espeak_the_stand_in_voice_gives_the_intended_talk_ratios(
    tmp_path, monkeypatch
):
    from coaching import demo
    from media import dialogue, speech

    monkeypatch.setattr(dialogue, "espeak_available", lambda: False)
    coaching = load_coaching()
    calls = {call.title: call for call in coaching.calls}
    measured = {}
    for style, title in [
        ("talks", "Discovery call with Acme Retail"),
        ("listens", "Discovery call with Bloom & Co"),
    ]:
        built = demo.call_dialogue(calls[title].script, coaching.voices)
        activity = speech.analyse_file(
            built.write_wav(tmp_path / f"{style}.wav"), time_limit=60
        )
        measured[style] = speech.activity_metrics(activity).rep_talk_ratio
        assert len(built.lines) == 12
    assert measured["talks"] > 0.6
    assert 0.30 <= measured["listens"] <= 0.45
