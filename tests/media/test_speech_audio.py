"""Speech activity found in generated audio, decoded by the real ffmpeg."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from media import dialogue, speech
from media.dialogue import Turn, build_dialogue

TURNS = [
    Turn(0, "Thanks for making the time today."),
    Turn(1, "Sure, happy to talk about the reporting."),
    Turn(0, "How do you build the weekly report right now?", 0.5),
    Turn(1, "Mostly spreadsheets, and it takes the whole of Monday morning.", 0.8),
    Turn(0, "Who else reads it?", 1.0),
]


def close_to(found: tuple[speech.Segment, ...], truth: tuple[speech.Segment, ...]):
    assert len(found) == len(truth), (found, truth)
    for a, b in zip(found, truth, strict=True):
        assert a.start == pytest.approx(b.start, abs=0.25)
        assert a.end == pytest.approx(b.end, abs=0.25)
    return True


def analysed(built: dialogue.Dialogue, tmp_path: Path) -> speech.Activity:
    return speech.analyse_file(built.write_wav(tmp_path / "call.wav"), time_limit=60)


@pytest.mark.parametrize(
    "use_espeak",
    [
        False,
        pytest.param(
            True,
            marks=pytest.mark.skipif(
                not dialogue.espeak_available(),
                reason="espeak-ng and sox not installed",
            ),
        ),
    ],
    ids=["stand-in voice", "espeak-ng"],
)
def test_it_finds_each_speaker_on_their_channel_despite_bleed_and_noise(
    tmp_path, use_espeak
):
    built = build_dialogue(TURNS, use_espeak=use_espeak)
    activity = analysed(built, tmp_path)
    assert activity.speakers == 2
    assert close_to(activity.channels[0], built.truth[0])
    assert close_to(activity.channels[1], built.truth[1])
    metrics = speech.activity_metrics(activity)
    rep, other = (speech.talk_seconds(t) for t in built.truth)
    assert metrics.rep_talk_ratio == pytest.approx(rep / (rep + other), abs=0.03)


def test_the_rep_channel_setting_swaps_the_speakers(tmp_path):
    activity = analysed(build_dialogue(TURNS, use_espeak=False), tmp_path)
    left = speech.activity_metrics(activity, rep_channel=0)
    right = speech.activity_metrics(activity, rep_channel=1)
    assert left.rep_talk_seconds == right.other_talk_seconds
    assert left.rep_talk_ratio == pytest.approx(1 - right.rep_talk_ratio, abs=0.002)


def test_one_channel_gives_one_speaker_with_speaking_time(tmp_path):
    built = build_dialogue(TURNS, channels=1, use_espeak=False)
    activity = analysed(built, tmp_path)
    assert activity.speakers == 1
    metrics = speech.activity_metrics(activity)
    assert metrics.rep_talk_ratio is None
    assert metrics.not_available == speech.ONE_SPEAKER_REASON
    # On one channel, turns less than BRIDGE_SECONDS apart join into one segment.
    bridged = sum(
        b.start - a.end
        for a, b in zip(built.truth[0], built.truth[0][1:], strict=False)
        if b.start - a.end < speech.BRIDGE_SECONDS
    )
    assert metrics.rep_talk_seconds == pytest.approx(
        speech.talk_seconds(built.truth[0]) + bridged, abs=0.5
    )
    assert 0 < metrics.silence_ratio < 1


def test_one_silent_speaker_is_not_given_the_bleed_of_the_other(tmp_path):
    turns = [
        Turn(0, "Let me walk you through the whole product."),
        Turn(0, "It is quick."),
    ]
    built = build_dialogue(turns, use_espeak=False)
    activity = analysed(built, tmp_path)
    assert activity.channels[1] == ()
    metrics = speech.activity_metrics(activity)
    assert metrics.rep_talk_ratio == 1.0
    assert metrics.other_talk_seconds == 0


def test_two_people_talking_at_once_count_for_both(tmp_path):
    turns = [
        Turn(0, "So the price includes every store and the support."),
        Turn(1, "Wait, does that include the warehouse locations too?", -3.0),
    ]
    built = build_dialogue(turns, use_espeak=False)
    activity = analysed(built, tmp_path)
    assert close_to(activity.channels[0], built.truth[0])
    assert close_to(activity.channels[1], built.truth[1])


def test_silence_and_noise_only_is_no_speech(tmp_path):
    built = build_dialogue([], use_espeak=False, lead=5, tail=5)
    activity = analysed(built, tmp_path)
    assert activity.channels == ((), ())
    assert speech.activity_metrics(activity).silence_ratio == 1


def test_a_recording_without_sound_is_no_speech_with_the_reason(tmp_path, ffmpeg_exe):
    video = tmp_path / "silent.mp4"
    subprocess.run(
        [ffmpeg_exe, "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i"]
        + ["testsrc2=size=160x120:rate=10:duration=3", "-c:v", "libx264"]
        + ["-preset", "ultrafast", "-pix_fmt", "yuv420p", str(video)],
        check=True,
    )
    activity = speech.analyse_file(video, time_limit=60)
    assert activity.channels == ()
    assert activity.reason == speech.NO_AUDIO_REASON
    metrics = speech.activity_metrics(activity)
    assert metrics.rep_talk_seconds == 0
    assert metrics.not_available == speech.NO_AUDIO_REASON
    assert metrics.duration_seconds == pytest.approx(3, abs=0.2)


def test_a_one_channel_recording_saved_as_stereo_is_one_speaker(tmp_path):
    built = build_dialogue(TURNS, channels=1, use_espeak=False)
    stereo = dialogue.Dialogue(
        samples=np.repeat(built.samples, 2, axis=1), truth=built.truth
    )
    activity = analysed(stereo, tmp_path)
    assert activity.speakers == 1
    assert activity.reason == speech.SAME_SOUND_REASON
    metrics = speech.activity_metrics(activity)
    assert metrics.rep_talk_ratio is None
    assert metrics.not_available == speech.SAME_SOUND_REASON
    assert metrics.rep_talk_seconds > 10


def test_two_people_talking_the_whole_time_at_once_count_for_both(tmp_path):
    turns = [
        Turn(0, "So the price includes every store, the support and the training."),
        Turn(1, "Does that include the warehouse locations and the online shop?", -60),
    ]
    built = build_dialogue(turns, use_espeak=False)
    assert built.truth[0][0].start == built.truth[1][0].start  # fully overlapped
    activity = analysed(built, tmp_path)
    assert close_to(activity.channels[0], built.truth[0])
    assert close_to(activity.channels[1], built.truth[1])
    rep, other = (speech.talk_seconds(t) for t in built.truth)
    metrics = speech.activity_metrics(activity)
    assert metrics.rep_talk_ratio == pytest.approx(rep / (rep + other), abs=0.03)
