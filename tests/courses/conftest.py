from __future__ import annotations

import pytest
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage
from lms.models import HomePage
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


@pytest.fixture
def path_with_steps(catalogue):
    """A path of two courses; the second opens only once the first is complete."""
    from courses.models import CoursePage, LearningPath, LessonPage, PathStep

    second = catalogue.index.add_child(
        instance=CoursePage(title="Demo skills", summary="Show, don't tell.")
    )
    second_lesson = second.add_child(
        instance=LessonPage(title="Open strong", body=[("paragraph", "<p>Recap.</p>")])
    )
    path = LearningPath(title="First 30 days")
    path.steps.add(PathStep(course=catalogue.course, due_offset_days=7, sort_order=0))
    path.steps.add(
        PathStep(course=second, due_offset_days=14, locked=True, sort_order=1)
    )
    path.save()
    path.second_course, path.second_lesson = second, second_lesson
    return path
