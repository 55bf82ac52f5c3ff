"""Questions for quiz tests: one of each kind, any kind from option specs, and the
answers that score every point."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from courses.quizzes.models import Question, QuestionBank, QuestionOption

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


def right_answers(attempt: Any) -> dict[int, object]:
    """Responses that score every point, by position (from the frozen snapshots)."""
    from courses.quizzes.grading import correct_response

    return {
        item.position: correct_response(item.snapshot)
        for item in attempt.questions.all()
    }
