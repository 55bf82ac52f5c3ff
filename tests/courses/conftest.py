from __future__ import annotations

import pytest
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage
from lms.dashboards.models import HomePage
from media.models import MediaAsset


class Catalogue:
    """A published course index with one course: two reading lessons, one optional
    reading lesson and one video lesson (a real, ready lesson video)."""

    def __init__(self, video: MediaAsset) -> None:
        home = HomePage.objects.get()
        self.index = home.add_child(
            instance=CourseIndexPage(title="Courses", slug="courses")
        )
        self.course = self.index.add_child(
            instance=CoursePage(
                title="Discovery calls", summary="Ask better questions."
            )
        )
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

    def _lesson(self, title, body, required=True) -> LessonPage:
        return self.course.add_child(
            instance=LessonPage(title=title, body=body, required=required)
        )


@pytest.fixture
def catalogue(org, make_ready_recording) -> Catalogue:
    video = make_ready_recording(
        org.admin, kind=MediaAsset.Kind.LESSON_VIDEO, title="Call"
    )
    return Catalogue(video)


@pytest.fixture
def root_page() -> Page:
    return Page.get_first_root_node()
