"""What may be shown: the person's standing with a quiz, an open attempt's questions
without their key, and the review of a closed attempt as the settings allow."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.quizzes.models import QuizAttempt, QuizPage
from courses.quizzes.selectors import (
    answers_revealed,
    attempt_review,
    questions_for_display,
    quiz_status,
)
from courses.quizzes.services import attempt_save, attempt_start, attempt_submit
from tests.quizzes.questions import right_answers

pytestmark = pytest.mark.django_db


def _settings(quiz, **fields):
    for name, value in fields.items():
        setattr(quiz, name, value)
    quiz.save_revision().publish()
    return quiz


def test_it_reports_a_fresh_quiz_as_ready_to_start(org, quiz_kit):
    status = quiz_status(user=org.rep_east, quiz=quiz_kit.quiz)
    assert status.attempts == []
    assert status.open_attempt is None
    assert status.attempts_left is None
    assert status.can_start and status.refusal == ""
    assert status.next_start_at is None
    assert status.passed is False
    assert status.best_percent is None


def test_it_reports_attempts_newest_first_with_the_best_score(
    org, quiz_kit, time_machine
):
    quiz = _settings(quiz_kit.quiz, max_attempts=3, wait_minutes=10)
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    first = attempt_start(user=org.rep_east, quiz=quiz)
    attempt_submit(attempt=first, user=org.rep_east, responses=right_answers(first))
    time_machine.move_to(start + dt.timedelta(minutes=5), tick=False)

    status = quiz_status(user=org.rep_east, quiz=quiz)
    assert status.passed is True
    assert status.best_percent == Decimal("100.00")
    assert status.attempts_left == 2
    assert status.next_start_at == start + dt.timedelta(minutes=10)
    assert not status.can_start
    assert status.refusal.startswith("You can try again from")

    time_machine.move_to(start + dt.timedelta(minutes=11), tick=False)
    second = attempt_start(user=org.rep_east, quiz=quiz)
    status = quiz_status(user=org.rep_east, quiz=quiz)
    assert [a.pk for a in status.attempts] == [second.pk, first.pk]
    assert status.open_attempt == second
    assert status.can_start  # resume
    assert status.attempts_left == 1


def test_it_counts_an_open_attempt_past_its_time_as_used(org, quiz_kit, time_machine):
    quiz = _settings(quiz_kit.quiz, max_attempts=1, time_limit_minutes=5)
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    attempt_start(user=org.rep_east, quiz=quiz)
    time_machine.move_to(start + dt.timedelta(minutes=10), tick=False)
    status = quiz_status(user=org.rep_east, quiz=quiz)
    assert status.open_attempt is None
    assert status.attempts_left == 0
    assert status.refusal == "You have used your 1 attempt at this quiz."


# An open attempt shows no answer key.


def _everything_shown(questions) -> str:
    return json.dumps([dataclasses.asdict(q) for q in questions], default=str)


def test_it_shows_an_open_attempt_without_any_answer_key(org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    shown = _everything_shown(questions_for_display(attempt))

    for question in quiz_kit.questions.values():
        assert question.explanation not in shown or not question.explanation
        for option in question.options.all():
            if option.feedback:
                assert option.feedback not in shown
    for secret in ("fraction", "tolerance", "feedback", "explanation", "match_text"):
        assert secret not in shown
    # Accepted short answers and numeric values are the key itself: never listed.
    for answer in ("next steps", "a next step", "follow up", '"30"'):
        assert answer not in shown
    assert "Ask about their goals" in shown  # the choices themselves are shown


def test_it_lists_choices_in_the_frozen_order_with_saved_responses(org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    answers = right_answers(attempt)
    attempt_save(attempt=attempt, user=org.rep_east, responses={6: answers[6]})
    questions = questions_for_display(attempt)

    assert [q.position for q in questions] == list(range(1, 8))
    by_kind = {q.kind: q for q in questions}
    items = {item.position: item for item in attempt.questions.all()}
    for question in questions:
        if question.kind in ("single", "multiple", "truefalse", "ordering"):
            assert [o.key for o in question.options] == items[
                question.position
            ].option_order
    assert by_kind["short"].options == [] and by_kind["numeric"].options == []
    matching = by_kind["matching"]
    assert [left.text for left in matching.lefts] == ["Budget", "Authority", "Timeline"]
    assert {right.text for right in matching.rights} == {
        "Money set aside",
        "Who signs",
        "When they buy",
    }
    assert matching.response == answers[6]
    # The right-hand order stays the same on every reload.
    assert questions_for_display(attempt)[5].rights == matching.rights
    assert by_kind["ordering"].points == Decimal("2.00")


def test_it_shows_matching_choices_in_a_shuffled_order(org, quiz_kit):
    orders = set()
    for rep in (org.rep_east, org.rep_east2, org.rep_west, org.rep_north, org.loner):
        attempt = attempt_start(user=rep, quiz=quiz_kit.quiz)
        matching = questions_for_display(attempt)[5]
        orders.add(tuple(right.text for right in matching.rights))
    assert len(orders) > 1


# The review of a closed attempt.


def _closed(org, quiz, answers=None, user=None):
    user = user or org.rep_east
    attempt = attempt_start(user=user, quiz=quiz)
    responses = right_answers(attempt) if answers == "right" else answers
    return attempt_submit(attempt=attempt, user=user, responses=responses)


def test_it_refuses_to_review_an_attempt_in_progress(org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    with pytest.raises(ValueError):
        attempt_review(attempt)
    assert answers_revealed(attempt) is False


def test_it_reviews_scores_feedback_and_explanations(org, quiz_kit):
    quiz = _settings(quiz_kit.quiz, show_answers=QuizPage.ShowAnswers.NEVER)
    attempt = attempt_start(user=org.rep_east, quiz=quiz)
    single = attempt.questions.get(position=1).snapshot["options"]
    attempt = attempt_submit(
        attempt=attempt,
        user=org.rep_east,
        responses={1: single[1]["key"], 4: "Follow up", 5: "31"},
    )
    review = attempt_review(attempt).questions

    first = review[0]
    assert first.response_text == "Pitch the product"
    assert first.score == Decimal("0.00") and first.max_score == Decimal("1.00")
    assert not first.correct
    assert first.feedback == ["Too early."]
    assert first.explanation == "Discovery starts with the customer's goals."
    assert first.correct_text is None and first.correct_response is None
    assert [o.chosen for o in first.options] == [
        o.key == single[1]["key"] for o in first.options
    ]
    assert sum(o.chosen for o in first.options) == 1
    assert all(option.right is None for option in first.options)
    assert review[3].feedback == ["Close."] and review[3].score == Decimal("0.50")
    assert review[4].correct and review[4].feedback == ["Yes."]
    assert review[6].response_text == "No answer"


def test_it_reveals_answers_after_passing_when_the_quiz_says_so(org, quiz_kit):
    quiz = _settings(
        quiz_kit.quiz, show_answers=QuizPage.ShowAnswers.AFTER_PASSING, max_attempts=3
    )
    failed = _closed(org, quiz)
    assert not answers_revealed(failed)
    assert all(q.correct_text is None for q in attempt_review(failed).questions)

    passed = _closed(org, quiz, "right")
    assert answers_revealed(passed)
    assert answers_revealed(failed)  # the person has passed the quiz now
    review = attempt_review(failed).questions
    assert review[0].correct_text == "Ask about their goals"
    assert review[3].correct_text == "next steps or a next step"
    assert review[4].correct_text == "30 ± 2"
    assert review[5].correct_text == (
        "Budget → Money set aside; Authority → Who signs; Timeline → When they buy"
    )
    assert review[6].correct_text == "Agenda → Questions → Summary → Next steps"
    assert [o.right for o in review[1].options] == [True, True, False]
    # Someone else's failed attempt stays unrevealed.
    assert not answers_revealed(_closed(org, quiz, user=org.rep_east2))


def test_it_reveals_answers_after_the_last_attempt_when_the_quiz_says_so(org, quiz_kit):
    quiz = _settings(
        quiz_kit.quiz,
        show_answers=QuizPage.ShowAnswers.AFTER_LAST_ATTEMPT,
        max_attempts=2,
    )
    first = _closed(org, quiz, "right")
    assert not answers_revealed(first)  # passed, but one attempt is left
    second = _closed(org, quiz)
    assert answers_revealed(first) and answers_revealed(second)


def test_it_never_reveals_answers_when_the_quiz_says_never(org, quiz_kit):
    quiz = _settings(
        quiz_kit.quiz, show_answers=QuizPage.ShowAnswers.NEVER, max_attempts=1
    )
    attempt = _closed(org, quiz, "right")
    assert not answers_revealed(attempt)
    assert all(q.correct_text is None for q in attempt_review(attempt).questions)


def test_it_never_reveals_answers_of_an_abandoned_attempt(org, quiz_kit):
    attempt = _closed(org, quiz_kit.quiz, "right")
    QuizAttempt.objects.filter(pk=attempt.pk).update(state="abandoned")
    attempt.refresh_from_db()
    assert not answers_revealed(attempt)


def test_it_reads_the_status_in_a_fixed_number_of_queries(
    org, quiz_kit, django_assert_max_num_queries
):
    quiz = quiz_kit.quiz
    for _ in range(3):
        _closed(org, quiz)
    with django_assert_max_num_queries(8):
        quiz_status(user=org.rep_east, quiz=quiz)
