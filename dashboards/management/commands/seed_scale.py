from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboards.scale import AlreadySeeded, seed_scale


class Command(BaseCommand):
    help = (
        "Create the scale data set for benchmarks: reps in teams of 20 and regions "
        "of 10 teams, a 60-lesson onboarding path, lesson completions, 5 quiz "
        "attempts and 2 coaching reviews per rep, certificates. Meant for an empty "
        "benchmark database (PostgreSQL: written with COPY)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reps", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reps"] < 1:
            raise CommandError("--reps must be at least 1.")
        began = time.monotonic()
        try:
            counts = seed_scale(
                reps=options["reps"], seed=options["seed"], out=self.stdout
            )
        except AlreadySeeded as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {counts.reps} reps in {counts.teams} teams, "
                f"{counts.completions} lesson completions, "
                f"{counts.quiz_attempts} quiz attempts, {counts.reviews} reviews, "
                f"{counts.certificates} certificates "
                f"in {time.monotonic() - began:.1f} s."
            )
        )
