from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from lms.accounts.demo import DEMO_PASSWORD, demo_logins
from lms.demo import demo_steps


class Command(BaseCommand):
    help = "Create or update the Northwind Analytics demo organisation (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        # Wagtail logs every page it creates: dozens of lines that hide the logins.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        with transaction.atomic():
            for step in demo_steps():
                self.stdout.write(f"Seeding {step.name}…")
                step.run(self.stdout.write)
        rows = demo_logins()
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD})")
        )
        for index, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                )
            )
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
