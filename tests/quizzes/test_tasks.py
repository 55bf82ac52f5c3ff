"""The beat task that closes attempts nobody will hand in: past their time limit
(graded, expired) or of a quiz that was withdrawn (abandoned, ungraded)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import LessonCompletion
from courses.quizzes.models import QuestionBank, QuizAttempt, QuizPage, QuizSlot
from courses.quizzes.services import (
    attempt_save,
    attempt_start,
    attempts_close_expired,
)
from courses.quizzes.tasks import attempts_close_expired_task
from tests.factories import CoursePageFactory, QuizPageFactory, RepFactory
from tests.quizzes.questions import make_question, right_answers


def _timed(quiz, minutes=5):
    quiz.time_limit_minutes = minutes
    quiz.save_revision().publish()
    return quiz


@pytest.mark.django_db
def test_it_grades_attempts_past_their_time_on_what_was_saved(
    org, quiz_kit, settings, graded_signals, django_capture_on_commit_callbacks
):
    settings.QUIZ_GRACE_SECONDS = 30
    quiz = _timed(quiz_kit.quiz)
    late = attempt_start(user=org.rep_east, quiz=quiz)
    attempt_save(attempt=late, user=org.rep_east, responses=right_answers(late))
    on_time = attempt_start(user=org.rep_east2, quiz=quiz)
    untimed = attempt_start(user=org.rep_west, quiz=quiz_kit.catalogue.course.add_child(
        instance=QuizPage(title="Untimed", body=[], slots=[
            QuizSlot(question=quiz_kit.questions["single"])
        ])
    ))  # fmt: skip
    QuizAttempt.objects.filter(pk=on_time.pk).update(
        deadline=late.deadline + dt.timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        closed = attempts_close_expired(now=late.deadline + dt.timedelta(seconds=31))

    assert closed == 1
    late.refresh_from_db()
    assert late.state == QuizAttempt.State.EXPIRED
    assert late.score == Decimal("11.00") and late.passed is True
    assert LessonCompletion.objects.get(user=org.rep_east).how == "quiz"
    assert [attempt.pk for attempt in graded_signals] == [late.pk]
    for attempt in (on_time, untimed):
        attempt.refresh_from_db()
        assert attempt.state == QuizAttempt.State.IN_PROGRESS


@pytest.mark.django_db
def test_it_leaves_an_attempt_open_during_its_grace_period(org, quiz_kit, settings):
    settings.QUIZ_GRACE_SECONDS = 30
    attempt = attempt_start(user=org.rep_east, quiz=_timed(quiz_kit.quiz))
    assert attempts_close_expired(now=attempt.deadline + dt.timedelta(seconds=30)) == 0
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.IN_PROGRESS


@pytest.mark.django_db
def test_it_closes_each_attempt_once(
    org, quiz_kit, graded_signals, django_capture_on_commit_callbacks
):
    attempt = attempt_start(user=org.rep_east, quiz=_timed(quiz_kit.quiz))
    later = attempt.deadline + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert attempts_close_expired(now=later) == 1
        assert attempts_close_expired(now=later) == 0
        assert attempts_close_expired(now=later + dt.timedelta(days=1)) == 0
    attempt.refresh_from_db()
    assert attempt.closed_at == later
    assert len(graded_signals) == 1


@pytest.mark.django_db
def test_it_abandons_open_attempts_of_withdrawn_quizzes_without_grading(
    org, quiz_kit, make_quiz, graded_signals, django_capture_on_commit_callbacks
):
    unpublished = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    doomed_quiz = make_quiz(
        title="Doomed", questions=[quiz_kit.questions["single"]], time_limit_minutes=1
    )
    deleted = attempt_start(user=org.rep_east, quiz=doomed_quiz)
    kept = attempt_start(user=org.rep_east2, quiz=make_quiz(
        title="Kept", questions=[quiz_kit.questions["single"]]
    ))  # fmt: skip
    quiz_kit.quiz.unpublish()
    doomed_quiz.delete()

    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert attempts_close_expired(now=now) == 2

    for attempt in (unpublished, deleted):
        attempt.refresh_from_db()
        assert attempt.state == QuizAttempt.State.ABANDONED
        assert attempt.closed_at == now
        assert attempt.score is None and attempt.passed is None
    kept.refresh_from_db()
    assert kept.state == QuizAttempt.State.IN_PROGRESS
    assert graded_signals == []
    assert not LessonCompletion.objects.exists()


@pytest.mark.django_db
def test_it_closes_many_attempts_in_few_queries_each(
    org, quiz_kit, django_assert_max_num_queries
):
    quiz = _timed(quiz_kit.quiz)
    reps = [RepFactory(team=org.east) for _ in range(5)]
    attempts = [attempt_start(user=rep, quiz=quiz) for rep in reps]
    later = max(a.deadline for a in attempts) + dt.timedelta(hours=1)
    # Per attempt: lock, quiz, questions, grades, save, the person: a bounded few.
    with django_assert_max_num_queries(4 + 9 * len(attempts)):
        assert attempts_close_expired(now=later) == 5


def _quiz_outside_the_catalogue() -> QuizPage:
    course = CoursePageFactory(title="Pricing", summary="Price.")
    bank = QuestionBank.objects.create(name="Worker bank")
    question = make_question(bank, "truefalse", [{"text": "True", "fraction": 1}])
    return QuizPageFactory(
        parent=course,
        title="Pricing quiz",
        time_limit_minutes=1,
        slots=[QuizSlot(question=question)],
    )


@pytest.mark.worker
def test_it_closes_expired_attempts_through_the_worker(celery_worker, rep_factory):
    quiz = _quiz_outside_the_catalogue()
    attempt = attempt_start(user=rep_factory(), quiz=quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - dt.timedelta(hours=1)
    )

    attempts_close_expired_task.delay()

    closed = celery_worker.wait_for(
        lambda: QuizAttempt.objects.filter(pk=attempt.pk, state="expired").first(),
        what="the attempt to expire",
    )
    assert closed.score == Decimal("0.00")
    assert closed.passed is False
    assert celery_worker.received("attempts_close_expired_task") == 1


@pytest.mark.django_db
def test_it_refuses_a_submit_after_the_server_closed_the_attempt(
    org, quiz_kit, time_machine
):
    from courses.quizzes.services import AttemptRefused, attempt_submit

    start = timezone.now()
    time_machine.move_to(start, tick=False)
    attempt = attempt_start(user=org.rep_east, quiz=_timed(quiz_kit.quiz))
    time_machine.move_to(start + dt.timedelta(hours=1), tick=False)
    assert attempts_close_expired() == 1

    with pytest.raises(AttemptRefused, match="its time ran out"):
        attempt_submit(
            attempt=attempt, user=org.rep_east, responses=right_answers(attempt)
        )
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.EXPIRED
    assert attempt.score == Decimal("0.00")
