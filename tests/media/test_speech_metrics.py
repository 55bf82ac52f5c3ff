"""The conversation metrics on hand-built segment lists (media.speech, pure)."""

from __future__ import annotations

import numpy as np
import pytest

from media.speech import (
    ONE_SPEAKER_REASON,
    Activity,
    Segment,
    activity_metrics,
    conversation_metrics,
    dominant_frames,
    longest_run,
    merged,
    patience,
    segments_from_frames,
    speaker_switches,
)


def segs(*pairs: tuple[float, float]) -> list[Segment]:
    return [Segment(a, b) for a, b in pairs]


def test_it_gives_the_rep_talk_ratio_of_talk_time_not_of_the_recording():
    rep = segs((0, 10), (20, 30))  # 20 s
    other = segs((10, 20), (30, 90))  # 70 s
    metrics = conversation_metrics(rep, other, duration=100)
    assert metrics.speakers == 2
    assert metrics.rep_talk_seconds == 20
    assert metrics.other_talk_seconds == 70
    assert metrics.rep_talk_ratio == pytest.approx(20 / 90, abs=0.001)
    assert metrics.silence_ratio == pytest.approx(0.1)


def test_it_counts_overlapping_speech_once_per_speaker_and_once_in_silence():
    rep = segs((0, 10), (5, 12))  # overlapping segments of one speaker: 12 s
    other = segs((8, 20))
    metrics = conversation_metrics(rep, other, duration=40)
    assert metrics.rep_talk_seconds == 12
    assert metrics.other_talk_seconds == 12
    assert metrics.rep_talk_ratio == 0.5
    assert metrics.silence_ratio == pytest.approx(0.5)


def test_the_longest_monologue_spans_short_pauses_but_not_the_other_speaker():
    rep = segs((0, 5), (6, 10), (15, 18), (19, 40))
    other = segs((11, 14), (18.2, 18.8))  # a back-channel "mm-hmm" at 18.2
    assert longest_run(rep, other) == Segment(19, 40)
    assert longest_run(rep, []) == Segment(15, 40)
    metrics = conversation_metrics(rep, other, duration=40)
    assert metrics.longest_monologue_seconds == 21
    assert metrics.longest_monologue == Segment(19, 40)
    assert metrics.longest_customer_story_seconds == 3


def test_a_pause_of_two_seconds_ends_a_monologue():
    assert longest_run(segs((0, 4), (6, 9))) == Segment(0, 4)
    assert longest_run(segs((0, 4), (5.9, 9))) == Segment(0, 9)


def test_interactivity_counts_speaker_switches_per_minute():
    rep = segs((0, 5), (10, 15), (16, 18))
    other = segs((5, 10), (20, 25))
    assert speaker_switches(rep, other) == 3
    metrics = conversation_metrics(rep, other, duration=120)
    assert metrics.interactivity_per_minute == 1.5


def test_patience_is_the_mean_wait_after_the_other_stops_and_interruptions_count_zero():
    other = segs((0, 10), (20, 30), (40, 50))
    rep = segs((11, 19), (29, 39), (52, 55))  # waits 1 s, interrupts, waits 2 s
    assert patience(rep, other) == pytest.approx(1.0)
    assert patience(segs((0, 5)), segs((6, 9))) is None  # the rep never takes over


def test_one_speaker_gives_speaking_time_and_monologue_but_no_ratio():
    metrics = conversation_metrics(segs((1, 4), (5, 9)), None, duration=10)
    assert metrics.speakers == 1
    assert metrics.rep_talk_ratio is None
    assert metrics.other_talk_seconds is None
    assert metrics.interactivity_per_minute is None
    assert metrics.patience_seconds is None
    assert metrics.rep_talk_seconds == 7
    assert metrics.longest_monologue_seconds == 8
    assert metrics.silence_ratio == pytest.approx(0.3)
    assert metrics.not_available == ONE_SPEAKER_REASON


def test_silence_only_gives_zeros_and_no_ratio():
    metrics = conversation_metrics([], [], duration=30)
    assert metrics.rep_talk_ratio is None
    assert metrics.rep_talk_seconds == 0
    assert metrics.longest_monologue_seconds == 0
    assert metrics.silence_ratio == 1
    assert metrics.not_available == "Nobody speaks."


def test_the_command_json_has_exactly_the_documented_keys_in_order():
    metrics = conversation_metrics(segs((0, 1)), segs((2, 3)), duration=4)
    assert list(metrics.command_json()) == [
        "speakers",
        "duration_seconds",
        "rep_talk_ratio",
        "rep_talk_seconds",
        "other_talk_seconds",
        "longest_monologue_seconds",
        "longest_customer_story_seconds",
        "interactivity_per_minute",
        "patience_seconds",
        "silence_ratio",
    ]


def test_the_rep_channel_chooses_who_is_the_rep():
    activity = Activity(
        duration=10, channels=(tuple(segs((0, 2))), tuple(segs((3, 9))))
    )
    assert activity_metrics(activity, rep_channel=0).rep_talk_seconds == 2
    assert activity_metrics(activity, rep_channel=1).rep_talk_seconds == 6
    assert Activity.from_json(activity.to_json()) == activity


def test_frames_become_segments_bridging_short_gaps_and_dropping_blips():
    frames = [1] * 10 + [0] * 10 + [1] * 10 + [0] * 30 + [1] * 3 + [0] * 40 + [1] * 20
    found = segments_from_frames(np.array(frames, dtype=bool))
    # 0.3 s gap bridged; 0.09 s blip dropped; 0.9 s and more gaps kept.
    assert found == [Segment(0.0, 0.9), Segment(3.09, 3.69)]
    assert merged(segs((0, 2), (1, 3), (5, 6))) == segs((0, 3), (5, 6))


def test_bleed_is_left_to_the_louder_channel_and_overlap_counts_for_both():
    speech = [np.array([1, 1, 1, 0]), np.array([1, 1, 1, 1])]
    levels = [
        np.array([-20.0, -20.0, -41.0, -60.0]),
        np.array([-40.0, -22.0, -20.0, -30.0]),
    ]
    first, second = dominant_frames(speech, levels)
    # Frame 0: the second channel hears the first voice 20 dB down (bleed).
    # Frame 1: both speak at once. Frame 2: the first channel hears bleed.
    assert first.tolist() == [True, True, False, False]
    assert second.tolist() == [False, True, True, True]
