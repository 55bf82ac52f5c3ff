"""Course fixtures for every test folder (a pytest plugin: tests/conftest.py).

`catalogue`: a published course "Discovery calls" in the course index, with two
reading lessons, an optional one and a video lesson (a real, ready lesson video).
`path_with_steps`: a path of that course and a second one that opens only after it.
"""

from __future__ import annotations

from typing import Any

import pytest
from wagtail.models import Page

from courses.models import CoursePage, LearningPath, LessonPage
from media.models import MediaAsset
from tests.factories import CoursePageFactory, LessonPageFactory, make_path


class Catalogue:
    def __init__(self, video: MediaAsset) -> None:
        self.course = CoursePageFactory(
            title="Discovery calls", summary="Ask better questions."
        )
        self.index = self.course.get_parent().specific
        self.intro = self._lesson(
            "Why discovery", [("paragraph", "<p>Listen first.</p>")]
        )
        self.video_lesson = self._lesson(
            "Watch a call", [("video", {"video": video, "caption": "A real call"})]
        )
        self.extra = self._lesson(
            "Further reading", [("paragraph", "<p>More.</p>")], required=False
        )
        self.wrap_up = self._lesson(
            "Wrap-up",
            [("heading", "Summary"), ("callout", {"kind": "tip", "text": "Recap."})],
        )
        self.video = video

    def _lesson(self, title: str, body: Any, required: bool = True) -> LessonPage:
        return LessonPageFactory(
            parent=self.course, title=title, body=body, required=required
        )


@pytest.fixture
def catalogue(org: Any, make_ready_recording: Any) -> Catalogue:
    video = make_ready_recording(
        org.admin, kind=MediaAsset.Kind.LESSON_VIDEO, title="Call"
    )
    return Catalogue(video)


@pytest.fixture
def root_page() -> Page:
    return Page.get_first_root_node()


@pytest.fixture
def path_with_steps(catalogue: Catalogue) -> LearningPath:
    """A path of two courses; the second opens only once the first is complete."""
    second: CoursePage = CoursePageFactory(
        title="Demo skills", summary="Show, don't tell."
    )
    second_lesson = LessonPageFactory(
        parent=second, title="Open strong", body=[("paragraph", "<p>Recap.</p>")]
    )
    path = make_path("First 30 days", (catalogue.course, 7), (second, 14), locked={1})
    path.second_course, path.second_lesson = second, second_lesson  # type: ignore[attr-defined]
    return path
