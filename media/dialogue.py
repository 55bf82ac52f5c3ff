"""Two-channel dialogues with known truth, for the demo, the tests and the benchmark.

Each turn is spoken by espeak-ng (Debian's `espeak-ng` package) when it is installed;
otherwise by a stand-in voice made here (voiced syllables: a pulse train through
vowel-like resonances), so that a fresh machine still gets audio the detector hears
as speech at the intended times. Speaker 0 is on the left channel, speaker 1 on the
right; each voice leaks into the other channel (`bleed`) and both channels get
background noise at `snr_db`, as real dual-channel call recordings do.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from media.speech import SAMPLE_RATE, Segment

VOICES = ("en-us", "en-gb+f3")
# Pitch (Hz) of the stand-in voices, one per speaker.
STAND_IN_PITCH = (115.0, 205.0)


@dataclass(frozen=True)
class Turn:
    """One utterance: who says it and how long after the previous turn ends (seconds;
    negative to start before it ends, an overlap, but not before it starts)."""

    speaker: int
    text: str
    gap: float = 0.6


@dataclass(frozen=True)
class Dialogue:
    """Mixed audio (float samples in -1..1, one column per channel) and, per speaker,
    where their speech really is."""

    samples: np.ndarray
    truth: tuple[tuple[Segment, ...], ...]
    # Where each turn is, in the order of the turns.
    lines: tuple[Segment, ...] = ()

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def write_wav(self, path: Path) -> Path:
        pcm = np.clip(self.samples * 32767, -32768, 32767).astype("<i2")
        with wave.open(str(path), "wb") as out:
            out.setnchannels(pcm.shape[1])
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(pcm.tobytes())
        return path


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None and shutil.which("sox") is not None


def spoken(
    text: str,
    speaker: int,
    *,
    use_espeak: bool | None = None,
    voices: Sequence[str] = VOICES,
) -> np.ndarray:
    """`text` said by voice `speaker` as float samples at 16 kHz, silence trimmed."""
    if use_espeak is None:
        use_espeak = espeak_available()
    samples = _espeak(text, voices[speaker]) if use_espeak else _stand_in(text, speaker)
    loud = np.flatnonzero(np.abs(samples) > 0.02 * (np.abs(samples).max() or 1))
    if len(loud) == 0:
        return samples[:0]
    samples = samples[loud[0] : loud[-1] + 1]
    return samples / (np.abs(samples).max() or 1) * 0.5


def _espeak(text: str, voice: str) -> np.ndarray:
    speech = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", "165", "--stdout", text],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    raw = subprocess.run(
        ["sox", "-t", "wav", "-", "-t", "raw", "-r", str(SAMPLE_RATE), "-c", "1"]
        + ["-b", "16", "-e", "signed-integer", "-L", "-"],
        input=speech,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768


def _stand_in(text: str, speaker: int) -> np.ndarray:
    """Voiced syllables, about as many and as long as the text would take to say."""
    rng = np.random.default_rng(sum(map(ord, text)) + speaker)
    pitch = STAND_IN_PITCH[speaker]
    pieces = []
    for word in text.split():
        for _ in range(max(1, round(len(word) / 3))):
            length = rng.uniform(0.14, 0.22)
            pieces.append(_syllable(length, pitch * rng.uniform(0.9, 1.1), rng))
            pieces.append(np.zeros(int(0.03 * SAMPLE_RATE)))
        pieces.append(np.zeros(int(0.06 * SAMPLE_RATE)))
    return np.concatenate(pieces[:-2]) if len(pieces) > 2 else np.concatenate(pieces)


def _syllable(length: float, pitch: float, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(int(length * SAMPLE_RATE)) / SAMPLE_RATE
    formants = (rng.uniform(500, 800), rng.uniform(1000, 1600), 2500.0)
    wave_ = np.zeros_like(t)
    harmonic = 1
    while harmonic * pitch < 3800:
        frequency = harmonic * pitch
        # Each harmonic is as loud as the vowel's resonances near it make it.
        gain = sum(1 / (1 + ((frequency - f) / 120) ** 2) for f in formants)
        wave_ += gain / harmonic**0.5 * np.sin(2 * np.pi * frequency * t)
        harmonic += 1
    envelope = np.sin(np.pi * t / length) ** 0.6
    return wave_ * envelope


def build_dialogue(
    turns: Sequence[Turn],
    *,
    channels: int = 2,
    bleed: float = 0.1,
    snr_db: float = 20.0,
    lead: float = 0.8,
    tail: float = 0.8,
    seed: int = 0,
    use_espeak: bool | None = None,
    voices: Sequence[str] = VOICES,
) -> Dialogue:
    """Place the turns one after the other and mix them.

    With `channels=1` everything goes to one channel (a one-speaker recording: the
    truth is then all speech in one list).
    """
    placed: list[tuple[int, int, np.ndarray]] = []
    cursor = int(lead * SAMPLE_RATE)
    previous_start = cursor
    for index, turn in enumerate(turns):
        voice = spoken(turn.text, turn.speaker, use_espeak=use_espeak, voices=voices)
        start = (
            cursor
            if index == 0
            # An overlap starts at the earliest with the turn it overlaps.
            else max(previous_start, cursor + int(turn.gap * SAMPLE_RATE))
        )
        placed.append((turn.speaker, start, voice))
        cursor = max(cursor, start + len(voice))
        previous_start = start
    total = cursor + int(tail * SAMPLE_RATE)
    mixed_voices = np.zeros((total, 2))
    truth: list[list[Segment]] = [[], []]
    lines = []
    for speaker, start, voice in placed:
        mixed_voices[start : start + len(voice), speaker] += voice
        line = Segment(start / SAMPLE_RATE, (start + len(voice)) / SAMPLE_RATE)
        truth[speaker].append(line)
        lines.append(line)
    rng = np.random.default_rng(seed)
    if channels == 1:
        mixed = mixed_voices.sum(axis=1, keepdims=True)
        merged_truth = tuple(sorted(truth[0] + truth[1], key=lambda s: s.start))
        return Dialogue(
            samples=_noisy(mixed, snr_db, rng),
            truth=(merged_truth,),
            lines=tuple(lines),
        )
    mixed = np.stack(
        [
            mixed_voices[:, 0] + bleed * mixed_voices[:, 1],
            mixed_voices[:, 1] + bleed * mixed_voices[:, 0],
        ],
        axis=1,
    )
    return Dialogue(
        samples=_noisy(mixed, snr_db, rng),
        truth=(tuple(truth[0]), tuple(truth[1])),
        lines=tuple(lines),
    )


def _noisy(mixed: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    """Add noise `snr_db` below the level of the speech in each channel."""
    result = mixed.copy()
    for channel in range(mixed.shape[1]):
        column = mixed[:, channel]
        active = column[np.abs(column) > 1e-4]
        speech_rms = float(np.sqrt(np.mean(active**2))) if len(active) else 0.05
        noise_rms = speech_rms / 10 ** (snr_db / 20)
        result[:, channel] += rng.normal(0, noise_rms, len(column))
    return np.asarray(np.clip(result, -1, 1))
