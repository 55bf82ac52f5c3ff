"""python manage.py import_questions FILE --format gift|moodlexml --bank "NAME"

Imports a question file into the named bank (created if missing) and prints what was
imported and what was skipped. Exit status 0 when the file was imported, 1 when it
was refused (nothing imported; the reason on stderr)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from courses.quizzes.importing import FORMATS, ImportRefused, questions_import


class Command(BaseCommand):
    help = "Import a GIFT or Moodle XML question file into a question bank."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The GIFT or Moodle XML file.")
        parser.add_argument(
            "--format", required=True, choices=sorted(FORMATS), help="File format."
        )
        parser.add_argument(
            "--bank", required=True, help="Bank name (created if missing)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            self._refuse(f"Cannot read {path}: {exc.strerror or exc}.")
        try:
            report = questions_import(
                bank_name=options["bank"], data=data, format=options["format"]
            )
        except ImportRefused as exc:
            lines = [f"Refused, nothing imported: {exc}"]
            lines += [f"  skipped {item}" for item in exc.skipped]
            self._refuse("\n".join(lines))
        self.stdout.write("\n".join(report.lines()))

    def _refuse(self, message: str) -> None:
        self.stderr.write(message)
        raise SystemExit(1)
