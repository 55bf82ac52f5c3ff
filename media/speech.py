"""Speech activity and conversation metrics of a recording, as pure functions.

Coaching's analysis job and the `speech_metrics` command call `analyse_file()` on a
transcoded playback file (never on an upload: only what validation accepted and ffmpeg
re-encoded reaches this module). Nothing here knows about models or settings.

How it works (the README's "Conversation analytics" has the definitions):
1. ffmpeg decodes the audio once to 16 kHz, 16-bit PCM, one or two channels.
2. Each channel is cut into 30 ms frames. A frame may be speech when WebRTC's voice
   activity detector says so and it is louder than the channel's noise floor.
3. Two channels are two speakers (dialers and meeting tools record one per channel).
   Each voice also leaks, quieter, into the other channel ("bleed"), where the
   detector rightly hears speech. A frame counts for a channel only if that channel
   is not much quieter than the other (DOMINANCE_MARGIN_DB): bleed is about 20 dB
   below the voice it copies, while two people talking at once are within a few dB.
4. Frames become segments: short gaps are bridged, blips dropped.
5. The metrics are computed from the segments alone (`conversation_metrics`), so they
   can be checked by hand on any list of segments.

webrtcvad (the `webrtcvad-wheels` build) is the detector: a small C library from
WebRTC, with wheels for every platform, no model file to download and no GPU; it
analyses audio hundreds of times faster than real time on one core.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import webrtcvad
from django.utils.translation import gettext_noop

from media import ffmpeg

# Raise this whenever the analysis would give different results on the same audio:
# `manage.py speech_backfill` re-runs every analysis made by an older version.
ANALYSIS_VERSION = 1

SAMPLE_RATE = 16000
FRAME_SECONDS = 0.03
FRAME_SAMPLES = int(SAMPLE_RATE * FRAME_SECONDS)
# webrtcvad's most aggressive mode: it wrongly calls background noise speech least.
VAD_MODE = 3
# A frame quieter than this above the channel's noise floor is not speech.
NOISE_GATE_DB = 6.0
# Below this, a frame is digital silence whatever the detector says.
SILENCE_DBFS = -70.0
# A channel's frame counts as its speaker's only if it is at most this much quieter
# than the other channel's frame. Bleed is typically 20 dB or more below its voice.
DOMINANCE_MARGIN_DB = 10.0
# Gaps in one speaker's speech shorter than this are part of the same segment
# (between words and short breaths).
BRIDGE_SECONDS = 0.6
# Segments shorter than this are clicks, coughs or detector noise.
MIN_SEGMENT_SECONDS = 0.2
# A monologue or story goes on across pauses shorter than this, while the other
# speaker says nothing.
MONOLOGUE_PAUSE_SECONDS = 2.0
# How much decoded audio is read into memory at a time (one minute).
_BLOCK_FRAMES = int(60 / FRAME_SECONDS)

# Stored in English (CallAnalysis.not_available); translated where they are shown.
ONE_SPEAKER_REASON = gettext_noop(
    "This recording has one audio channel, so the rep and the other person cannot be "
    "told apart. Talk ratio needs a two-channel recording (one speaker per channel), "
    "as dialers and meeting tools export calls."
)
NO_AUDIO_REASON = gettext_noop(
    "This recording has no sound, so there is no speech to measure."
)
SAME_SOUND_REASON = gettext_noop(
    "Both channels of this recording carry the same sound (a one-channel recording "
    "saved as stereo), so the rep and the other person cannot be told apart. Talk "
    "ratio needs one speaker per channel, as dialers and meeting tools export calls."
)
NOBODY_SPEAKS_REASON = gettext_noop("Nobody speaks.")
# Two channels whose speech frames differ by less than this (median, dB) are one
# channel saved twice; real two-channel calls differ by the bleed, 20 dB or more.
SAME_SOUND_DB = 1.5


@dataclass(frozen=True)
class Segment:
    """A stretch of speech by one speaker, in seconds from the start."""

    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Activity:
    """The speech segments found in each channel of a recording.

    `channels` holds one list per channel (one or two); empty when there is no audio,
    with the reason in `reason`.
    """

    duration: float
    channels: tuple[tuple[Segment, ...], ...]
    reason: str = ""

    @property
    def speakers(self) -> int:
        return 2 if len(self.channels) == 2 else 1

    def to_json(self) -> dict[str, Any]:
        return {
            "duration": round(self.duration, 3),
            "channels": [
                [[round(s.start, 2), round(s.end, 2)] for s in channel]
                for channel in self.channels
            ],
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Activity:
        return cls(
            duration=float(data["duration"]),
            channels=tuple(
                tuple(Segment(float(a), float(b)) for a, b in channel)
                for channel in data["channels"]
            ),
            reason=str(data.get("reason", "")),
        )

    def rep_and_other(
        self, rep_channel: int
    ) -> tuple[tuple[Segment, ...], tuple[Segment, ...] | None]:
        """The rep's segments and the other speaker's (None for one speaker)."""
        if len(self.channels) < 2:
            return (self.channels[0] if self.channels else ()), None
        rep_channel = rep_channel if rep_channel in (0, 1) else 0
        return self.channels[rep_channel], self.channels[1 - rep_channel]


@dataclass(frozen=True)
class Metrics:
    """The conversation metrics of one recording (README: "Conversation analytics").

    Values that need two speakers are None for a one-speaker recording, with the
    reason in `not_available`.
    """

    speakers: int
    duration_seconds: float
    rep_talk_ratio: float | None
    rep_talk_seconds: float
    other_talk_seconds: float | None
    longest_monologue_seconds: float
    longest_customer_story_seconds: float | None
    interactivity_per_minute: float | None
    patience_seconds: float | None
    silence_ratio: float
    longest_monologue: Segment | None = field(default=None)
    not_available: str = ""

    # The keys `manage.py speech_metrics` prints, in order.
    COMMAND_KEYS = (
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
    )

    def command_json(self) -> dict[str, Any]:
        values = asdict(self)
        return {key: values[key] for key in self.COMMAND_KEYS}


# Metrics from segments: pure, checkable by hand.


def merged(segments: Sequence[Segment]) -> list[Segment]:
    """The union of possibly overlapping segments, in order."""
    result: list[Segment] = []
    for segment in sorted(segments, key=lambda s: s.start):
        if result and segment.start <= result[-1].end:
            last = result[-1]
            result[-1] = Segment(last.start, max(last.end, segment.end))
        else:
            result.append(segment)
    return result


def talk_seconds(segments: Sequence[Segment]) -> float:
    return sum(s.length for s in merged(segments))


def longest_run(
    own: Sequence[Segment],
    other: Sequence[Segment] = (),
    *,
    max_pause: float = MONOLOGUE_PAUSE_SECONDS,
) -> Segment | None:
    """The longest stretch of one speaker's speech that the other speaker does not
    enter and that pauses for less than `max_pause` seconds at a time."""
    other_starts = sorted(s.start for s in other)
    best: Segment | None = None
    run: Segment | None = None
    for segment in merged(own):
        if run is not None:
            pause_too_long = segment.start - run.end >= max_pause
            # The other speaker started while this speaker was talking or pausing.
            interrupted = any(
                run.start < start < segment.start for start in other_starts
            )
            if pause_too_long or interrupted:
                run = None
        run = Segment(run.start if run else segment.start, segment.end)
        if best is None or run.length > best.length:
            best = run
    return best


def _turns(
    rep: Sequence[Segment], other: Sequence[Segment]
) -> list[tuple[str, Segment]]:
    turns = [("rep", s) for s in merged(rep)] + [("other", s) for s in merged(other)]
    return sorted(turns, key=lambda turn: (turn[1].start, turn[1].end))


def speaker_switches(rep: Sequence[Segment], other: Sequence[Segment]) -> int:
    """How often the speaker changes, taking segments in the order they start."""
    turns = _turns(rep, other)
    return sum(1 for a, b in zip(turns, turns[1:], strict=False) if a[0] != b[0])


def patience(rep: Sequence[Segment], other: Sequence[Segment]) -> float | None:
    """The mean time from the other speaker stopping to the rep starting, over every
    time the rep takes over from the other speaker; 0 when the rep starts before the
    other has finished. None when the rep never takes over."""
    gaps = []
    turns = _turns(rep, other)
    for (before, previous), (after, current) in zip(turns, turns[1:], strict=False):
        if before == "other" and after == "rep":
            gaps.append(max(0.0, current.start - previous.end))
    return sum(gaps) / len(gaps) if gaps else None


def conversation_metrics(
    rep: Sequence[Segment],
    other: Sequence[Segment] | None,
    *,
    duration: float,
    not_available: str = "",
) -> Metrics:
    """The metrics of a conversation from its segments. `other` is None for a
    recording with one speaker (all speech is the rep's)."""
    duration = max(duration, 0.0)
    rep_talk = talk_seconds(rep)
    monologue = longest_run(rep, other or ())
    everyone = merged([*rep, *(other or ())])
    spoken = sum(min(s.end, duration) - min(s.start, duration) for s in everyone)
    silence_ratio = 1 - spoken / duration if duration > 0 else 1.0
    if other is None:
        return Metrics(
            speakers=1,
            duration_seconds=_round(duration),
            rep_talk_ratio=None,
            rep_talk_seconds=_round(rep_talk),
            other_talk_seconds=None,
            longest_monologue_seconds=_round(monologue.length if monologue else 0.0),
            longest_customer_story_seconds=None,
            interactivity_per_minute=None,
            patience_seconds=None,
            silence_ratio=_round(max(0.0, silence_ratio), 3),
            longest_monologue=monologue,
            not_available=not_available or ONE_SPEAKER_REASON,
        )
    other_talk = talk_seconds(other)
    total = rep_talk + other_talk
    story = longest_run(other, rep)
    waited = patience(rep, other)
    return Metrics(
        speakers=2,
        duration_seconds=_round(duration),
        rep_talk_ratio=_round(rep_talk / total, 3) if total > 0 else None,
        rep_talk_seconds=_round(rep_talk),
        other_talk_seconds=_round(other_talk),
        longest_monologue_seconds=_round(monologue.length if monologue else 0.0),
        longest_customer_story_seconds=_round(story.length if story else 0.0),
        interactivity_per_minute=_round(speaker_switches(rep, other) / duration * 60)
        if duration > 0
        else 0.0,
        patience_seconds=_round(waited) if waited is not None else None,
        silence_ratio=_round(max(0.0, silence_ratio), 3),
        longest_monologue=monologue,
        not_available=not_available or ("" if total > 0 else NOBODY_SPEAKS_REASON),
    )


def _round(value: float, digits: int = 2) -> float:
    return round(value, digits)


# Frames to segments.


def segments_from_frames(
    active: Sequence[bool] | np.ndarray,
    *,
    frame_seconds: float = FRAME_SECONDS,
    bridge: float = BRIDGE_SECONDS,
    min_length: float = MIN_SEGMENT_SECONDS,
) -> list[Segment]:
    """Runs of active frames as segments, bridging gaps shorter than `bridge`
    seconds and dropping segments shorter than `min_length`."""
    flags = np.asarray(active, dtype=bool)
    if not flags.any():
        return []
    padded = np.concatenate(([False], flags, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[0::2], edges[1::2]
    runs: list[list[int]] = []
    bridge_frames = bridge / frame_seconds
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if runs and start - runs[-1][1] < bridge_frames:
            runs[-1][1] = end
        else:
            runs.append([start, end])
    return [
        Segment(round(start * frame_seconds, 3), round(end * frame_seconds, 3))
        for start, end in runs
        if (end - start) * frame_seconds >= min_length
    ]


def dominant_frames(
    speech: Sequence[np.ndarray], levels: Sequence[np.ndarray]
) -> list[np.ndarray]:
    """Per channel: frames with speech that the other channel does not drown out.

    `speech[c][i]` says whether frame i of channel c sounds like speech, `levels[c][i]`
    is its level in dB. With one channel, the speech frames are returned as they are.
    """
    if len(speech) != 2:
        return [np.asarray(flags, dtype=bool) for flags in speech]
    count = min(len(speech[0]), len(speech[1]))
    first, second = (np.asarray(s[:count], dtype=bool) for s in speech)
    level_first = np.asarray(levels[0][:count])
    level_second = np.asarray(levels[1][:count])
    return [
        first & (level_first >= level_second - DOMINANCE_MARGIN_DB),
        second & (level_second >= level_first - DOMINANCE_MARGIN_DB),
    ]


def same_sound(speech: Sequence[np.ndarray], levels: Sequence[np.ndarray]) -> bool:
    """Whether two channels carry the same sound: a mono recording saved as stereo,
    whose "two speakers" would each be credited with all the speech."""
    count = min(len(levels[0]), len(levels[1]))
    either = (np.asarray(speech[0][:count]) | np.asarray(speech[1][:count])).astype(
        bool
    )
    if not either.any():
        return False
    difference = np.abs(levels[0][:count] - levels[1][:count])[either]
    return bool(np.median(difference) < SAME_SOUND_DB)


# Audio to activity.


def frame_levels(samples: np.ndarray) -> np.ndarray:
    """The level in dBFS of each whole frame of 16-bit samples."""
    whole = len(samples) // FRAME_SAMPLES * FRAME_SAMPLES
    frames = samples[:whole].astype(np.float32).reshape(-1, FRAME_SAMPLES) / 32768.0
    power = np.mean(frames * frames, axis=1)
    return np.asarray(10 * np.log10(power + 1e-12), dtype=np.float64)


def noise_floor(levels: np.ndarray) -> float:
    """The level of the quietest tenth of the frames: the background."""
    if len(levels) == 0:
        return SILENCE_DBFS
    return float(np.percentile(levels, 10))


def analyse_pcm(pcm: ffmpeg.Pcm) -> Activity:
    """Find the speech segments in each channel of decoded audio."""
    channels = pcm.channels
    frame_bytes = FRAME_SAMPLES * 2 * channels
    detectors = [webrtcvad.Vad(VAD_MODE) for _ in range(channels)]
    levels: list[list[np.ndarray]] = [[] for _ in range(channels)]
    voiced: list[list[np.ndarray]] = [[] for _ in range(channels)]
    frames = 0
    with pcm.path.open("rb") as data:
        while block := data.read(_BLOCK_FRAMES * frame_bytes):
            whole = len(block) // frame_bytes * frame_bytes
            if whole == 0:
                break
            interleaved = np.frombuffer(block[:whole], dtype="<i2")
            frames += whole // frame_bytes
            for channel in range(channels):
                samples = np.ascontiguousarray(interleaved[channel::channels])
                level = frame_levels(samples)
                levels[channel].append(level)
                voiced[channel].append(
                    _voiced_frames(detectors[channel], samples, level)
                )
    level_arrays = [_joined(parts) for parts in levels]
    speech = []
    for channel in range(channels):
        floor = max(noise_floor(level_arrays[channel]), SILENCE_DBFS)
        speech.append(
            _joined(voiced[channel]) & (level_arrays[channel] > floor + NOISE_GATE_DB)
        )
    if channels == 2 and same_sound(speech, level_arrays):
        return Activity(
            duration=frames * FRAME_SECONDS,
            channels=(tuple(segments_from_frames(speech[0] | speech[1])),),
            reason=SAME_SOUND_REASON,
        )
    active = dominant_frames(speech, level_arrays)
    return Activity(
        duration=frames * FRAME_SECONDS,
        channels=tuple(tuple(segments_from_frames(flags)) for flags in active),
    )


def _voiced_frames(
    detector: webrtcvad.Vad, samples: np.ndarray, levels: np.ndarray
) -> np.ndarray:
    """webrtcvad's verdict on each frame; frames of near silence are not asked."""
    raw = samples.astype("<i2", copy=False).tobytes()
    step = FRAME_SAMPLES * 2
    result = np.zeros(len(levels), dtype=bool)
    for index in np.flatnonzero(levels > SILENCE_DBFS).tolist():
        result[index] = detector.is_speech(
            raw[index * step : (index + 1) * step], SAMPLE_RATE
        )
    return result


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0)


def analyse_file(
    path: Path, *, time_limit: float, memory_limit_mb: int | None = None
) -> Activity:
    """The speech activity of a transcoded recording (decoded once, in a temporary
    folder). A file without audio gives no segments and the reason. Raises
    ffmpeg.FfmpegLimitExceeded when decoding takes longer than `time_limit` or more
    than `memory_limit_mb`, ffmpeg.FfmpegFailed when it fails otherwise."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="onramp-speech-") as folder:
        pcm = ffmpeg.decode_pcm(
            path,
            Path(folder) / "speech.pcm",
            sample_rate=SAMPLE_RATE,
            time_limit=time_limit,
            memory_limit_mb=memory_limit_mb,
        )
        if pcm is None:
            probed = ffmpeg.probe(
                path,
                timeout=max(1.0, time_limit - (time.monotonic() - started)),
                memory_limit_mb=memory_limit_mb,
            )
            return Activity(
                duration=probed.duration or 0.0, channels=(), reason=NO_AUDIO_REASON
            )
        return analyse_pcm(pcm)


def activity_metrics(activity: Activity, *, rep_channel: int = 0) -> Metrics:
    """The metrics of an analysed recording, with the rep on `rep_channel`."""
    rep, other = activity.rep_and_other(rep_channel)
    return conversation_metrics(
        rep, other, duration=activity.duration, not_available=activity.reason
    )
