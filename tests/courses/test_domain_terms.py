"""The learning terms named once on the QuerySets: an open assignment, a current one,
a graded quiz attempt."""

from __future__ import annotations

import pytest
from django.utils import timezone

from courses.models import Assignment, CourseIndexPage, CoursePage
from courses.quizzes.models import QuizAttempt
from lms.models import HomePage

pytestmark = pytest.mark.django_db


def _course(title: str) -> CoursePage:
    home = HomePage.objects.get()
    index = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
    return index.add_child(instance=CoursePage(title=title, summary="How to ask."))


def test_it_names_open_and_current_assignments(org):
    course = _course("Discovery calls")
    now = timezone.now()

    def assign(**extra) -> Assignment:
        return Assignment.objects.create(
            user=org.rep_east,
            course=course,
            reason=Assignment.Reason.MANUAL,
            **extra,
        )

    done = assign(completed_at=now)
    withdrawn = assign(unassigned_at=now)
    to_do = assign()

    assert list(Assignment.objects.open()) == [to_do]
    assert set(Assignment.objects.current()) == {to_do, done}
    assert withdrawn not in Assignment.objects.current()


def test_it_names_graded_attempts(org):
    def attempt(number: int, state: str) -> QuizAttempt:
        return QuizAttempt.objects.create(
            quiz=None,
            quiz_title="Pricing check",
            user=org.rep_east,
            number=number,
            state=state,
            pass_mark_percent=80,
        )

    submitted = attempt(1, QuizAttempt.State.SUBMITTED)
    expired = attempt(2, QuizAttempt.State.EXPIRED)
    abandoned = attempt(3, QuizAttempt.State.ABANDONED)
    running = attempt(4, QuizAttempt.State.IN_PROGRESS)

    assert set(QuizAttempt.objects.graded()) == {submitted, expired}
    assert submitted.is_graded and expired.is_graded
    assert not abandoned.is_graded and not running.is_graded
