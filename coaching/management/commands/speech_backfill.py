"""`manage.py speech_backfill [--now]`: analyse the call recordings whose
conversation analytics are missing, made by an older version, or stuck."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coaching.analytics import call_analyses_backfill


class Command(BaseCommand):
    help = (
        "Queue the conversation analytics of every call review recording that has "
        "none, has one made by an older version of the analysis, or is stuck. "
        "Idempotent: up-to-date analyses are left alone. --now analyses here instead "
        "of queueing on the `media` queue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Analyse here, one after the other."
        )

    def handle(self, *args: Any, now: bool, **options: Any) -> None:
        count = call_analyses_backfill(enqueue=not now)
        done = "analysed" if now else "queued for analysis"
        self.stdout.write(f"{count} call recording{'' if count == 1 else 's'} {done}.")
