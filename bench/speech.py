"""Accuracy and speed of the conversation analytics (media.speech).

    .venv/bin/python bench/speech.py [--dialogues 8] [--long-minutes 45]

Builds two-channel dialogues with known truth (media.dialogue: espeak-ng voices, or
the stand-in voice where espeak-ng is missing, at known times, with overlaps, 10%
bleed between channels and background noise at 20 dB SNR), sends each through the
same steps as an upload (validation, transcode to the playback file) and analyses the
playback file. Then times the analysis of a long call (the dialogues repeated to
`--long-minutes`, as AAC) on one core. The last line holds the figures:

    talk_ratio_abs_error_pct=<n> boundary_f1=<n> x_realtime=<n>

Talk-ratio error: the mean over dialogues of |found - true| rep talk ratio, in
percentage points. Boundary F1: segment starts and ends of each speaker matched one to
one with the truth's within 250 ms. x_realtime: the long call's duration divided by
the CPU time of its analysis (decoding by ffmpeg included), on one core; the wall-clock
time is printed above it, since on a busy shared machine it measures the neighbours.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import imageio_ffmpeg  # noqa: E402
import numpy as np  # noqa: E402

from media import dialogue, ffmpeg, speech  # noqa: E402

TOLERANCE = 0.25
REP_LINES = [
    "Thanks for making the time today.",
    "How do you build the weekly sales report right now?",
    "What happens when two stores report different numbers?",
    "Who else looks at these figures before the Monday meeting?",
    "If you could fix one thing about it, what would it be?",
    "That makes sense. We see the same pattern with other retailers.",
    "Could we look at last quarter together next week?",
    "Our dashboards refresh every hour from the point of sale data.",
]
BUYER_LINES = [
    "Sure, happy to talk.",
    "Mostly spreadsheets. Somebody exports the numbers by hand every Monday.",
    "Then we argue about which one is right, and it takes half a day.",
    "The regional managers, and finance at the end of the month.",
    "Honestly, I would like to stop copying data between systems.",
    "Right.",
    "Next Tuesday works for me.",
    "How long does it take to set up for forty stores?",
]


def random_turns(rng: random.Random, count: int) -> list[dialogue.Turn]:
    turns = []
    speaker = rng.randrange(2)
    for _ in range(count):
        lines = REP_LINES if speaker == 0 else BUYER_LINES
        roll = rng.random()
        if roll < 0.15:
            gap = -rng.uniform(0.4, 1.0)  # starts before the other has finished
        else:
            gap = rng.uniform(0.3, 1.6)
        turns.append(dialogue.Turn(speaker, rng.choice(lines), gap))
        if rng.random() < 0.2:
            # The same speaker goes on after a clear pause.
            turns.append(
                dialogue.Turn(speaker, rng.choice(lines), rng.uniform(0.9, 1.5))
            )
        speaker = 1 - speaker
    return turns


def boundary_counts(
    truth: tuple[speech.Segment, ...], found: tuple[speech.Segment, ...]
) -> tuple[int, int, int]:
    """(matched, found, true) boundaries of one speaker, starts and ends apart."""
    matched = 0
    for pick in (lambda s: s.start, lambda s: s.end):
        unused = sorted(pick(s) for s in found)
        for moment in sorted(pick(s) for s in truth):
            best = min(unused, key=lambda f: abs(f - moment), default=None)
            if best is not None and abs(best - moment) <= TOLERANCE:
                matched += 1
                unused.remove(best)
    return matched, 2 * len(found), 2 * len(truth)


def true_ratio(truth: tuple[tuple[speech.Segment, ...], ...]) -> float:
    rep, other = (speech.talk_seconds(segments) for segments in truth)
    return rep / (rep + other)


def playback_of(source: Path, workdir: Path) -> Path:
    probed = ffmpeg.validate(source, max_bytes=2 * 1024**3, max_duration=4 * 3600)
    return ffmpeg.transcode(
        source, probed, workdir, time_limit=600, points=200
    ).playback


def long_call(folder: Path, dialogues: list[dialogue.Dialogue], minutes: float) -> Path:
    one_pass = np.concatenate([d.samples for d in dialogues])
    repeats = int(np.ceil(minutes * 60 / (len(one_pass) / speech.SAMPLE_RATE)))
    samples = np.tile(one_pass, (repeats, 1))[: int(minutes * 60 * speech.SAMPLE_RATE)]
    wav = dialogue.Dialogue(samples=samples, truth=((), ())).write_wav(
        folder / "long.wav"
    )
    path = folder / "long.m4a"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y"]
        + ["-i", str(wav), "-c:a", "aac", "-b:a", "128k", "-ar", "48000", str(path)],
        check=True,
    )
    wav.unlink()
    return path


def cpu_seconds() -> float:
    """CPU time of this process and of the ffmpeg processes it waited for: on a
    shared machine, wall-clock time measures the neighbours as much as the code."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dialogues", type=int, default=8)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--long-minutes", type=float, default=45)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    rng = random.Random(args.seed)
    voice = "espeak-ng" if dialogue.espeak_available() else "the stand-in voice"
    print(f"Voices: {voice}; {args.dialogues} dialogues of {args.turns} turns")
    errors, matched, found_total, true_total = [], 0, 0, 0
    made = []
    with tempfile.TemporaryDirectory(prefix="onramp-bench-speech-") as scratch:
        folder = Path(scratch)
        for number in range(args.dialogues):
            built = dialogue.build_dialogue(
                random_turns(rng, args.turns), seed=args.seed + number
            )
            made.append(built)
            source = built.write_wav(folder / f"dialogue-{number}.wav")
            playback = playback_of(source, folder / f"out-{number}")
            activity = speech.analyse_file(playback, time_limit=600)
            metrics = speech.activity_metrics(activity, rep_channel=0)
            expected = true_ratio(built.truth)
            assert metrics.rep_talk_ratio is not None
            errors.append(abs(metrics.rep_talk_ratio - expected) * 100)
            for truth, found in zip(built.truth, activity.channels, strict=True):
                m, f, t = boundary_counts(truth, found)
                matched, found_total, true_total = (
                    matched + m,
                    found_total + f,
                    true_total + t,
                )
            print(
                f"  dialogue {number}: {built.duration:5.1f} s, talk ratio "
                f"{expected:.3f} true, {metrics.rep_talk_ratio:.3f} found"
            )
        precision = matched / found_total if found_total else 0.0
        recall = matched / true_total if true_total else 0.0
        f1 = 2 * precision * recall / (precision + recall) if matched else 0.0

        long = long_call(folder, made, args.long_minutes)
        started, cpu_started = time.perf_counter(), cpu_seconds()
        activity = speech.analyse_file(long, time_limit=3600)
        elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        print(
            f"Long call: {activity.duration / 60:.1f} min analysed in {cpu:.2f} s of "
            f"CPU on one core ({elapsed:.2f} s wall clock, "
            f"{activity.duration / elapsed:.0f}x real time, load average "
            f"{os.getloadavg()[0]:.1f})"
        )
    print(f"Boundaries: precision {precision:.3f}, recall {recall:.3f}")
    print(
        f"talk_ratio_abs_error_pct={sum(errors) / len(errors):.2f} "
        f"boundary_f1={f1:.3f} x_realtime={activity.duration / cpu:.0f}"
    )


if __name__ == "__main__":
    main()
