"""SCORM fixtures: `make_scorm_step` imports a package built in tests/scorm/packages.py
as the last step of a course (through the same service as the admin and the command).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from courses.scorm.models import ScormPage
from courses.scorm.services import package_import
from tests.factories import CoursePageFactory


@pytest.fixture
def make_scorm_step() -> Callable[..., ScormPage]:
    def build(data: bytes, *, course: Any = None, title: str = "") -> ScormPage:
        course = course or CoursePageFactory(title="Objections")
        imported = package_import(data=data, course=course, title=title)
        assert imported.page is not None
        return imported.page

    return build
