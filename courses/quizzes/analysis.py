"""Item analysis: how each question of a quiz performed in its graded attempts.
Authors read it in the Wagtail admin to find questions that everyone gets right
(they measure nothing) and questions that strong candidates miss more often than
weak ones (negative discrimination: usually a wrong key or a misleading text)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from courses.quizzes.grading import matching_pairs
from courses.quizzes.models import AttemptQuestion, Question, QuizAttempt, QuizPage
from lms.pages import in_source_language

# Kelley's classic split: the top and bottom 27% of attempts by total percent.
GROUP_SHARE = Decimal("0.27")
MIN_ATTEMPTS_FOR_DISCRIMINATION = 10
MIN_ATTEMPTS_FOR_EVERYONE_RIGHT = 5
MOST_COMMON = 5
CHOICE_KINDS = ("single", "multiple", "truefalse")
SHARE_PLACES = Decimal("0.001")


@dataclass
class ResponseCount:
    """How often a response was given: for choice kinds one row per option (in the
    author's order, `right` when it earns points); for the others the most common
    responses as text."""

    label: str
    count: int
    right: bool = False
    key: str = ""


@dataclass
class ItemStats:
    question_id: int | None
    name: str
    kind: str
    text: str
    attempts: int
    correct_share: Decimal | None
    mean_score_share: Decimal | None
    discrimination: Decimal | None
    discrimination_note: str
    distribution: list[ResponseCount] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return _kind_label(self.kind)

    @property
    def correct_percent(self) -> str:
        return _as_percent(self.correct_share)

    @property
    def mean_score_percent(self) -> str:
        return _as_percent(self.mean_score_share)

    @property
    def discrimination_text(self) -> str:
        if self.discrimination is None:
            return "—"
        return f"{self.discrimination:+.2f}"

    @property
    def everyone_right(self) -> bool:
        return (
            self.attempts >= MIN_ATTEMPTS_FOR_EVERYONE_RIGHT and self.correct_share == 1
        )

    @property
    def negative_discrimination(self) -> bool:
        return self.discrimination is not None and self.discrimination < 0


def _kind_label(kind: str) -> str:
    try:
        return str(Question.Kind(kind).label)
    except ValueError:
        return kind


def _as_percent(share: Decimal | None) -> str:
    if share is None:
        return "—"
    return f"{(share * 100).quantize(Decimal('1'), ROUND_HALF_UP)}%"


def _share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, ROUND_HALF_UP)


def item_analysis(*, quiz: QuizPage) -> list[ItemStats]:
    """Per question drawn into the quiz's graded (submitted or expired) attempts, in
    the order questions first appeared: attempts, share correct (full points), mean
    share of the points, discrimination (share correct in the top 27% of attempts by
    total percent minus the bottom 27%; None below 10 attempts, with a note) and the
    distribution of responses. Practice attempts (taken after the right answers were
    shown) are left out. Two queries, however many attempts."""
    attempts = list(
        QuizAttempt.objects.counted()
        .filter(quiz=quiz)
        .order_by("percent", "pk")
        .values_list("pk", "percent")
    )
    rows = list(
        AttemptQuestion.objects.filter(
            attempt__quiz=quiz,
            attempt__state__in=QuizAttempt.GRADED_STATES,
            attempt__practice=False,
        )
        .order_by("attempt_id", "position")
        .values_list("attempt_id", "snapshot", "response", "score", "max_score")
    )
    top, bottom = _groups([pk for pk, _ in attempts])
    by_question: dict[Any, list[tuple[int, dict[str, Any], Any, Decimal, Decimal]]]
    by_question = defaultdict(list)
    for attempt_id, snapshot, response, score, max_score in rows:
        by_question[snapshot.get("question_id")].append(
            (attempt_id, snapshot, response, score or Decimal(0), max_score)
        )
    return [
        _item_stats(question_id, items, top, bottom, len(attempts))
        for question_id, items in by_question.items()
    ]


def _groups(ordered_pks: list[int]) -> tuple[set[int], set[int]]:
    """The top and bottom 27% of attempts (ordered lowest percent first)."""
    if len(ordered_pks) < MIN_ATTEMPTS_FOR_DISCRIMINATION:
        return set(), set()
    size = max(
        1, int((len(ordered_pks) * GROUP_SHARE).to_integral_value(ROUND_HALF_UP))
    )
    return set(ordered_pks[-size:]), set(ordered_pks[:size])


def _is_correct(score: Decimal, max_score: Decimal) -> bool:
    return max_score > 0 and score >= max_score


def _item_stats(
    question_id: int | None,
    items: list[tuple[int, dict[str, Any], Any, Decimal, Decimal]],
    top: set[int],
    bottom: set[int],
    total_attempts: int,
) -> ItemStats:
    snapshot = items[-1][1]
    correct = [_is_correct(score, max_score) for _, _, _, score, max_score in items]
    discrimination: Decimal | None = None
    if total_attempts < MIN_ATTEMPTS_FOR_DISCRIMINATION:
        note = gettext("Needs at least %(needed)s graded attempts (has %(count)s).") % {
            "needed": MIN_ATTEMPTS_FOR_DISCRIMINATION,
            "count": total_attempts,
        }
    else:
        top_hits = [
            ok for (pk, *_), ok in zip(items, correct, strict=True) if pk in top
        ]
        bottom_hits = [
            ok for (pk, *_), ok in zip(items, correct, strict=True) if pk in bottom
        ]
        if not top_hits or not bottom_hits:
            note = gettext(
                "Not drawn in both the top and the bottom group of attempts."
            )
        else:
            p_top = Decimal(sum(top_hits)) / len(top_hits)
            p_bottom = Decimal(sum(bottom_hits)) / len(bottom_hits)
            discrimination = (p_top - p_bottom).quantize(SHARE_PLACES, ROUND_HALF_UP)
            note = ""
    return ItemStats(
        question_id=question_id,
        name=str(
            snapshot.get("name") or gettext("Question %(id)s") % {"id": question_id}
        ),
        kind=str(snapshot.get("kind") or ""),
        text=str(snapshot.get("text") or ""),
        attempts=len(items),
        correct_share=_share(sum(correct), len(items)),
        mean_score_share=_share(
            sum(score for *_, score, _ in items), sum(m for *_, m in items)
        ),
        discrimination=discrimination,
        discrimination_note=note,
        distribution=_distribution(
            snapshot, [response for _, _, response, *_ in items]
        ),
    )


def _distribution(
    snapshot: dict[str, Any], responses: list[Any]
) -> list[ResponseCount]:
    kind = snapshot.get("kind")
    options = snapshot.get("options") or []
    if kind in CHOICE_KINDS:
        counts: Counter[str] = Counter()
        unanswered = 0
        for response in responses:
            keys = response if isinstance(response, list) else [response]
            keys = [k for k in keys if isinstance(k, str)]
            if not keys:
                unanswered += 1
            counts.update(set(keys))
        rows = [
            ResponseCount(
                label=str(option.get("text") or ""),
                count=counts.get(str(option.get("key")), 0),
                right=Decimal(str(option.get("fraction") or "0")) > 0,
                key=str(option.get("key")),
            )
            for option in options
        ]
        if unanswered:
            rows.append(ResponseCount(label=gettext("(no answer)"), count=unanswered))
        return rows
    texts = Counter(_response_text(snapshot, response) for response in responses)
    return [
        ResponseCount(label=label, count=count)
        for label, count in sorted(texts.items(), key=lambda item: (-item[1], item[0]))[
            :MOST_COMMON
        ]
    ]


def _response_text(snapshot: dict[str, Any], response: Any) -> str:
    """A response as an author reads it (option keys turned into their texts)."""
    if response is None or response == "" or response == [] or response == {}:
        return gettext("(no answer)")
    kind = snapshot.get("kind")
    texts = {str(o.get("key")): str(o.get("text") or "") for o in snapshot["options"]}
    if kind == "short" and isinstance(response, str):
        return " ".join(response.split()).casefold()
    if kind == "numeric" and isinstance(response, str):
        return response.strip()
    if kind == "ordering" and isinstance(response, list):
        return " → ".join(texts.get(str(key), "?") for key in response)
    if kind == "matching" and isinstance(response, dict):
        _, rights = matching_pairs(snapshot)
        return "; ".join(
            f"{texts.get(str(left), '?')} → {rights.get(str(right), '?')}"
            for left, right in response.items()
        )
    return str(response)


def common_note(items: list[ItemStats]) -> str:
    """The discrimination note every question shares (e.g. too few attempts), to
    say once rather than on every row; "" when they differ."""
    notes = {item.discrimination_note for item in items}
    return notes.pop() if len(notes) == 1 else ""


def quizzes_for_analysis() -> QuerySet[QuizPage]:
    """Every quiz with the number of its graded attempts, for the admin listing (a
    translation's attempts are its source quiz's)."""
    quizzes: QuerySet[QuizPage] = (
        in_source_language(QuizPage.objects.all())
        .annotate(
            graded_attempts=Count(
                "attempts",
                filter=Q(
                    attempts__state__in=QuizAttempt.GRADED_STATES,
                    attempts__practice=False,
                ),
            )
        )
        .order_by("title", "pk")
    )
    return quizzes
