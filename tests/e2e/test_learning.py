"""A rep works through a course in the browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from courses.models import CoursePage
from tests.factories import CoursePageFactory, LessonPageFactory, make_path


def _course_with_two_reading_lessons() -> CoursePage:
    course = CoursePageFactory(
        title="Objection handling", summary="Answer, don't argue."
    )
    for title in ("A framework for any objection", "The pricing objection"):
        LessonPageFactory(parent=course, title=title)
    return course


def test_it_takes_a_rep_from_continue_to_a_completed_lesson(page: Page, sign_in):
    from courses.services import assignment_create
    from lms.accounts.models import User

    course = _course_with_two_reading_lessons()
    path = make_path("First 30 days", (course, 7))
    sign_in("maya@northwind.example")
    maya = User.objects.get(email="maya@northwind.example")
    assignment_create(user=maya, path=path, reason="onboarding")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My learning"
    ).click()
    bar = page.get_by_role("progressbar", name="Progress in First 30 days")
    expect(bar).to_have_attribute("value", "0")
    page.get_by_role("link", name="Continue: A framework for any objection").click()
    page.get_by_role("button", name="Mark as complete and continue").click()
    expect(page).to_have_url(re.compile(r"/the-pricing-objection/$"))

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My learning"
    ).click()
    expect(bar).to_have_attribute("value", "50")
    expect(
        page.get_by_role("link", name="Continue: The pricing objection")
    ).to_be_visible()


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
