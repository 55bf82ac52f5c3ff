"""Properties of grading over generated questions and answers: a score is always
within [0, max], and the right answers always score max."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from courses.quizzes.grading import (
    correct_response,
    grade,
    matching_pairs,
    response_problem,
)

points = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2
).map(str)
fractions = st.decimals(min_value=Decimal("-1"), max_value=Decimal("1"), places=5)
positive = st.decimals(min_value=Decimal("0.00001"), max_value=Decimal("1"), places=5)
words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
    min_size=1,
    max_size=20,
).filter(lambda text: text.strip())
numbers = st.decimals(
    min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=3
)
tolerances = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=6)


def _option(key: int, **fields: Any) -> dict[str, Any]:
    return {
        "key": f"o{key}",
        "text": "",
        "match_text": "",
        "fraction": "0.00000",
        "tolerance": "0.000000",
        "feedback": "",
        **fields,
    }


@st.composite
def snapshots(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            [
                "single",
                "multiple",
                "truefalse",
                "short",
                "numeric",
                "matching",
                "ordering",
            ]
        )
    )
    count = draw(st.integers(min_value=2, max_value=7))
    options = []
    if kind in ("single", "truefalse", "multiple", "short"):
        values = draw(st.lists(fractions, min_size=count - 1, max_size=count - 1))
        values.insert(draw(st.integers(0, count - 1)), draw(positive))
        texts = draw(st.lists(words, min_size=count, max_size=count))
        options = [
            _option(i, text=text, fraction=str(value), feedback=f"f{i}")
            for i, (value, text) in enumerate(zip(values, texts, strict=True), start=1)
        ]
    elif kind == "numeric":
        values = draw(st.lists(fractions, min_size=count - 1, max_size=count - 1))
        values.insert(0, draw(positive))
        options = [
            _option(
                i,
                text=str(draw(numbers)),
                fraction=str(value),
                tolerance=str(draw(tolerances)),
            )
            for i, value in enumerate(values, start=1)
        ]
    elif kind == "matching":
        rights = draw(st.lists(words, min_size=1, max_size=4))
        options = [
            _option(i, text=draw(words), match_text=draw(st.sampled_from(rights)))
            for i in range(1, count + 1)
        ]
        options.append(_option(count + 1, text="", match_text=draw(words)))
        if draw(st.booleans()):  # snapshots since the right-hand keys are their own
            for option in options:
                option["match_key"] = "m" + draw(st.uuids()).hex
    else:
        options = [_option(i, text=draw(words)) for i in range(1, count + 1)]
    return {
        "question_id": 1,
        "kind": kind,
        "name": "generated",
        "text": "?",
        "points": draw(points),
        "explanation": "",
        "partial_credit": draw(st.booleans()),
        "options": options,
    }


def _responses(snapshot: dict[str, Any]) -> st.SearchStrategy[object]:
    keys = [option["key"] for option in snapshot["options"]]
    anything = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=5,
    )
    shaped: st.SearchStrategy[object]
    kind = snapshot["kind"]
    if kind in ("single", "truefalse"):
        shaped = st.sampled_from(keys)
    elif kind == "multiple":
        shaped = st.lists(st.sampled_from([*keys, "o999"]))
    elif kind in ("short", "numeric"):
        shaped = st.text() | numbers.map(str)
    elif kind == "matching":
        rights = [*matching_pairs(snapshot)[1], *(f"m{key[1:]}" for key in keys)]
        shaped = st.dictionaries(st.sampled_from(keys), st.sampled_from(rights))
    else:
        shaped = st.permutations(keys).map(list) | st.lists(st.sampled_from(keys))
    return shaped | anything


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_it_keeps_every_score_within_zero_and_the_points(data):
    snapshot = data.draw(snapshots())
    response = data.draw(_responses(snapshot))
    result = grade(snapshot, response)
    assert Decimal("0") <= result.score <= result.max_score
    assert result.max_score == Decimal(snapshot["points"])
    assert result.score == result.score.quantize(Decimal("0.01"))
    assert result.correct == (result.score == result.max_score)


@settings(max_examples=400, deadline=None)
@given(snapshot=snapshots())
def test_it_gives_the_correct_response_every_point(snapshot):
    result = grade(snapshot, correct_response(snapshot))
    assert result.score == result.max_score
    assert result.correct


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_it_judges_any_response_without_failing(data):
    snapshot = data.draw(snapshots())
    response = data.draw(_responses(snapshot))
    problem = response_problem(snapshot, response)
    assert isinstance(problem, str)
    assert response_problem(snapshot, correct_response(snapshot)) == ""
