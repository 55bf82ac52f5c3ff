"""Requests that arrive at the same moment: simultaneous starts make one attempt,
simultaneous submits grade once. Threads against PostgreSQL (row locks); SQLite has
no row locks, so these are skipped there."""

from __future__ import annotations

import pytest
from django.db import connection

from courses.models import LessonCompletion
from courses.quizzes.models import QuizAttempt
from courses.quizzes.services import AttemptRefused, attempt_start, attempt_submit
from tests.concurrency import at_once
from tests.quizzes.questions import right_answers

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks between threads need PostgreSQL; SQLite has none.",
    ),
]

THREADS = 4


@pytest.fixture(autouse=True)
def _reset(reset_without_post_migrate: None) -> None:
    """Each test starts from what the migrations made."""


def test_it_starts_one_attempt_when_starts_arrive_together(org, quiz_kit):
    quiz = quiz_kit.quiz
    quiz.max_attempts = 1
    quiz.save_revision().publish()

    results, errors = at_once(
        [lambda: attempt_start(user=org.rep_east, quiz=quiz)] * THREADS
    )

    assert errors == []
    assert len({attempt.pk for attempt in results}) == 1
    assert QuizAttempt.objects.filter(user=org.rep_east).count() == 1


def test_it_refuses_every_start_together_once_attempts_are_used(org, quiz_kit):
    quiz = quiz_kit.quiz
    quiz.max_attempts = 1
    quiz.save_revision().publish()
    attempt_submit(
        attempt=attempt_start(user=org.rep_east, quiz=quiz), user=org.rep_east
    )

    results, errors = at_once(
        [lambda: attempt_start(user=org.rep_east, quiz=quiz)] * THREADS
    )

    assert results == []
    assert len(errors) == THREADS
    assert all(isinstance(error, AttemptRefused) for error in errors)
    assert QuizAttempt.objects.filter(user=org.rep_east).count() == 1


def test_it_grades_once_when_submits_arrive_together(org, quiz_kit, graded_signals):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    answers = right_answers(attempt)

    results, errors = at_once(
        [lambda: attempt_submit(attempt=attempt, user=org.rep_east, responses=answers)]
        * THREADS
    )

    assert len(results) == 1
    assert len(errors) == THREADS - 1
    assert all("already handed in" in str(error) for error in errors)
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.SUBMITTED and attempt.passed
    assert [graded.pk for graded in graded_signals] == [attempt.pk]
    assert LessonCompletion.objects.filter(user=org.rep_east).count() == 1
