"""Item analysis from graded attempts: share correct, mean score, discrimination
between the top and bottom 27%, response distribution, flags; two queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from courses.quizzes.analysis import common_note, item_analysis
from courses.quizzes.models import QuizAttempt
from courses.quizzes.services import attempt_start, attempt_submit
from tests.factories import RepFactory
from tests.quizzes.questions import right_answers

pytestmark = pytest.mark.django_db


def key_of(snapshot: dict[str, Any], text: str) -> str:
    return next(o["key"] for o in snapshot["options"] if o["text"] == text)


def take(quiz: Any, *, strong: bool) -> QuizAttempt:
    """A strong candidate gets everything right but the true/false question; a weak
    one only the single choice and the true/false question."""
    user = RepFactory()
    attempt = attempt_start(user=user, quiz=quiz)
    answers = right_answers(attempt)
    for item in attempt.questions.all():
        kind = item.snapshot["kind"]
        if kind == "truefalse" and strong:
            answers[item.position] = key_of(item.snapshot, "False")
        elif kind == "multiple" and not strong:
            answers[item.position] = [key_of(item.snapshot, "Favourite colour")]
        elif kind == "short" and strong:
            answers[item.position] = "  Next   STEPS "
        elif kind not in ("single", "truefalse") and not strong:
            answers[item.position] = None
    return attempt_submit(attempt=attempt, user=user, responses=answers)


def by_kind(items: list[Any]) -> dict[str, Any]:
    return {item.kind: item for item in items}


def test_it_measures_each_question_over_graded_attempts(
    quiz_kit: Any, django_assert_num_queries: Any
) -> None:
    for number in range(12):
        take(quiz_kit.quiz, strong=number >= 4)
    attempt_start(user=RepFactory(), quiz=quiz_kit.quiz)  # in progress: not counted
    with django_assert_num_queries(2):
        items = item_analysis(quiz=quiz_kit.quiz)

    assert [item.kind for item in items] == [
        "single",
        "multiple",
        "truefalse",
        "short",
        "numeric",
        "matching",
        "ordering",
    ]
    stats = by_kind(items)
    single = stats["single"]
    assert (single.attempts, single.correct_share, single.discrimination) == (
        12,
        Decimal("1"),
        Decimal("0"),
    )
    assert single.everyone_right and not single.negative_discrimination
    assert common_note(items) == ""
    assert single.correct_percent == "100%"

    true_false = stats["truefalse"]
    assert true_false.correct_share == Decimal("0.333")
    assert true_false.discrimination == Decimal("-1")
    assert true_false.negative_discrimination and not true_false.everyone_right
    assert [(row.label, row.count, row.right) for row in true_false.distribution] == [
        ("True", 4, True),
        ("False", 8, False),
    ]

    multiple = stats["multiple"]
    assert multiple.discrimination == Decimal("1")
    assert multiple.mean_score_share == Decimal("0.667")
    assert [(row.label, row.count, row.right) for row in multiple.distribution] == [
        ("Budget", 8, True),
        ("Authority", 8, True),
        ("Favourite colour", 4, False),
    ]
    assert multiple.discrimination_text == "+1.00"

    short = stats["short"]
    assert [(row.label, row.count) for row in short.distribution] == [
        ("next steps", 8),
        ("(no answer)", 4),
    ]
    ordering = stats["ordering"]
    assert [(row.label, row.count) for row in ordering.distribution] == [
        ("Agenda → Questions → Summary → Next steps", 8),
        ("(no answer)", 4),
    ]
    matching = stats["matching"].distribution[0]
    assert matching.count == 8
    assert "Budget → Money set aside" in matching.label


def test_it_leaves_discrimination_undefined_below_ten_attempts(
    quiz_kit: Any, django_assert_num_queries: Any
) -> None:
    for number in range(6):
        take(quiz_kit.quiz, strong=number % 2 == 0)
    with django_assert_num_queries(2):
        items = item_analysis(quiz=quiz_kit.quiz)
    single = by_kind(items)["single"]
    assert single.discrimination is None
    assert single.discrimination_text == "—"
    assert single.discrimination_note == ("Needs at least 10 graded attempts (has 6).")
    assert common_note(items) == single.discrimination_note
    assert single.kind_label == "Single choice"
    assert single.everyone_right  # 6 attempts, all right: enough for that flag
    assert not by_kind(items)["truefalse"].negative_discrimination


def test_it_does_not_flag_everyone_right_below_five_attempts(quiz_kit: Any) -> None:
    for _ in range(4):
        take(quiz_kit.quiz, strong=True)
    single = by_kind(item_analysis(quiz=quiz_kit.quiz))["single"]
    assert single.correct_share == 1 and not single.everyone_right


def test_it_counts_expired_attempts_and_nothing_without_attempts(
    quiz_kit: Any,
) -> None:
    assert item_analysis(quiz=quiz_kit.quiz) == []
    attempt = take(quiz_kit.quiz, strong=True)
    QuizAttempt.objects.filter(pk=attempt.pk).update(state=QuizAttempt.State.EXPIRED)
    assert by_kind(item_analysis(quiz=quiz_kit.quiz))["single"].attempts == 1
    QuizAttempt.objects.filter(pk=attempt.pk).update(state=QuizAttempt.State.ABANDONED)
    assert item_analysis(quiz=quiz_kit.quiz) == []
