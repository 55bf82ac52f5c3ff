"""What the course pages show a person: their progress, read in a fixed number of
queries however many courses and lessons there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext
from wagtail.models import Page

from courses.models import (
    Assignment,
    CourseIndexPage,
    CoursePage,
    LessonCompletion,
    LessonPage,
    PathStep,
    WatchProgress,
)
from lms.accounts.models import User
from lms.lib import clock, person_cache
from lms.pages import live_translation_fields, source_language


def course_cycle_start(*, user: User, course: CoursePage) -> dt.datetime | None:
    """When the person's current cycle of the course began: the latest start of the
    open recurring or recertification assignments that cover it. None when no cycle
    is running: all of their history counts."""
    covering = Assignment.objects.open().filter(
        Q(course_id=course.pk) | Q(path__steps__course_id=course.pk),
        user=user,
        counts_from__isnull=False,
    )
    latest: dt.datetime | None = covering.aggregate(latest=Max("counts_from"))["latest"]
    return latest


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
    course: Page  # a CoursePage, or the plain page routing loaded
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
        # Vacuously true without required lessons: a locked step after such a
        # course must still open.
        return all(line.done for line in self.required)

    def pages_shown(self) -> list[Page]:
        """The course and its lessons, whose titles a page of the course shows."""
        return [self.course, *(line.lesson for line in self.lessons)]

    @property
    def next_lesson(self) -> LessonPage | None:
        """Where "Continue" leads: the first required lesson not done, else the first
        lesson not done."""
        for candidates in (self.required, self.lessons):
            for line in candidates:
                if not line.done:
                    return line.lesson
        return None


def course_outline(*, user: User, course: Page) -> Outline:
    """The course's live lessons, each with whether the person completed it: one
    query. `course` may be the plain page Wagtail's routing loaded."""
    lessons = (
        LessonPage.objects.child_of(course)
        .live()
        .order_by("path")
        .annotate(
            done=Exists(
                LessonCompletion.objects.filter(user=user, lesson_id=OuterRef("pk"))
            )
        )
    )
    return Outline(course, [LessonLine(lesson, lesson.done) for lesson in lessons])


def course_outline_shown(*, user: User, course: Page) -> Outline:
    """`course_outline` for a page that shows it (a lesson, a course): from the
    cache, no query once warm: the course's lessons are content, the same for
    everyone (read again after any change to published content), and the lessons
    the person completed are theirs (read again after their next completion). A
    service deciding something in a transaction reads `course_outline` instead."""
    if not settings.PERSON_CACHE:
        return course_outline(user=user, course=course)
    lessons: list[LessonPage] = person_cache.cached_for_everyone(
        name=f"course-lessons:{course.pk}",
        compute=lambda: list(
            LessonPage.objects.child_of(course).live().order_by("path")
        ),
    )
    done = completed_lessons(user=user)
    return Outline(
        course, [LessonLine(lesson, lesson.pk in done) for lesson in lessons]
    )


