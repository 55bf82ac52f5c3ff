"""Lessons and courses for the library's pages (registered in CoursesConfig.ready
through library.extensions: the library never imports courses)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, ReferenceIndex

from courses.models import CoursePage, LessonPage
from library.extensions import LinkedResult
from library.models import LibraryItem
from lms.accounts.models import User
from lms.pages import in_source_language, source_language


def lessons_and_courses_matching(
    viewer: User, terms: str, limit: int
) -> list[LinkedResult]:
    """Live courses, then live lessons, that Wagtail's search finds for the words
    (title, course summary, lesson text). Every signed-in person may open a live
    course (a locked path step says why on the course page)."""
    if not viewer.is_authenticated:
        return []
    # Wagtail's search filters on the locale itself, not on its language code: the
    # source locale as a subquery (no query of its own).
    source = Locale.objects.filter(language_code=source_language())
    courses = list(
        CoursePage.objects.live().filter(locale__in=source).search(terms)[:limit]
    )
    lessons = list(
        LessonPage.objects.live().filter(locale__in=source).search(terms)[:limit]
    )
    return [
        LinkedResult(_("Course"), course.title, course.url or "", course.summary)
        for course in courses
    ] + _lesson_results(lessons)


def lessons_showing(viewer: User, item: LibraryItem, limit: int) -> list[LinkedResult]:
    """Live lessons whose body embeds the item (Wagtail's reference index records
    the library item block's choice)."""
    if not viewer.is_authenticated:
        return []
    page_ids = (
        ReferenceIndex.get_references_to(item)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    lessons = list(
        in_source_language(LessonPage.objects.live())
        .filter(pk__in=[int(page_id) for page_id in page_ids])
        .order_by("path")[:limit]
    )
    return _lesson_results(lessons)


def _lesson_results(lessons: list[LessonPage]) -> list[LinkedResult]:
    """Each lesson with its course's title (one query for all the courses)."""
    steplen = LessonPage.steplen
    course_titles = dict(
        CoursePage.objects.filter(
            path__in={lesson.path[:-steplen] for lesson in lessons}
        ).values_list("path", "title")
    )
    return [
        LinkedResult(
            _("Lesson"),
            lesson.title,
            lesson.url or "",
            _("In %(course)s") % {"course": course_titles[lesson.path[:-steplen]]}
            if lesson.path[:-steplen] in course_titles
            else "",
        )
        for lesson in lessons
    ]
