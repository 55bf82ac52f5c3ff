"""python manage.py import_scorm ZIP [--course SLUG] [--title TITLE]

Bulk migration from an old LMS: validates and imports one SCORM package (through the
same service as the admin upload), as the last step of the course when --course is
given. Prints `imported: <title> (<SCORM 1.2|SCORM 2004>, <n> SCOs)` and exits 0, or
`refused: <reason>` and exits 1 with nothing stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from courses.models import CoursePage
from courses.scorm.packaging import PackageRefused
from courses.scorm.services import package_import


class Command(BaseCommand):
    help = "Import a SCORM 1.2 or 2004 package (.zip), optionally as a course step."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("zip", help="The package: a .zip with imsmanifest.xml.")
        parser.add_argument("--course", help="Slug of the course to add it to.")
        parser.add_argument("--title", default="", help="Title (default: manifest's).")

    def handle(self, *args: Any, **options: Any) -> None:
        course = None
        if options["course"]:
            course = CoursePage.objects.filter(slug=options["course"]).first()
            if course is None:
                self._refuse(f"there is no course with the slug {options['course']!r}.")
        try:
            with Path(options["zip"]).open("rb") as data:
                imported = package_import(
                    data=data, title=options["title"], course=course
                )
        except OSError as exc:
            self._refuse(f"cannot read {options['zip']}: {exc.strerror or exc}.")
        except PackageRefused as exc:
            self._refuse(str(exc))
        self.stdout.write(
            f"imported: {imported.title} ({imported.standard_name}, "
            f"{imported.sco_count} SCOs)"
        )

    def _refuse(self, reason: str) -> NoReturn:
        self.stdout.write(f"refused: {reason}")
        raise SystemExit(1)
