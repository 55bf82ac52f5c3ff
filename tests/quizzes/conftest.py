"""Quiz fixtures shared by the quiz tests: banks with a question of every kind, and
quizzes placed as the last step of the `catalogue` course.

    def test_it_...(quiz_kit, make_quiz):
        quiz = quiz_kit.quiz                       # seven fixed questions, one per kind
        other = make_quiz(title="Draws", draws=[(quiz_kit.bank, "pricing", 2)])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from courses.quizzes.models import (
    Question,
    QuestionBank,
    QuizPage,
    QuizSlot,
)
from tests.courses.fixtures import Catalogue
from tests.factories import QuizPageFactory
from tests.quizzes.questions import every_kind


class QuizKit:
    """A bank "Discovery basics" with one question of each kind (`questions`, keyed by
    kind) and `quiz`: a published quiz "Discovery calls quiz" with those seven as
    fixed questions, the last step of the catalogue course."""

    def __init__(self, courses: Catalogue, make_quiz: Callable[..., QuizPage]):
        self.catalogue = courses
        self.course = courses.course
        self.bank = QuestionBank.objects.create(name="Discovery basics")
        self.questions = every_kind(self.bank)
        self.quiz = make_quiz(
            title="Discovery calls quiz", questions=list(self.questions.values())
        )


@pytest.fixture
def make_quiz(catalogue: Catalogue) -> Callable[..., QuizPage]:
    """Build a quiz under the catalogue course (or `course=`): fixed `questions`,
    then `draws` as (bank, tag, count) tuples; any QuizPage field as keyword."""

    def build(
        *,
        title: str = "A quiz",
        questions: Iterable[Question] = (),
        draws: Iterable[tuple[QuestionBank, str, int]] = (),
        course: Any = None,
        **fields: Any,
    ) -> QuizPage:
        fields.setdefault("max_attempts", None)
        slots = [QuizSlot(question=question) for question in questions] + [
            QuizSlot(bank=bank, tag=tag, draw_count=count) for bank, tag, count in draws
        ]
        for order, slot in enumerate(slots):
            slot.sort_order = order
        return QuizPageFactory(
            parent=course or catalogue.course, title=title, slots=slots, **fields
        )

    return build


@pytest.fixture
def quiz_kit(catalogue: Catalogue, make_quiz: Callable[..., QuizPage]) -> QuizKit:
    return QuizKit(catalogue, make_quiz)


@pytest.fixture
def graded_signals() -> Iterator[list[Any]]:
    """The attempts announced by `quiz_attempt_graded`, in order."""
    from courses.quizzes.signals import quiz_attempt_graded

    seen: list[Any] = []

    def receiver(sender: Any, attempt: Any, **kwargs: Any) -> None:
        seen.append(attempt)

    quiz_attempt_graded.connect(receiver, weak=False, dispatch_uid="test-graded")
    try:
        yield seen
    finally:
        quiz_attempt_graded.disconnect(dispatch_uid="test-graded")
