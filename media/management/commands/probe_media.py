"""`manage.py probe_media FILE`: would this file be accepted as an upload?"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from media.ffmpeg import FfmpegFailed, FfmpegLimitExceeded, MediaRejected, validate
from media.services import ffmpeg_memory_limit_mb


class Command(BaseCommand):
    help = (
        "Check a local media file exactly as an upload is checked. Prints "
        "'accepted: <container> <streams> <duration>s' and exits 0, or "
        "'rejected: <reason>' and exits 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
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
        except (MediaRejected, FfmpegLimitExceeded) as refusal:
            self._reject(str(refusal))
        except FfmpegFailed as failure:  # ffmpeg crashed or timed out on it
            self._reject(f"could not check the file: {failure}")
        self.stdout.write(
            f"accepted: {probe.container} {probe.summary()} {probe.duration:.2f}s"
        )

    def _reject(self, reason: str) -> NoReturn:
        self.stdout.write(f"rejected: {reason}")
        sys.exit(1)
