"""Grading of each question kind against a frozen snapshot (pure, no database)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from courses.quizzes.grading import (
    correct_response,
    grade,
    parse_number,
    response_problem,
)


def snapshot(
    kind: str, options: list[dict[str, Any]], points: str = "1.00", **extra: Any
) -> dict[str, Any]:
    full = []
    for index, option in enumerate(options, start=1):
        full.append(
            {
                "key": f"o{index}",
                "text": "",
                "match_text": "",
                "fraction": "0.00000",
                "tolerance": "0.000000",
                "feedback": "",
                **option,
            }
        )
    return {
        "question_id": 1,
        "kind": kind,
        "name": kind,
        "text": "?",
        "points": points,
        "explanation": "",
        "partial_credit": True,
        "options": full,
        **extra,
    }


def score(snap: dict[str, Any], response: object) -> Decimal:
    return grade(snap, response).score


SINGLE = snapshot(
    "single",
    [
        {"text": "Right", "fraction": "1.00000", "feedback": "Well done"},
        {"text": "Half", "fraction": "0.50000", "feedback": "Partly"},
        {"text": "Wrong", "fraction": "0.00000", "feedback": "No"},
        {"text": "Bad", "fraction": "-0.50000"},
    ],
    points="3.00",
)


def test_it_gives_full_points_for_the_best_single_choice():
    result = grade(SINGLE, "o1")
    assert result.score == Decimal("3.00")
    assert result.max_score == Decimal("3.00")
    assert result.correct
    assert result.chosen_feedback == ["Well done"]


def test_it_gives_the_options_share_for_a_partly_right_single_choice():
    result = grade(SINGLE, "o2")
    assert result.score == Decimal("1.50")
    assert not result.correct
    assert result.chosen_feedback == ["Partly"]


def test_it_never_goes_below_zero_for_a_negative_single_choice():
    assert score(SINGLE, "o4") == Decimal("0.00")
    assert score(SINGLE, "o3") == Decimal("0.00")


def test_it_normalises_single_choice_to_the_best_option():
    snap = snapshot(
        "single", [{"fraction": "0.80000"}, {"fraction": "0.40000"}], points="2.00"
    )
    assert score(snap, "o1") == Decimal("2.00")
    assert score(snap, "o2") == Decimal("1.00")


def test_it_scores_unknown_keys_and_shapes_as_wrong():
    assert score(SINGLE, "o99") == 0
    assert score(SINGLE, ["o1"]) == 0
    assert score(SINGLE, {"score": 3}) == 0
    assert not grade(SINGLE, None).correct


def test_it_grades_true_false():
    snap = snapshot(
        "truefalse",
        [{"text": "True", "fraction": "1.00000"}, {"text": "False", "feedback": "No"}],
    )
    assert score(snap, "o1") == Decimal("1.00")
    assert grade(snap, "o2").chosen_feedback == ["No"]
    assert score(snap, "o2") == 0


MULTIPLE = snapshot(
    "multiple",
    [
        {"text": "A", "fraction": "0.50000", "feedback": "A yes"},
        {"text": "B", "fraction": "0.50000"},
        {"text": "C", "fraction": "-0.50000", "feedback": "C no"},
        {"text": "D", "fraction": "-1.00000"},
    ],
    points="2.00",
)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (["o1", "o2"], "2.00"),
        (["o1"], "1.00"),
        (["o1", "o2", "o3"], "1.00"),
        (["o1", "o3"], "0.00"),
        (["o1", "o4"], "0.00"),
        (["o1", "o2", "o3", "o4"], "0.00"),
        ([], "0.00"),
        (["o1", "o1", "o1"], "1.00"),
        (["o1", "o2", "o9"], "2.00"),
    ],
)
def test_it_gives_partial_credit_for_multiple_response(response, expected):
    assert score(MULTIPLE, response) == Decimal(expected)


def test_it_normalises_multiple_response_to_the_sum_of_right_answers():
    snap = snapshot(
        "multiple",
        [{"fraction": "0.33333"}, {"fraction": "0.33333"}, {"fraction": "0.33333"}],
    )
    assert score(snap, ["o1", "o2", "o3"]) == Decimal("1.00")
    assert score(snap, ["o1"]) == Decimal("0.33")
    assert score(snap, ["o1", "o2"]) == Decimal("0.67")


def test_it_grades_all_or_nothing_multiple_response():
    snap = {**MULTIPLE, "partial_credit": False}
    assert score(snap, ["o2", "o1"]) == Decimal("2.00")
    assert score(snap, ["o1"]) == 0
    assert score(snap, ["o1", "o2", "o3"]) == 0
    assert grade(snap, ["o1", "o3"]).chosen_feedback == ["A yes", "C no"]


SHORT = snapshot(
    "short",
    [
        {"text": "Next steps", "fraction": "1.00000", "feedback": "Exactly"},
        {"text": "a  next step", "fraction": "1.00000"},
        {"text": "follow up", "fraction": "0.50000", "feedback": "Close"},
    ],
)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("next steps", "1.00"),
        ("  NEXT   STEPS ", "1.00"),
        ("next\tsteps", "1.00"),
        ("A next step", "1.00"),
        ("Follow Up", "0.50"),
        ("nextsteps", "0.00"),
        ("", "0.00"),
        ("   ", "0.00"),
    ],
)
def test_it_accepts_several_short_answers_ignoring_case_and_spaces(response, expected):
    assert score(SHORT, response) == Decimal(expected)


def test_it_returns_the_feedback_of_the_matching_short_answer():
    assert grade(SHORT, "follow up").chosen_feedback == ["Close"]


NUMERIC = snapshot(
    "numeric",
    [
        {"text": "3.14", "tolerance": "0.010000", "fraction": "1.00000"},
        {
            "text": "3",
            "tolerance": "0.500000",
            "fraction": "0.50000",
            "feedback": "Near",
        },
    ],
    points="4.00",
)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("3.14", "4.00"),
        ("3.15", "4.00"),
        ("3.13", "4.00"),
        ("3,14", "4.00"),
        (" 3.141 ", "4.00"),
        ("3.16", "2.00"),
        ("2.5", "2.00"),
        ("2.49", "0.00"),
        ("pi", "0.00"),
        ("NaN", "0.00"),
        ("Infinity", "0.00"),
        ("1e400", "0.00"),
        ("", "0.00"),
    ],
)
def test_it_grades_numbers_within_their_tolerance(response, expected):
    assert score(NUMERIC, response) == Decimal(expected)


def test_it_reads_numbers_as_people_type_them():
    assert parse_number("3,5") == Decimal("3.5")
    assert parse_number("-2") == Decimal("-2")
    assert parse_number("1,000.5") is None
    assert parse_number(3.5) is None
    assert parse_number("x" * 200) is None


MATCHING = snapshot(
    "matching",
    [
        {"text": "Budget", "match_text": "Money"},
        {"text": "Authority", "match_text": "Who signs"},
        {"text": "Need", "match_text": "Money"},
        {"text": "", "match_text": "A distractor"},
    ],
    points="3.00",
)


def test_it_lists_right_hand_choices_once_each():
    right = correct_response(MATCHING)
    assert right == {"o1": "m1", "o2": "m2", "o3": "m1"}


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ({"o1": "m1", "o2": "m2", "o3": "m1"}, "3.00"),
        ({"o1": "m1", "o2": "m1", "o3": "m1"}, "2.00"),
        ({"o1": "m2", "o2": "m1"}, "0.00"),
        ({"o1": "m4", "o2": "m2", "o3": "m4"}, "1.00"),
        ({}, "0.00"),
        ({"o4": "m4"}, "0.00"),
    ],
)
def test_it_grades_matching_by_the_share_of_pairs_right(response, expected):
    assert score(MATCHING, response) == Decimal(expected)


ORDERING = snapshot(
    "ordering",
    [{"text": "One"}, {"text": "Two"}, {"text": "Three"}, {"text": "Four"}],
    points="2.00",
)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (["o1", "o2", "o3", "o4"], "2.00"),
        (["o1", "o2", "o4", "o3"], "1.00"),
        (["o2", "o1", "o3", "o4"], "1.00"),
        (["o4", "o3", "o2", "o1"], "0.00"),
        (["o1", "o3", "o2", "o4"], "1.00"),
        (["o1"], "0.50"),
        (["o1", "o1", "o1", "o1"], "0.50"),
    ],
)
def test_it_grades_ordering_by_the_share_of_items_in_place(response, expected):
    assert score(ORDERING, response) == Decimal(expected)


def test_it_rounds_scores_half_up_to_cents():
    snap = snapshot(
        "ordering", [{"text": "a"}, {"text": "b"}, {"text": "c"}], points="0.05"
    )
    # 0.05 * 2/3 = 0.0333… -> 0.03; 0.05 * 1/3 = 0.01666… -> 0.02
    assert score(snap, ["o1", "o2", "o3"]) == Decimal("0.05")
    assert score(snap, ["o1", "o3", "o2"]) == Decimal("0.02")
    half = snapshot("single", [{"fraction": "1"}, {"fraction": "0.5"}], points="0.05")
    assert score(half, "o2") == Decimal("0.03")


@pytest.mark.parametrize("snap", [SINGLE, MULTIPLE, SHORT, NUMERIC, MATCHING, ORDERING])
def test_it_gives_full_points_for_the_correct_response(snap):
    result = grade(snap, correct_response(snap))
    assert result.correct
    assert result.score == result.max_score


@pytest.mark.parametrize(
    ("snap", "response"),
    [
        (SINGLE, "o9"),
        (SINGLE, 1),
        (MULTIPLE, ["o1", "o1"]),
        (MULTIPLE, "o1"),
        (MULTIPLE, ["o1", "o7"]),
        (SHORT, 3),
        (SHORT, "x" * 1001),
        (NUMERIC, 3.14),
        (MATCHING, {"o1": "m9"}),
        (MATCHING, {"o4": "m1"}),
        (MATCHING, ["o1"]),
        (ORDERING, ["o1", "o2", "o3"]),
        (ORDERING, ["o1", "o1", "o2", "o3"]),
        (ORDERING, ["o1", "o2", "o3", "o9"]),
    ],
)
def test_it_refuses_responses_that_do_not_fit_the_question(snap, response):
    assert response_problem(snap, response)


@pytest.mark.parametrize(
    ("snap", "response"),
    [
        (SINGLE, None),
        (SINGLE, "o3"),
        (MULTIPLE, []),
        (SHORT, ""),
        (NUMERIC, "not a number"),
        (MATCHING, {"o1": "m2"}),
        (MATCHING, {"o1": None}),
        (ORDERING, ["o4", "o3", "o2", "o1"]),
    ],
)
def test_it_accepts_wrong_but_well_formed_responses(snap, response):
    assert response_problem(snap, response) == ""
