"""What the quiz pages may show a person: where they stand with a quiz, the questions
of an open attempt (never their answer keys), and the review of a closed one."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from courses.models import CoursePage
from courses.quizzes.grading import (
    correct_response,
    grade,
    matching_pairs,
)
from courses.quizzes.models import (
    AttemptQuestion,
    Question,
    QuizAttempt,
    QuizPage,
    QuizSlot,
)
from courses.selectors import course_cycle_start, lock_reason
from lms.accounts.models import User
from lms.lib import clock


def grace() -> dt.timedelta:
    return dt.timedelta(seconds=settings.QUIZ_GRACE_SECONDS)


def is_overdue(attempt: QuizAttempt, now: dt.datetime | None = None) -> bool:
    """Past its deadline and the grace period: nothing more may be saved."""
    if attempt.deadline is None:
        return False
    return (now or timezone.now()) > attempt.deadline + grace()


@dataclass
class QuizStatus:
    """Where a person stands with a quiz. `can_start` is true when pressing Start
    (or Resume, with `open_attempt`) would work; otherwise `refusal` says why."""

    attempts: list[QuizAttempt]
    open_attempt: QuizAttempt | None
    attempts_left: int | None
    can_start: bool
    refusal: str
    next_start_at: dt.datetime | None
    passed: bool
    best_percent: Decimal | None
    attempts_used: int = 0
    # The right answers have been shown to the person in this cycle: an attempt
    # started now is practice (see `answers_shown_this_cycle`).
    next_is_practice: bool = False


def _local(moment: dt.datetime, user: User) -> str:
    local = timezone.localtime(moment, clock.zone(user.time_zone))
    return f"{formats.date_format(local, 'SHORT_DATETIME_FORMAT')} ({local.tzname()})"


def draw_candidates(slot: QuizSlot, bank_id: int | None, used: set[int]) -> list[int]:
    """The questions a draw rule may pick from bank `bank_id` (with the rule's tag),
    leaving out those already drawn or fixed (`used`)."""
    if bank_id is None:
        return []
    candidates = Question.objects.filter(bank_id=bank_id).exclude(pk__in=used)
    if slot.tag:
        candidates = candidates.filter(tags__name__iexact=slot.tag)
    return sorted(set(candidates.values_list("pk", flat=True)))


def draw_shortage(quiz: QuizPage) -> str:
    """Why the quiz cannot be drawn ("" when it can): a draw rule asking for more
    questions than its bank holds with that tag (fixed questions not counted twice)."""
    slots = list(quiz.slots.select_related("bank").order_by("sort_order", "pk"))
    used = {slot.question_id for slot in slots if slot.question_id is not None}
    for slot in slots:
        if slot.bank is None:
            continue
        ids = draw_candidates(slot, slot.bank_id, used)
        if len(ids) < slot.draw_count:
            values = {
                "count": slot.draw_count,
                "bank": slot.bank.name,
                "tag": slot.tag,
                "left": len(ids),
            }
            if slot.tag:
                return (
                    ngettext(
                        "This quiz cannot start: it draws %(count)s question from the "
                        "bank “%(bank)s” tagged “%(tag)s”, which has only %(left)s "
                        "left to draw. Please tell the quiz's author.",
                        "This quiz cannot start: it draws %(count)s questions from the "
                        "bank “%(bank)s” tagged “%(tag)s”, which has only %(left)s "
                        "left to draw. Please tell the quiz's author.",
                        slot.draw_count,
                    )
                    % values
                )
            return (
                ngettext(
                    "This quiz cannot start: it draws %(count)s question from the "
                    "bank “%(bank)s”, which has only %(left)s left to draw. Please "
                    "tell the quiz's author.",
                    "This quiz cannot start: it draws %(count)s questions from the "
                    "bank “%(bank)s”, which has only %(left)s left to draw. Please "
                    "tell the quiz's author.",
                    slot.draw_count,
                )
                % values
            )
        used.update(ids[: slot.draw_count])
    return ""


def quiz_status(
    *, user: User, quiz: QuizPage, now: dt.datetime | None = None
) -> QuizStatus:
    """The person's attempts (newest first) and whether they may start another.

    Attempts abandoned because the quiz was withdrawn do not count against the
    maximum. An open attempt past its time limit counts as used (the server closes
    it). Passing does not end the quiz: the person may try again while attempts
    remain (to improve their score, or in a new cycle of recurring training)."""
    now = now or timezone.now()
    course = CoursePage.objects.get(pk=quiz.get_parent().pk)
    attempts = list(
        QuizAttempt.objects.filter(quiz=quiz, user=user).order_by(
            "-started_at", "-number"
        )
    )
    # In a new cycle of recurring training or recertification the quiz starts
    # afresh: earlier cycles' attempts stay in the history but no longer count.
    cycle_start = course_cycle_start(user=user, course=course)
    this_cycle = [
        a for a in attempts if cycle_start is None or a.started_at >= cycle_start
    ]
    open_attempt = next(
        (
            a
            for a in attempts
            if a.state == QuizAttempt.State.IN_PROGRESS and not is_overdue(a, now)
        ),
        None,
    )
    used = sum(a.state != QuizAttempt.State.ABANDONED for a in this_cycle)
    attempts_left = (
        None if quiz.max_attempts is None else max(0, quiz.max_attempts - used)
    )
    graded = [a for a in this_cycle if a.is_graded]
    counted = [a for a in graded if not a.practice]
    passed = any(a.passed for a in counted)
    best_percent = max(
        (a.percent for a in counted if a.percent is not None), default=None
    )
    next_start_at = None
    last_closed = max(
        (a.closed_at for a in graded if a.closed_at is not None), default=None
    )
    if last_closed is not None and quiz.wait_minutes:
        end_of_wait = last_closed + dt.timedelta(minutes=quiz.wait_minutes)
        if end_of_wait > now:
            next_start_at = end_of_wait
    refusal = ""
    if not quiz.live:
        refusal = gettext("This quiz is not open.")
    elif reason := lock_reason(user=user, course=course):
        refusal = reason
    elif open_attempt is not None:
        refusal = ""
    elif attempts_left == 0:
        refusal = (
            ngettext(
                "You have used your %(count)s attempt at this quiz.",
                "You have used all %(count)s attempts at this quiz.",
                quiz.max_attempts,
            )
            % {"count": quiz.max_attempts}
            if quiz.max_attempts
            else gettext("This quiz allows no attempts.")
        )
    elif next_start_at is not None:
        refusal = gettext("You can try again from %(moment)s.") % {
            "moment": _local(next_start_at, user)
        }
    else:
        refusal = draw_shortage(quiz)
    return QuizStatus(
        attempts=attempts,
        open_attempt=open_attempt,
        attempts_left=attempts_left,
        can_start=not refusal,
        refusal=refusal,
        next_start_at=next_start_at,
        passed=passed,
        best_percent=best_percent,
        attempts_used=used,
        next_is_practice=answers_shown_this_cycle(
            attempts=attempts, cycle_start=cycle_start
        ),
    )


def answers_shown_this_cycle(
    *, attempts: Iterable[QuizAttempt], cycle_start: dt.datetime | None
) -> bool:
    """The practice rule, in one place. `attempts` are the person's attempts at one
    quiz; `cycle_start` is when their current cycle of its course began (None when
    no cycle runs). Once the review of any of these attempts has shown them the
    right answers in the current cycle, every attempt they start afterwards in that
    cycle is practice: graded and shown as practice, but it never counts toward
    passing, the best score, My team or certification
    (`QuizAttempt.objects.counted()`). A new cycle starts afresh."""
    return any(
        attempt.answers_shown_at is not None
        and (cycle_start is None or attempt.answers_shown_at >= cycle_start)
        for attempt in attempts
    )


# Showing the questions of an open attempt.


@dataclass(frozen=True)
class DisplayOption:
    key: str
    text: str


@dataclass
class DisplayQuestion:
    """A question as the person answering it may see it: no fractions, feedback,
    pairs, tolerances or explanations. `options` are the choices (or the items to
    order, or the left sides to match) in the order shown; short and numeric
    questions have none, since their options are the accepted answers."""

    position: int
    kind: str
    text: str
    points: Decimal
    options: list[DisplayOption]
    lefts: list[DisplayOption] = field(default_factory=list)
    rights: list[DisplayOption] = field(default_factory=list)
    response: Any = None


def _ordered(item: AttemptQuestion) -> list[dict[str, Any]]:
    by_key = {option["key"]: option for option in item.snapshot.get("options", [])}
    return [by_key[key] for key in item.option_order if key in by_key]


def _rights_shown(item: AttemptQuestion) -> list[DisplayOption]:
    """The right-hand choices of a matching question in a shuffled order that stays
    the same for this attempt question (seeded by it, so reloads agree). The seed
    is keyed with the secret key: a seed the person could rebuild would let them
    undo the shuffle and read the pairs off the author's order."""
    _, rights = matching_pairs(item.snapshot)
    shown = [DisplayOption(key, text) for key, text in rights.items()]
    seed = hmac.new(
        settings.SECRET_KEY.encode(),
        f"quiz-rights:{item.attempt_id}:{item.position}".encode(),
        hashlib.sha256,
    ).hexdigest()
    random.Random(seed).shuffle(shown)
    return shown


def _display(item: AttemptQuestion) -> DisplayQuestion:
    snapshot = item.snapshot
    kind = snapshot["kind"]
    question = DisplayQuestion(
        position=item.position,
        kind=kind,
        text=snapshot["text"],
        points=Decimal(str(snapshot["points"])),
        options=[],
        response=item.response,
    )
    if kind in ("single", "multiple", "truefalse", "ordering"):
        question.options = [
            DisplayOption(option["key"], option.get("text") or "")
            for option in _ordered(item)
        ]
    elif kind == "matching":
        lefts, _ = matching_pairs(snapshot)
        left_keys = {left["key"] for left in lefts}
        question.lefts = [
            DisplayOption(option["key"], option.get("text") or "")
            for option in _ordered(item)
            if option["key"] in left_keys
        ]
        question.options = question.lefts
        question.rights = _rights_shown(item)
    return question


def questions_for_display(attempt: QuizAttempt) -> list[DisplayQuestion]:
    """The attempt's questions in their frozen order, with the saved responses."""
    return [_display(item) for item in attempt.questions.order_by("position").all()]


# Reviewing a closed attempt.


@dataclass(frozen=True)
class ReviewOption:
    """One option as reviewed: whether the person chose it, and, only when the
    answers are revealed, whether it is right (`right` is None otherwise)."""

    key: str
    text: str
    chosen: bool
    right: bool | None


@dataclass
class ReviewedQuestion:
    """A graded question: what was answered (`response`, and `response_text` to
    read), the points, the feedback of what was chosen, the explanation, and the
    right answer (`correct_text`, `correct_response`) only when revealed."""

    position: int
    kind: str
    text: str
    response: Any
    response_text: str
    score: Decimal
    max_score: Decimal
    correct: bool
    feedback: list[str]
    explanation: str
    options: list[ReviewOption]
    correct_text: str | None
    correct_response: Any = None


def _texts(snapshot: dict[str, Any]) -> dict[str, str]:
    texts = {o["key"]: o.get("text") or "" for o in snapshot.get("options", [])}
    texts.update(matching_pairs(snapshot)[1])
    return texts


def response_text(snapshot: dict[str, Any], response: Any) -> str:
    """A response as a person reads it: the chosen options, the typed text, the
    pairs, the order."""
    if response is None:
        return gettext("No answer")
    texts = _texts(snapshot)
    kind = snapshot["kind"]
    if kind in ("single", "truefalse"):
        return texts.get(response, "")
    if kind == "multiple":
        return "; ".join(texts.get(key, "") for key in response) or gettext("No answer")
    if kind == "matching":
        return "; ".join(
            f"{texts.get(left, '')} → {texts.get(right, '') if right else '—'}"
            for left, right in response.items()
        )
    if kind == "ordering":
        return " → ".join(texts.get(key, "") for key in response)
    return str(response)


def answers_revealed(attempt: QuizAttempt) -> bool:
    """Whether the review may show the right answers, by the quiz's "show answers"
    setting: never; after passing (once the person has passed this quiz); after the
    last attempt (once no attempts are left and none is open)."""
    if not attempt.is_graded:
        return False
    quiz = attempt.quiz
    if quiz is None:
        return False
    mine = QuizAttempt.objects.filter(quiz=quiz, user_id=attempt.user_id)
    # Only the current cycle counts: answers seen in an earlier cycle must not be
    # shown again before the person has earned them in this one.
    cycle_start = course_cycle_start(
        user=attempt.user, course=CoursePage.objects.get(pk=quiz.get_parent().pk)
    )
    if cycle_start is not None:
        mine = mine.filter(started_at__gte=cycle_start)
    if quiz.show_answers == QuizPage.ShowAnswers.AFTER_PASSING:
        return mine.counted().filter(passed=True).exists()
    if quiz.show_answers == QuizPage.ShowAnswers.AFTER_LAST_ATTEMPT:
        if quiz.max_attempts is None:
            return False
        counts = mine.aggregate(
            used=Count("pk", filter=~Q(state=QuizAttempt.State.ABANDONED)),
            open=Count("pk", filter=Q(state=QuizAttempt.State.IN_PROGRESS)),
        )
        return counts["used"] >= quiz.max_attempts and not counts["open"]
    return False


@dataclass
class AttemptReview:
    """A closed attempt as graded, and whether its right answers are shown."""

    questions: list[ReviewedQuestion]
    revealed: bool


def attempt_review(attempt: QuizAttempt) -> AttemptReview:
    """Each question of a closed attempt as graded. Raises ValueError for an attempt
    still in progress: nothing of its key may be shown yet."""
    if attempt.state == QuizAttempt.State.IN_PROGRESS:
        raise ValueError("The attempt is still in progress.")
    revealed = answers_revealed(attempt)
    reviewed = []
    for item in attempt.questions.order_by("position").all():
        snapshot = item.snapshot
        result = grade(snapshot, item.response)
        right = correct_response(snapshot) if revealed else None
        chosen = _chosen_keys(snapshot["kind"], item.response)
        right_keys = _chosen_keys(snapshot["kind"], right) if revealed else set()
        options = []
        if snapshot["kind"] in ("single", "multiple", "truefalse"):
            options = [
                ReviewOption(
                    option["key"],
                    option.get("text") or "",
                    option["key"] in chosen,
                    option["key"] in right_keys if revealed else None,
                )
                for option in _ordered(item)
            ]
        reviewed.append(
            ReviewedQuestion(
                position=item.position,
                kind=snapshot["kind"],
                text=snapshot["text"],
                response=item.response,
                response_text=response_text(snapshot, item.response),
                score=item.score if item.score is not None else result.score,
                max_score=result.max_score,
                correct=result.correct,
                feedback=result.chosen_feedback,
                explanation=snapshot.get("explanation") or "",
                options=options,
                correct_text=_correct_text(snapshot) if revealed else None,
                correct_response=right,
            )
        )
    return AttemptReview(reviewed, revealed)


def _chosen_keys(kind: str, response: Any) -> set[str]:
    if kind in ("single", "truefalse") and isinstance(response, str):
        return {response}
    if kind == "multiple" and isinstance(response, list):
        return {key for key in response if isinstance(key, str)}
    return set()


def _correct_text(snapshot: dict[str, Any]) -> str:
    kind = snapshot["kind"]
    options = snapshot.get("options") or []
    if kind in ("short", "numeric") and options:
        fractions = [Decimal(str(o.get("fraction") or 0)) for o in options]
        best = max(fractions)
        tops = [o for o, f in zip(options, fractions, strict=True) if f == best]
        if kind == "short":
            accepted = dict.fromkeys((o.get("text") or "").strip() for o in tops)
            return " or ".join(text for text in accepted if text)
        tolerance = Decimal(str(tops[0].get("tolerance") or 0)).normalize()
        within = f" ± {tolerance:f}" if tolerance else ""
        return f"{tops[0].get('text')}{within}"
    return response_text(snapshot, correct_response(snapshot))


def quiz_page_context(*, user: User, quiz: QuizPage) -> dict[str, Any]:
    """What the quiz page shows besides the lesson body: the person's attempts and
    whether (or when) they may start one."""
    slots = quiz.slots.all()
    return {
        "quiz_status": quiz_status(user=user, quiz=quiz),
        "question_count": sum(
            1 if slot.question_id else slot.draw_count for slot in slots
        ),
    }
