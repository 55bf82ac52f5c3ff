"""`manage.py speech_metrics FILE [--rep-channel 0|1]`: the conversation metrics of a
local recording, through the same steps as an upload."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from media import speech
from media.ffmpeg import FfmpegFailed, MediaRejected, transcode, validate
from media.services import ffmpeg_memory_limit_mb


class Command(BaseCommand):
    help = (
        "Analyse a local recording as a call review's recording is analysed: "
        "validated like an upload, transcoded, then measured. Prints one JSON line "
        "of metrics and exits 0, or prints 'rejected: <reason>' and exits 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", type=Path)
        parser.add_argument(
            "--rep-channel",
            type=int,
            choices=(0, 1),
            default=0,
            help="Which channel of a two-channel recording is the rep (default 0, "
            "the first or left one).",
        )

    def handle(self, *args: Any, file: Path, rep_channel: int, **options: Any) -> None:
        if not file.is_file():
            self._reject("no such file")
        try:
            probe = validate(
                file,
                max_bytes=settings.MEDIA_MAX_UPLOAD_BYTES,
                max_duration=settings.MEDIA_MAX_DURATION_SECONDS,
                max_pixels=settings.MEDIA_MAX_VIDEO_PIXELS,
                memory_limit_mb=ffmpeg_memory_limit_mb(),
            )
            with tempfile.TemporaryDirectory(prefix="onramp-speech-metrics-") as work:
                outputs = transcode(
                    file,
                    probe,
                    Path(work),
                    time_limit=settings.MEDIA_TRANSCODE_TIME_LIMIT,
                    max_duration=settings.MEDIA_MAX_DURATION_SECONDS,
                    points=0,
                    memory_limit_mb=ffmpeg_memory_limit_mb(),
                )
                activity = speech.analyse_file(
                    outputs.playback,
                    time_limit=settings.SPEECH_ANALYSIS_TIME_LIMIT,
                    memory_limit_mb=ffmpeg_memory_limit_mb(),
                )
        except MediaRejected as refusal:
            self._reject(str(refusal))
        except FfmpegFailed as failure:
            self._reject(f"could not analyse the file: {failure}")
        if activity.reason:
            self.stderr.write(activity.reason)
        metrics = speech.activity_metrics(activity, rep_channel=rep_channel)
        self.stdout.write(json.dumps(metrics.command_json()))

    def _reject(self, reason: str) -> NoReturn:
        self.stdout.write(f"rejected: {reason}")
        sys.exit(1)
