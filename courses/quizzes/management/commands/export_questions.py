"""python manage.py export_questions --bank "NAME" --format moodlexml

Writes the bank's questions to stdout as Moodle XML; an unknown bank is an error
(exit status 1)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from courses.quizzes.importing import bank_export_moodlexml
from courses.quizzes.models import QuestionBank


class Command(BaseCommand):
    help = "Export a question bank as Moodle XML to stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bank", required=True, help="Bank name.")
        parser.add_argument(
            "--format", default="moodlexml", choices=["moodlexml"], help="File format."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bank = QuestionBank.objects.filter(name=options["bank"].strip()).first()
        if bank is None:
            self.stderr.write(f'There is no question bank named "{options["bank"]}".')
            raise SystemExit(1)
        self.stdout.write(bank_export_moodlexml(bank=bank), ending="")
