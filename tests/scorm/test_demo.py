"""The demo's own SCORM 1.2 package: a valid package, placed once as an optional
step after the reading lessons of "Objection handling"."""

from __future__ import annotations

import pytest

from courses.scorm.demo import PACKAGE_TITLE, demo_package_zip, seed_scorm
from courses.scorm.models import ScormPackage, ScormPage
from courses.scorm.packaging import Limits, package_read
from tests.factories import (
    CoursePageFactory,
    LessonPageFactory,
    QuizPageFactory,
    make_admin,
)


def test_the_demo_package_is_a_scorm_12_package_with_a_mastery_score() -> None:
    limits = Limits(max_files=10, max_unpacked_bytes=10**6, max_compression_ratio=100)
    package = package_read(demo_package_zip(), limits=limits)
    assert package.standard_name == "SCORM 1.2"
    assert [(sco.title, sco.mastery_score) for sco in package.scos] == [
        ("LAER practice", 75)
    ]
    assert package.served_files == ["index.html", "laer.css", "laer.js"]


@pytest.mark.django_db
def test_it_seeds_an_optional_step_after_the_reading_lessons_once() -> None:
    make_admin(email="priya@northwind.example", full_name="Priya Nair")
    course = CoursePageFactory(title="Objection handling")
    LessonPageFactory(parent=course, title="A framework for any objection")
    QuizPageFactory(parent=course, title="Objection handling quiz")
    seed_scorm(lambda line: None)
    seed_scorm(lambda line: None)
    assert ScormPackage.objects.filter(title=PACKAGE_TITLE).count() == 1
    step = ScormPage.objects.get()
    assert step.live and not step.required
    assert [page.title for page in course.lessons()] == [
        "A framework for any objection",
        PACKAGE_TITLE,
        "Objection handling quiz",
    ]
