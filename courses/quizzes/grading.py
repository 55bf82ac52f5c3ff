"""Grading of one answered question against its frozen snapshot: pure functions, no
database, so that the attempt services, the item analysis and the tests all grade
alike. The snapshot format is described in `courses.quizzes.services`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext

CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")
MAX_TEXT_LENGTH = 1000

CHOICE_KINDS = frozenset({"single", "truefalse"})
KINDS = frozenset(
    {"single", "multiple", "truefalse", "short", "numeric", "matching", "ordering"}
)


@dataclass(frozen=True)
class Grade:
    """What one answer earned: `score` is within [0, max_score], rounded to cents;
    `correct` only when it earned every point."""

    score: Decimal
    max_score: Decimal
    correct: bool
    chosen_feedback: list[str] = field(default_factory=list)


def _options(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = snapshot.get("options") or []
    return options


def _fraction(option: dict[str, Any]) -> Decimal:
    return Decimal(str(option.get("fraction") or "0"))


def _best_fraction(snapshot: dict[str, Any]) -> Decimal:
    return max((_fraction(option) for option in _options(snapshot)), default=ZERO)


def normalise_text(value: str) -> str:
    """Short answers compare without case, surrounding spaces or runs of spaces."""
    return re.sub(r"\s+", " ", value).strip().casefold()


def parse_number(value: object) -> Decimal | None:
    """A number as a person types it ("3.14", "3,14", " 42 "), or None."""
    if not isinstance(value, str) or len(value) > 100:
        return None
    text = value.strip().replace(" ", "")
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def matching_pairs(
    snapshot: dict[str, Any],
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The left-hand options of a matching question, and each right-hand choice key
    with its text: the distinct non-empty `match_text` values, each keyed by the
    `match_key` of the first option with that text. Options with a right side but
    no left side are distractors that only add a choice."""
    rights: dict[str, str] = {}
    key_of_text: dict[str, str] = {}
    for option in _options(snapshot):
        match_text = option.get("match_text") or ""
        if match_text and match_text not in key_of_text:
            key = _match_key(option)
            key_of_text[match_text] = key
            rights[key] = match_text
    lefts = [
        option
        for option in _options(snapshot)
        if (option.get("text") or "").strip() and option.get("match_text")
    ]
    return lefts, rights


def right_key_for(snapshot: dict[str, Any], option: dict[str, Any]) -> str:
    """The right-hand choice key that matches a left-hand option."""
    for candidate in _options(snapshot):
        if candidate.get("match_text") == option.get("match_text"):
            return _match_key(candidate)
    raise ValueError("option has no right-hand side")


def _match_key(option: dict[str, Any]) -> str:
    # Snapshots from before `match_key` derived it from the option's key.
    return str(option.get("match_key") or "m" + str(option["key"])[1:])


def _share_and_feedback(
    snapshot: dict[str, Any], response: object
) -> tuple[Decimal, list[str]]:
    kind = snapshot.get("kind")
    options = _options(snapshot)
    by_key = {option["key"]: option for option in options}
    best = _best_fraction(snapshot)
    if kind in CHOICE_KINDS:
        option = by_key.get(response) if isinstance(response, str) else None
        if option is None or best <= 0:
            return ZERO, []
        return _fraction(option) / best, _feedback([option])
    if kind == "multiple":
        if not isinstance(response, list):
            return ZERO, []
        picked = dict.fromkeys(key for key in response if isinstance(key, str))
        chosen = [by_key[key] for key in picked if key in by_key]
        right = {option["key"] for option in options if _fraction(option) > 0}
        if not right:
            return ZERO, _feedback(chosen)
        if not snapshot.get("partial_credit", True):
            share = ONE if {option["key"] for option in chosen} == right else ZERO
            return share, _feedback(chosen)
        positive = sum(_fraction(by_key[key]) for key in right)
        return sum((_fraction(o) for o in chosen), ZERO) / positive, _feedback(chosen)
    if kind == "short":
        if not isinstance(response, str) or best <= 0:
            return ZERO, []
        answer = normalise_text(response)
        if not answer:
            return ZERO, []
        hits = [o for o in options if normalise_text(o.get("text") or "") == answer]
        return _best_of(hits, best)
    if kind == "numeric":
        value = parse_number(response)
        if value is None or best <= 0:
            return ZERO, []
        hits = []
        for option in options:
            target = parse_number(option.get("text") or "")
            tolerance = abs(Decimal(str(option.get("tolerance") or "0")))
            if target is not None and abs(value - target) <= tolerance:
                hits.append(option)
        return _best_of(hits, best)
    if kind == "matching":
        lefts, _ = matching_pairs(snapshot)
        if not isinstance(response, dict) or not lefts:
            return ZERO, []
        matched = sum(
            1
            for left in lefts
            if response.get(left["key"]) == right_key_for(snapshot, left)
        )
        return Decimal(matched) / Decimal(len(lefts)), []
    if kind == "ordering":
        if not isinstance(response, list) or not options:
            return ZERO, []
        in_place = sum(
            1
            for index, option in enumerate(options)
            if index < len(response) and response[index] == option["key"]
        )
        return Decimal(in_place) / Decimal(len(options)), []
    return ZERO, []