def completed_lessons(*, user: User) -> frozenset[int]:
    """The ids of every lesson the person has completed, kept per person in the cache
    (`lms.lib.person_cache`) until their next completion."""
    return person_cache.cached_for_person(
        user=user,
        name="completed-lessons",
        compute=lambda: (
            frozenset(
                LessonCompletion.objects.filter(user=user).values_list(
                    "lesson_id", flat=True
                )
            ),
            None,
        ),
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


def show_translated_summaries(courses: list[CoursePage]) -> None:
    """Give each source course on a catalogue card the summary of its live translation
    in the active language, beside the title `show_translated_titles` gave it: no
    query (`lms.pages.live_translation_fields`)."""
    language = get_language()
    if language == source_language():
        return
    summaries = live_translation_fields(CoursePage, language, "summary")
    for course in courses:
        found = summaries.get(str(course.translation_key))
        if found is not None:
            (course.summary,) = found


def lesson_context(*, user: User, lesson: LessonPage) -> dict[str, Any]:
    """What a lesson page shows. The course is the lesson's parent as Wagtail's
    routing loaded it (no query when the page was routed)."""
    course = lesson.get_parent()
    outline = course_outline_shown(user=user, course=course)
    position = next(
        i for i, line in enumerate(outline.lessons) if line.lesson.pk == lesson.pk
    )
    watch = None
    if lesson.video is not None:
        watch = WatchProgress.objects.filter(user=user, lesson=lesson).first()
    return {
        "course": course,
        "course_index": course.get_parent(),
        "lock_reason": lock_reason(user=user, course=course),
        "outline": outline,
        "done": outline.lessons[position].done,
        "previous_lesson": outline.lessons[position - 1].lesson if position else None,
        "next_lesson": outline.lessons[position + 1].lesson
        if position + 1 < len(outline.lessons)
        else None,
        "watch": watch,
    }


# My learning: open assignments with the state of each step.


def _opens_when_complete(title: str) -> str:
    return gettext("Opens when you complete “%(course)s”.") % {"course": title}


# A lock reason is kept in the person's cache and shown in whatever language they
# read the page in: it is translated when shown, not when cached.
opens_when_complete = lazy(_opens_when_complete, str)


@dataclass
class StepState:
    course: CoursePage
    outline: Outline
    due_at: dt.datetime | None
    lock_reason: str = ""

    @property
    def overdue(self) -> bool:
        return (
            not self.outline.complete
            and self.due_at is not None
            and self.due_at < clock.now()
        )


@dataclass
class AssignmentState:
    assignment: Assignment
    steps: list[StepState]

    @property
    def next_lesson(self) -> LessonPage | None:
        for step in self.steps:
            if step.lock_reason or step.outline.complete:
                continue
            if step.outline.next_lesson is not None:
                return step.outline.next_lesson
        return None


@dataclass
class MyLearning:
    open: list[AssignmentState]
    completed: list[Assignment]

    @property
    def continue_lesson(self) -> LessonPage | None:
        """The one next thing to do: in the open assignment due first."""
        for state in self.open:
            if state.next_lesson is not None:
                return state.next_lesson
        return None


def _steps_of(
    user: User,
    assignment: Assignment,
    index: CourseIndex,
) -> list[StepState]:
    from courses.services import due_at_for

    course, path = assignment.course, assignment.path
    if course is not None:
        return [
            StepState(
                course,
                index.outline(course, since=assignment.counts_from),
                assignment.due_at,
            )
        ]
    assert path is not None  # an assignment is for a course or a path
    states: list[StepState] = []
    for step in path.steps.all():
        previous = states[-1] if states else None
        lock_reason = ""
        if step.locked and previous is not None and not previous.outline.complete:
            lock_reason = opens_when_complete(previous.course.title)
        states.append(
            StepState(
                step.course,
                index.outline(step.course),
                due_at_for(user, step.due_offset_days),
                lock_reason,
            )
        )
    return states


def my_learning(*, user: User) -> MyLearning:
    """Everything on "My learning", in a fixed number of queries."""
    assignments = list(
        Assignment.objects.current()
        .filter(user=user)
        .select_related("course", "path")
        .prefetch_related(
            Prefetch(
                "path__steps",
                queryset=PathStep.objects.select_related("course").order_by(
                    "sort_order", "pk"
                ),
            )
        )
    )
    open_assignments = [a for a in assignments if a.completed_at is None]
    courses: dict[int, CoursePage] = {}
    for assignment in open_assignments:
        if assignment.course is not None:
            courses[assignment.course.pk] = assignment.course
        elif assignment.path is not None:
            for step in assignment.path.steps.all():
                courses[step.course.pk] = step.course
    index = _course_index(user, list(courses.values()))
    return MyLearning(
        open=[AssignmentState(a, _steps_of(user, a, index)) for a in open_assignments],
        completed=sorted(
            (a for a in assignments if a.completed_at is not None),
            key=lambda a: a.completed_at or a.assigned_at,
            reverse=True,
        ),
    )


@dataclass
class CourseIndex:
    """Lessons of several courses and when the person last completed each."""

    lessons: dict[int, list[LessonPage]]
    latest: dict[int, dt.datetime]

    def outline(self, course: CoursePage, since: dt.datetime | None = None) -> Outline:
        """The course's outline; with `since`, only completions from then count."""
        return Outline(
            course,
            [
                LessonLine(
                    lesson,
                    lesson.pk in self.latest
                    and (since is None or self.latest[lesson.pk] >= since),
                )
                for lesson in self.lessons[course.pk]
            ],
        )


def _course_index(user: User, courses: list[CoursePage]) -> CourseIndex:
    """One query whatever the number of courses: the lessons, each with when the
    person last completed it."""
    index = CourseIndex({course.pk: [] for course in courses}, {})
    if not courses:
        return index
    under_any = Q()
    for course in courses:
        under_any |= Q(path__startswith=course.path, depth=course.depth + 1)
    latest = (
        LessonCompletion.objects.filter(user=user, lesson_id=OuterRef("pk"))
        .order_by("-completed_at")
        .values("completed_at")[:1]
    )
    lessons = list(
        LessonPage.objects.live()
        .filter(under_any)
        .order_by("path")
        .annotate(latest_completion=Subquery(latest))
    )
    index.latest = {
        lesson.pk: lesson.latest_completion
        for lesson in lessons
        if lesson.latest_completion is not None
    }
    by_path = {course.path: course.pk for course in courses}
    for lesson in lessons:
        index.lessons[by_path[lesson.path[: -LessonPage.steplen]]].append(lesson)
    return index


def learning_state(*, user: User) -> MyLearning:
    """`my_learning`, kept per person in the cache (`lms.lib.person_cache`): read
    again after any completion or assignment change of theirs, any change to content
    or paths, and each new day in their time zone (due dates relative to today)."""
    return person_cache.cached_for_person(
        user=user, name="learning", compute=lambda: (my_learning(user=user), None)
    )


def next_due_instant(*, learning: MyLearning) -> dt.datetime | None:
    """The next instant something open falls overdue (a step's or an assignment's due
    date still ahead), or None: until then My learning reads the same."""
    now = clock.now()
    ahead = [
        moment
        for state in learning.open
        for moment in [
            state.assignment.due_at,
            *(step.due_at for step in state.steps if not step.outline.complete),
        ]
        if moment is not None and moment >= now
    ]
    return min(ahead, default=None)


def lock_reason(*, user: User, course: Page) -> str:
    """Why the person may not open this course yet (a locked step of an open path
    whose previous course they have not completed), or "": from their cached
    progress, so the lesson page and My learning agree and it costs no query."""
    reason: str = locked_courses(user=user).get(course.pk, "")
    return reason


def locked_courses(*, user: User) -> dict[int, Any]:
    """The courses the person may not open yet, with why (the first locked step of
    an open assignment that names each): taken from `learning_state` and kept per
    person in the cache beside it (the same versions and day), so a lesson page
    reads a few ids instead of the whole of My learning. The reasons stay lazy:
    translated when shown."""

    def read() -> tuple[dict[int, Any], None]:
        locks: dict[int, Any] = {}
        for state in learning_state(user=user).open:
            for step in state.steps:
                if step.lock_reason:
                    locks.setdefault(step.course.pk, step.lock_reason)
        return locks, None

    return person_cache.cached_for_person(user=user, name="locks", compute=read)
