"""A rep works through a course in the browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from courses.models import CourseIndexPage, CoursePage, LessonPage
from lms.dashboards.models import HomePage


def _course_with_two_reading_lessons() -> CoursePage:
    index = HomePage.objects.get().add_child(
        instance=CourseIndexPage(title="Courses", slug="courses")
    )
    course = index.add_child(
        instance=CoursePage(title="Objection handling", summary="Answer, don't argue.")
    )
    for title in ("A framework for any objection", "The pricing objection"):
        course.add_child(
            instance=LessonPage(title=title, body=[("paragraph", f"<p>{title}.</p>")])
        )
    return course


def test_it_lets_a_rep_complete_a_lesson_and_see_progress_move(page: Page, sign_in):
    _course_with_two_reading_lessons()
    sign_in("maya@northwind.example")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Courses"
    ).click()
    page.get_by_role("link", name="Objection handling").click()
    progress = page.get_by_role("progressbar", name="Progress in Objection handling")
    expect(progress).to_have_attribute("value", "0")

    page.get_by_role("link", name="Start").click()
    expect(
        page.get_by_role("heading", name="A framework for any objection")
    ).to_be_visible()
    page.get_by_role("button", name="Mark as complete and continue").click()

    expect(page).to_have_url(re.compile(r"/the-pricing-objection/$"))
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Objection handling"
    ).click()
    expect(progress).to_have_attribute("value", "50")
    expect(page.get_by_text("✓")).to_have_count(1)
    expect(page.get_by_role("link", name="Continue")).to_be_visible()
