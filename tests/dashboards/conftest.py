from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import (
    Assignment,
    CourseIndexPage,
    CoursePage,
    LearningPath,
    LessonCompletion,
    LessonPage,
    PathStep,
)
from courses.services import assignment_create, lesson_complete
from lms.models import HomePage


class Onboarding:
    """A published path "First 30 days" of two reading courses: "Discovery" (two
    required lessons, due 7 days after the start date) and "Demo" (one required
    lesson and one optional, due 14 days after)."""

    def __init__(self) -> None:
        home = HomePage.objects.get()
        index = home.add_child(
            instance=CourseIndexPage(title="Courses", slug="courses")
        )
        self.discovery = index.add_child(
            instance=CoursePage(title="Discovery", summary="Ask.")
        )
        self.d1 = self._lesson(self.discovery, "Why discovery")
        self.d2 = self._lesson(self.discovery, "Questions")
        self.demo = index.add_child(instance=CoursePage(title="Demo", summary="Show."))
        self.m1 = self._lesson(self.demo, "Open strong")
        self.extra = self._lesson(self.demo, "Further reading", required=False)
        self.path = LearningPath(title="First 30 days")
        self.path.steps.add(
            PathStep(course=self.discovery, due_offset_days=7, sort_order=0)
        )
        self.path.steps.add(
            PathStep(course=self.demo, due_offset_days=14, sort_order=1)
        )
        self.path.save()

    @staticmethod
    def _lesson(course: CoursePage, title: str, required: bool = True) -> LessonPage:
        return course.add_child(
            instance=LessonPage(
                title=title, body=[("paragraph", "<p>Text.</p>")], required=required
            )
        )

    def assign(self, user, *, started_days_ago: int) -> Assignment:
        user.start_date = timezone.localdate() - dt.timedelta(days=started_days_ago)
        user.save(update_fields=["start_date"])
        assignment, _ = assignment_create(
            user=user, path=self.path, reason=Assignment.Reason.ONBOARDING
        )
        return assignment

    def complete(self, user, *lessons: LessonPage) -> None:
        for lesson in lessons:
            lesson_complete(user=user, lesson=lesson, how=LessonCompletion.How.READ)


@pytest.fixture
def onboarding(db) -> Onboarding:
    return Onboarding()
