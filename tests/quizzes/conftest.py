"""Quiz fixtures shared by the quiz tests: banks with a question of every kind, and
quizzes placed as the last step of the `catalogue` course.

    def test_it_...(quiz_kit, make_quiz):
        quiz = quiz_kit.quiz                       # seven fixed questions, one per kind
        other = make_quiz(title="Draws", draws=[(quiz_kit.bank, "pricing", 2)])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from courses.quizzes.models import (
    Question,
    QuestionBank,
    QuestionOption,
    QuizPage,
    QuizSlot,
)
from tests.courses.conftest import (  # noqa: F401
    Catalogue,
    catalogue,
    path_with_steps,
)

OptionSpec = dict[str, Any]


def make_question(
    bank: QuestionBank,
    kind: str,
    options: Iterable[OptionSpec],
    *,
    name: str = "",
    text: str = "",
    points: Decimal | str | int = 1,
    explanation: str = "",
    partial_credit: bool = True,
    shuffle_options: bool = False,
    tags: Iterable[str] = (),
) -> Question:
    """A question in `bank`. Each option is a dict of QuestionOption fields (text,
    match_text, fraction, tolerance, feedback), in the author's order."""
    question = Question(
        bank=bank,
        kind=kind,
        name=name or f"{kind} question",
        text=text or f"A {kind} question?",
        points=Decimal(str(points)),
        explanation=explanation,
        partial_credit=partial_credit,
        shuffle_options=shuffle_options,
    )
    for order, spec in enumerate(options):
        values = {
            key: Decimal(str(value)) if key in ("fraction", "tolerance") else value
            for key, value in spec.items()
        }
        question.options.add(QuestionOption(sort_order=order, **values))
    question.save()
    if tags:
        question.tags.add(*tags)
        question.save()
    return question


def every_kind(bank: QuestionBank, *, tags: Iterable[str] = ()) -> dict[str, Question]:
    """One realistic question of each of the seven kinds, keyed by kind."""
    tags = list(tags)
    return {
        "single": make_question(
            bank,
            "single",
            [
                {"text": "Ask about their goals", "fraction": 1, "feedback": "Yes."},
                {"text": "Pitch the product", "fraction": 0, "feedback": "Too early."},
                {"text": "Talk about price", "fraction": 0, "feedback": "Not yet."},
            ],
            name="First thing on a discovery call",
            text="What do you do first on a discovery call?",
            explanation="Discovery starts with the customer's goals.",
            tags=tags,
        ),
        "multiple": make_question(
            bank,
            "multiple",
            [
                {"text": "Budget", "fraction": "0.5", "feedback": "Right."},
                {"text": "Authority", "fraction": "0.5", "feedback": "Right."},
                {"text": "Favourite colour", "fraction": "-0.5", "feedback": "No."},
            ],
            name="BANT letters",
            text="Which of these are part of BANT?",
            points=2,
            explanation="Budget, Authority, Need, Timeline.",
            tags=tags,
        ),
        "truefalse": make_question(
            bank,
            "truefalse",
            [
                {"text": "True", "fraction": 1, "feedback": "Correct."},
                {"text": "False", "fraction": 0, "feedback": "It should."},
            ],
            name="Agenda first",
            text="A discovery call should open with an agenda.",
            tags=tags,
        ),
        "short": make_question(
            bank,
            "short",
            [
                {"text": "next steps", "fraction": 1, "feedback": "Exactly."},
                {"text": "a next step", "fraction": 1},
                {"text": "follow up", "fraction": "0.5", "feedback": "Close."},
            ],
            name="How to end a call",
            text="What should every call end with?",
            tags=tags,
        ),
        "numeric": make_question(
            bank,
            "numeric",
            [
                {"text": "30", "tolerance": 2, "fraction": 1, "feedback": "Yes."},
                {"text": "30", "tolerance": 10, "fraction": "0.5", "feedback": "Near."},
            ],
            name="Talk ratio",
            text="What share of the call (in %) should the rep talk?",
            tags=tags,
        ),
        "matching": make_question(
            bank,
            "matching",
            [
                {"text": "Budget", "match_text": "Money set aside"},
                {"text": "Authority", "match_text": "Who signs"},
                {"text": "Timeline", "match_text": "When they buy"},
            ],
            name="BANT meanings",
            text="Match each letter of BANT with its meaning.",
            points=3,
            tags=tags,
        ),
        "ordering": make_question(
            bank,
            "ordering",
            [
                {"text": "Agenda"},
                {"text": "Questions"},
                {"text": "Summary"},
                {"text": "Next steps"},
            ],
            name="Call structure",
            text="Put the parts of a discovery call in order.",
            points=2,
            shuffle_options=True,
            tags=tags,
        ),
    }


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
def make_quiz(catalogue: Catalogue) -> Callable[..., QuizPage]:  # noqa: F811
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
        quiz = QuizPage(title=title, body=[], **fields)
        order = 0
        for question in questions:
            quiz.slots.add(QuizSlot(question=question, sort_order=order))
            order += 1
        for bank, tag, count in draws:
            quiz.slots.add(
                QuizSlot(bank=bank, tag=tag, draw_count=count, sort_order=order)
            )
            order += 1
        parent = course if course is not None else catalogue.course
        return parent.add_child(instance=quiz)

    return build


@pytest.fixture
def quiz_kit(catalogue: Catalogue, make_quiz: Callable[..., QuizPage]) -> QuizKit:  # noqa: F811
    return QuizKit(catalogue, make_quiz)


def right_answers(attempt: Any) -> dict[int, object]:
    """Responses that score every point, by position (from the frozen snapshots)."""
    from courses.quizzes.grading import correct_response

    return {
        item.position: correct_response(item.snapshot)
        for item in attempt.questions.all()
    }


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
