"""An onboarding path to assign and complete in dashboard tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from courses.models import (
    Assignment,
    LessonCompletion,
    LessonPage,
)
from courses.services import assignment_create, lesson_complete
from tests.factories import CoursePageFactory, LessonPageFactory, make_path


class Onboarding:
    """A published path "First 30 days" of two reading courses: "Discovery" (two
    required lessons, due 7 days after the start date) and "Demo" (one required
    lesson and one optional, due 14 days after)."""

    def __init__(self) -> None:
        self.discovery = CoursePageFactory(title="Discovery", summary="Ask.")
        self.d1 = LessonPageFactory(parent=self.discovery, title="Why discovery")
        self.d2 = LessonPageFactory(parent=self.discovery, title="Questions")
        self.demo = CoursePageFactory(title="Demo", summary="Show.")
        self.m1 = LessonPageFactory(parent=self.demo, title="Open strong")
        self.extra = LessonPageFactory(
            parent=self.demo, title="Further reading", required=False
        )
        self.path = make_path("First 30 days", (self.discovery, 7), (self.demo, 14))

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
