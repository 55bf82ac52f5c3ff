"""What the course pages show a person: their progress, read in a fixed number of
queries however many courses and lessons there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from courses.models import (
    CourseIndexPage,
    CoursePage,
    LessonCompletion,
    LessonPage,
    WatchProgress,
)
from lms.accounts.models import User


def completed_lesson_ids(
    user: User, lessons: QuerySet[LessonPage] | list[int]
) -> set[int]:
    return set(
        LessonCompletion.objects.filter(user=user, lesson__in=lessons).values_list(
            "lesson_id", flat=True
        )
    )


@dataclass
class LessonLine:
    lesson: LessonPage
    done: bool


@dataclass
class Outline:
    course: CoursePage
    lessons: list[LessonLine] = field(default_factory=list)

    @property
    def required(self) -> list[LessonLine]:
        return [line for line in self.lessons if line.lesson.required]

    @property
    def percent(self) -> int:
        required = self.required
        if not required:
            return 0
        return round(100 * sum(line.done for line in required) / len(required))

    @property
    def complete(self) -> bool:
        return bool(self.required) and all(line.done for line in self.required)

    @property
    def next_lesson(self) -> LessonPage | None:
        """Where "Continue" leads: the first required lesson not done, else the first
        lesson not done."""
        for candidates in (self.required, self.lessons):
            for line in candidates:
                if not line.done:
                    return line.lesson
        return None


def course_outline(*, user: User, course: CoursePage) -> Outline:
    lessons = list(course.lessons())
    done = completed_lesson_ids(user, [lesson.pk for lesson in lessons])
    return Outline(
        course, [LessonLine(lesson, lesson.pk in done) for lesson in lessons]
    )


def course_cards(*, user: User, index: CourseIndexPage) -> list[Outline]:
    """Every live course under the index with the person's progress: three queries."""
    courses = list(CoursePage.objects.child_of(index).live().order_by("path"))
    lessons = list(LessonPage.objects.descendant_of(index).live().order_by("path"))
    done = completed_lesson_ids(user, [lesson.pk for lesson in lessons])
    outlines = {course.path: Outline(course) for course in courses}
    for lesson in lessons:
        outline = outlines.get(lesson.path[: -LessonPage.steplen])
        if outline is not None:
            outline.lessons.append(LessonLine(lesson, lesson.pk in done))
    return list(outlines.values())


def lesson_context(*, user: User, lesson: LessonPage) -> dict[str, Any]:
    course = CoursePage.objects.get(pk=lesson.get_parent().pk)
    outline = course_outline(user=user, course=course)
    position = next(
        i for i, line in enumerate(outline.lessons) if line.lesson.pk == lesson.pk
    )
    watch = None
    if lesson.video is not None:
        watch = WatchProgress.objects.filter(user=user, lesson=lesson).first()
    return {
        "course": course,
        "outline": outline,
        "done": outline.lessons[position].done,
        "previous_lesson": outline.lessons[position - 1].lesson if position else None,
        "next_lesson": outline.lessons[position + 1].lesson
        if position + 1 < len(outline.lessons)
        else None,
        "watch": watch,
    }
