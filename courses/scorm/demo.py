"""The demo's SCORM package: "LAER practice", a small SCORM 1.2 package that Onramp
builds itself from courses/scorm/demo_data/laer-practice/ (HTML and JS calling the
SCORM API), imported through the same service as the admin upload as an optional
step of the "Objection handling" course, after its reading lessons (and, once
coaching has seeded it, its practice) and before its quiz, so a newcomer sees one
play. Optional, so the onboarding story (who finished what) stays as it is."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from courses.models import CoursePage, LessonPage
from courses.scorm.models import ScormPackage
from courses.scorm.services import package_import
from courses.services import assignments_recount
from lms.accounts.demo import demo_email
from lms.accounts.models import User
from lms.demo import Log

PACKAGE_DIR = Path(__file__).resolve().parent / "demo_data" / "laer-practice"
PACKAGE_TITLE = "LAER practice: answering an objection"
COURSE_TITLE = "Objection handling"


def demo_package_zip(folder: Path = PACKAGE_DIR) -> bytes:
    """The package as an author would export it: its folder, zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def seed_scorm(log: Log) -> None:
    if ScormPackage.objects.filter(title=PACKAGE_TITLE).exists():
        log(f"  SCORM package “{PACKAGE_TITLE}”: already there")
        return
    course = CoursePage.objects.get(title=COURSE_TITLE)
    author = User.objects.get(email=demo_email("Priya Nair"))
    imported = package_import(
        data=demo_package_zip(), title=PACKAGE_TITLE, course=course, user=author
    )
    page = imported.page
    assert page is not None
    last_reading = (
        LessonPage.objects.child_of(course).exact_type(LessonPage).order_by("path")
    ).last()
    if last_reading is not None:
        page.move(last_reading, pos="right")
        page.refresh_from_db()
    page.required = False
    page.save_revision(user=author).publish(user=author)
    assignments_recount(course=course)
    log(
        f"  SCORM package “{imported.title}” ({imported.standard_name}), an optional "
        f"step of “{course.title}”"
    )