def _best_of(hits: list[dict[str, Any]], best: Decimal) -> tuple[Decimal, list[str]]:
    if not hits:
        return ZERO, []
    top = max(hits, key=_fraction)
    return _fraction(top) / best, _feedback([top])


def _feedback(options: list[dict[str, Any]]) -> list[str]:
    return [option["feedback"] for option in options if option.get("feedback")]


def grade(snapshot: dict[str, Any], response: object) -> Grade:
    """Grade `response` (the stored answer, in the format of its kind; None when
    unanswered) against the question's frozen `snapshot`."""
    points = Decimal(str(snapshot["points"])).quantize(CENT, ROUND_HALF_UP)
    if response is None:
        return Grade(ZERO.quantize(CENT), points, False, [])
    share, feedback = _share_and_feedback(snapshot, response)
    share = min(max(share, ZERO), ONE)
    score = (points * share).quantize(CENT, ROUND_HALF_UP)
    score = min(max(score, ZERO), points)
    return Grade(score, points, score == points and points > 0, feedback)


def correct_response(snapshot: dict[str, Any]) -> object:
    """A response that earns every point (the best answer of each kind)."""
    kind = snapshot.get("kind")
    options = _options(snapshot)
    if kind in CHOICE_KINDS or kind in ("short", "numeric"):
        best = max(options, key=_fraction)
        return best["key"] if kind in CHOICE_KINDS else best.get("text") or ""
    if kind == "multiple":
        return [option["key"] for option in options if _fraction(option) > 0]
    if kind == "matching":
        lefts, _ = matching_pairs(snapshot)
        return {left["key"]: right_key_for(snapshot, left) for left in lefts}
    if kind == "ordering":
        return [option["key"] for option in options]
    raise ValueError(f"unknown question kind {kind!r}")


def response_problem(snapshot: dict[str, Any], response: object) -> str:
    """Why a response cannot be stored for this question ("" when it can): a choice
    that is not one of the question's options, a value of the wrong shape, an
    oversized text. Unanswered (None) is always fine."""
    if response is None:
        return ""
    kind = snapshot.get("kind")
    keys = {option["key"] for option in _options(snapshot)}
    if kind in CHOICE_KINDS:
        if isinstance(response, str) and response in keys:
            return ""
        return gettext("Choose one of the answers shown.")
    if kind == "multiple":
        if (
            isinstance(response, list)
            and all(isinstance(key, str) and key in keys for key in response)
            and len(set(response)) == len(response)
        ):
            return ""
        return gettext("Choose among the answers shown.")
    if kind in ("short", "numeric"):
        if not isinstance(response, str):
            return gettext("Type your answer as text.")
        if len(response) > MAX_TEXT_LENGTH:
            return gettext("Answers are at most %(count)s characters long.") % {
                "count": MAX_TEXT_LENGTH
            }
        return ""
    if kind == "matching":
        lefts, rights = matching_pairs(snapshot)
        left_keys = {left["key"] for left in lefts}
        if isinstance(response, dict) and all(
            key in left_keys
            and (value is None or (isinstance(value, str) and value in rights))
            for key, value in response.items()
        ):
            return ""
        return gettext("Match the items shown with the choices shown.")
    if kind == "ordering":
        if (
            isinstance(response, list)
            and all(isinstance(key, str) for key in response)
            and len(response) == len(keys)
            and set(response) == keys
        ):
            return ""
        return gettext("Put every item shown in an order.")
    return gettext("This question cannot be answered.")
