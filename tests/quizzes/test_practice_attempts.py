"""Practice attempts: once a quiz's review has shown a person the right answers in
their current cycle, the attempts they start afterwards are practice. They are graded
and shown as practice, but never raise the best score, pass the quiz or count for My
team or certification (issue 12 D: the best score could be inflated after passing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Assignment, LessonCompletion
from courses.quizzes.models import QuizAttempt, QuizPage
from courses.quizzes.selectors import quiz_status
from courses.quizzes.services import attempt_start, attempt_submit
from courses.services import assignment_create
from tests.quizzes.questions import right_answers

pytestmark = pytest.mark.django_db


def _settings(quiz: QuizPage, **fields: object) -> QuizPage:
    for name, value in fields.items():
        setattr(quiz, name, value)
    quiz.save_revision().publish()
    return quiz


def _take(user, quiz: QuizPage, *, wrong: int = 0) -> QuizAttempt:
    """Start and submit an attempt with every answer right but the first `wrong`."""
    attempt = attempt_start(user=user, quiz=quiz)
    responses = right_answers(attempt)
    for position in sorted(responses)[:wrong]:
        responses[position] = None
    return attempt_submit(attempt=attempt, user=user, responses=responses)


def _after_passing(quiz_kit) -> QuizPage:
    return _settings(
        quiz_kit.quiz,
        show_answers=QuizPage.ShowAnswers.AFTER_PASSING,
        max_attempts=None,
        wait_minutes=0,
        pass_mark_percent=50,
    )


def test_it_counts_attempts_started_after_the_answers_were_shown_as_practice(
    client, org, quiz_kit
):
    quiz = _after_passing(quiz_kit)
    first = _take(org.rep_east, quiz, wrong=2)
    assert first.passed and first.percent < 100
    assert not quiz_status(user=org.rep_east, quiz=quiz).next_is_practice

    client.force_login(org.rep_east)
    result = client.get(reverse("quiz_attempt_result", args=[first.pk]))
    assert 'status-completed">correct</span>' in result.content.decode()
    first.refresh_from_db()
    assert first.answers_shown_at is not None
    page = client.get(quiz.url).content.decode()
    assert "further attempts are practice" in page

    second = _take(org.rep_east, quiz)
    assert second.practice and second.percent == Decimal("100.00")
    status = quiz_status(user=org.rep_east, quiz=quiz)
    assert status.passed and status.best_percent == first.percent
    assert list(QuizAttempt.objects.counted()) == [first]

    html = client.get(reverse("quiz_attempt_result", args=[second.pk])).content.decode()
    assert "This was a practice attempt" in html
    page = client.get(quiz.url).content.decode()
    assert "Practice</span>" in page
    assert f"best score {first.percent.normalize():f}%" in page


def test_it_never_passes_the_quiz_with_a_practice_attempt(client, org, quiz_kit):
    quiz = _settings(
        quiz_kit.quiz,
        show_answers=QuizPage.ShowAnswers.AFTER_LAST_ATTEMPT,
        max_attempts=1,
        wait_minutes=0,
    )
    failed = _take(org.rep_east, quiz, wrong=7)
    client.force_login(org.rep_east)
    client.get(reverse("quiz_attempt_result", args=[failed.pk]))
    # The author allows one more attempt after the answers were shown.
    _settings(quiz, max_attempts=2)
    practice = _take(org.rep_east, quiz)
    assert practice.practice and practice.passed
    assert not quiz_status(user=org.rep_east, quiz=quiz).passed
    assert not LessonCompletion.objects.filter(user=org.rep_east, lesson=quiz).exists()


def test_it_keeps_counting_when_only_a_manager_saw_the_answers(client, org, quiz_kit):
    quiz = _after_passing(quiz_kit)
    passed = _take(org.rep_east, quiz, wrong=2)
    client.force_login(org.east_manager)
    html = client.get(reverse("quiz_attempt_result", args=[passed.pk])).content.decode()
    assert 'status-completed">correct</span>' in html
    passed.refresh_from_db()
    assert passed.answers_shown_at is None
    assert not _take(org.rep_east, quiz).practice


def test_it_counts_the_first_attempt_of_a_new_cycle(
    client, org, quiz_kit, time_machine
):
    quiz = _after_passing(quiz_kit)
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    first = _take(org.rep_east, quiz, wrong=2)
    client.force_login(org.rep_east)
    client.get(reverse("quiz_attempt_result", args=[first.pk]))
    assert quiz_status(user=org.rep_east, quiz=quiz).next_is_practice

    time_machine.move_to(start + dt.timedelta(days=330), tick=False)
    assignment_create(
        user=org.rep_east,
        course=quiz_kit.course,
        reason=Assignment.Reason.RECERTIFICATION,
        counts_from=timezone.now(),
    )
    assert not quiz_status(user=org.rep_east, quiz=quiz).next_is_practice
    again = _take(org.rep_east, quiz)
    assert not again.practice
    assert quiz_status(user=org.rep_east, quiz=quiz).best_percent == Decimal("100.00")
