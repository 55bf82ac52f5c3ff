"""Taking a quiz: starting an attempt (drawing and freezing its questions), saving
answers as the person goes, submitting, and closing attempts whose time ran out.
Everything is decided and graded on the server; a client can only send responses.

A frozen question (`AttemptQuestion.snapshot`) reads:
    {"question_id", "kind", "name", "text", "points": "1.00", "explanation",
     "partial_credit", "options": [{"key": "o<token>", "match_key": "m<token>",
     "text", "match_text", "fraction": "1.00000", "tolerance": "0.000000",
     "feedback"}, ...]}
with the options in the author's order (for ordering questions, the right order).
The keys reach the browser, so they must not give the answer away: they are keyed
hashes of the option (the same in every attempt, for the item analysis), never its
primary key, whose order is the author's (the right order of an ordering question)
and which would pair a matching question's left side with its right one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import random
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from courses.models import LessonCompletion
from courses.quizzes.grading import CENT, grade, response_problem
from courses.quizzes.models import (
    AttemptQuestion,
    Question,
    QuestionBank,
    QuizAttempt,
    QuizPage,
)
from courses.quizzes.selectors import (
    draw_candidates,
    draw_shortage,
    grace,
    is_overdue,
    quiz_status,
)
from courses.quizzes.signals import quiz_attempt_graded
from courses.services import lesson_complete
from lms.accounts.models import User

logger = logging.getLogger(__name__)

# Draws and shuffles must not be predictable from earlier attempts.
_random = random.SystemRandom()

SHUFFLED_KINDS = frozenset({"single", "multiple", "matching"})


class AttemptRefused(Exception):
    """The attempt cannot be started, saved or submitted; str() says why, in words
    for the person."""


def _option_token(purpose: str, option_pk: int) -> str:
    message = f"quiz-option:{purpose}:{option_pk}".encode()
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def question_snapshot(question: Question) -> dict[str, Any]:
    """A question and its answer key as they are frozen into an attempt."""
    return {
        "question_id": question.pk,
        "kind": question.kind,
        "name": question.name,
        "text": question.text,
        "points": str(Decimal(question.points).quantize(CENT, ROUND_HALF_UP)),
        "explanation": question.explanation,
        "partial_credit": question.partial_credit,
        "options": [
            {
                "key": "o" + _option_token("choice", option.pk),
                "match_key": "m" + _option_token("match", option.pk),
                "text": option.text,
                "match_text": option.match_text,
                "fraction": str(Decimal(option.fraction).quantize(Decimal("0.00001"))),
                "tolerance": str(
                    Decimal(option.tolerance).quantize(Decimal("0.000001"))
                ),
                "feedback": option.feedback,
            }
            # Sorted here rather than by the database: the draw prefetched them.
            for option in sorted(
                question.options.all(),
                key=lambda option: (option.sort_order, option.pk),
            )
        ],
    }


def _option_order(question: Question, keys: list[str]) -> list[str]:
    order = list(keys)
    if question.kind == "ordering":
        # Items shown in their right order would give the answer away.
        if len(set(order)) > 1:
            while order == keys:
                _random.shuffle(order)
    elif question.kind in SHUFFLED_KINDS and question.shuffle_options:
        _random.shuffle(order)
    return order


def _draw(quiz: QuizPage, language: str) -> list[Question]:
    """The questions of a new attempt: the fixed ones, and for each draw rule that
    many questions picked at random from its bank (and tag), none twice. A reader of
    `language` draws from the bank's translation into it when there is one."""
    slots = list(quiz.slots.select_related("bank").order_by("sort_order", "pk"))
    used = {slot.question_id for slot in slots if slot.question_id is not None}
    bank_ids = {slot.bank_id for slot in slots if slot.bank_id is not None}
    translated_banks = QuestionBank.for_language(bank_ids, language)
    picked: list[int] = []
    for slot in slots:
        if slot.question_id is not None:
            picked.append(slot.question_id)
            continue
        ids = draw_candidates(slot, translated_banks.get(slot.bank_id), used)
        if len(ids) < slot.draw_count:
            # A translation still being written draws from its source bank.
            ids = draw_candidates(slot, slot.bank_id, used)
        if len(ids) < slot.draw_count:
            raise AttemptRefused(
                draw_shortage(quiz) or gettext("This quiz cannot start.")
            )
        chosen = _random.sample(ids, slot.draw_count)
        used.update(chosen)
        picked.extend(chosen)
    by_pk = Question.objects.prefetch_related("options").in_bulk(picked)
    questions = [by_pk[pk] for pk in picked if pk in by_pk]
    if quiz.shuffle_questions:
        _random.shuffle(questions)
    return questions


def attempt_start(
    *, user: User, quiz: QuizPage, language: str = settings.LANGUAGE_CODE
) -> QuizAttempt:
    """Start an attempt at the quiz for the person (the quiz page's Start button), or
    return their open one (Resume). The questions are drawn and frozen now; later
    edits of the bank do not change this attempt. `quiz` is the source page (a
    translation's attempts count for it); the questions come from the banks of the
    reader's `language` where the quiz's banks have one.

    Refused (AttemptRefused) when the quiz is not live or its course is locked for
    the person, when no attempts are left, during the waiting time after the last
    attempt, or when a draw rule asks for more questions than its bank has. Passing
    does not stop further attempts while attempts remain."""
    attempts_close_expired(user=user)
    try:
        return _attempt_start(user=user, quiz=quiz, language=language)
    except IntegrityError:
        # Another request started one at the same moment: the constraints kept one.
        existing = QuizAttempt.objects.filter(
            quiz=quiz, user=user, state=QuizAttempt.State.IN_PROGRESS
        ).first()
        if existing is not None:
            return existing
        raise AttemptRefused(
            gettext("Another attempt was started at the same moment; reload the page.")
        ) from None


@transaction.atomic
def _attempt_start(*, user: User, quiz: QuizPage, language: str) -> QuizAttempt:
    # One start at a time per person: two simultaneous clicks make one attempt.
    User.objects.select_for_update().filter(pk=user.pk).first()
    quiz = QuizPage.objects.get(pk=quiz.pk)
    now = timezone.now()
    status = quiz_status(user=user, quiz=quiz, now=now)
    if status.open_attempt is not None:
        return status.open_attempt
    if not status.can_start:
        raise AttemptRefused(status.refusal)
    questions = _draw(quiz, language)
    if not questions:
        raise AttemptRefused(gettext("This quiz has no questions yet."))
    number = (
        QuizAttempt.objects.filter(quiz=quiz, user=user).aggregate(n=Max("number"))["n"]
        or 0
    ) + 1
    attempt = QuizAttempt.objects.create(
        quiz=quiz,
        quiz_title=quiz.title,
        user=user,
        number=number,
        started_at=now,
        deadline=now + dt.timedelta(minutes=quiz.time_limit_minutes)
        if quiz.time_limit_minutes
        else None,
        pass_mark_percent=quiz.pass_mark_percent,
        practice=status.next_is_practice,
    )
    items = []
    total = Decimal("0")
    for position, question in enumerate(questions, start=1):
        snapshot = question_snapshot(question)
        keys = [option["key"] for option in snapshot["options"]]
        points = Decimal(snapshot["points"])
        total += points
        items.append(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                question=question,
                snapshot=snapshot,
                option_order=_option_order(question, keys),
                max_score=points,
            )
        )
    AttemptQuestion.objects.bulk_create(items)
    attempt.max_score = total
    attempt.save(update_fields=["max_score"])
    return attempt


_CLOSED_MESSAGES: dict[str, Promise] = {
    QuizAttempt.State.SUBMITTED: gettext_lazy(
        "This attempt is closed: it was already handed in."
    ),
    QuizAttempt.State.EXPIRED: gettext_lazy(
        "This attempt is closed: its time ran out, and it "
        "was graded on the answers saved in time."
    ),
    QuizAttempt.State.ABANDONED: gettext_lazy(
        "This attempt is closed: the quiz was withdrawn."
    ),
}


def _locked_own_open(attempt: QuizAttempt, user: User) -> QuizAttempt:
    locked = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
    if locked.user_id != user.pk:
        raise AttemptRefused(gettext("This attempt is not yours."))
    if locked.state != QuizAttempt.State.IN_PROGRESS:
        raise AttemptRefused(str(_CLOSED_MESSAGES[locked.state]))
    return locked


def _store(
    attempt: QuizAttempt, responses: dict[Any, object], now: dt.datetime
) -> None:
    """Check every response against the question it answers, then store them all;
    one bad response stores nothing."""
    items = {item.position: item for item in attempt.questions.all()}
    changed = []
    for raw_position, response in responses.items():
        try:
            position = int(raw_position)
        except (TypeError, ValueError):
            raise AttemptRefused(
                gettext("“%(position)s” is not a question.")
                % {"position": raw_position}
            ) from None
        item = items.get(position)
        if item is None or str(position) != str(raw_position).strip():
            raise AttemptRefused(
                gettext("This attempt has no question %(position)s.")
                % {"position": raw_position}
            )
        problem = response_problem(item.snapshot, response)
        if problem:
            raise AttemptRefused(
                gettext("Question %(position)s: %(problem)s")
                % {"position": position, "problem": problem}
            )
        item.response = response
        item.saved_at = now
        changed.append(item)
    AttemptQuestion.objects.bulk_update(changed, ["response", "saved_at"])


@transaction.atomic
def attempt_save(
    *, attempt: QuizAttempt, user: User, responses: dict[int, object]
) -> QuizAttempt:
    """Store answers as the person goes (keys are question positions), so a reload
    loses nothing. Refused for someone else's or a closed attempt, after the time
    limit plus grace (server clock), or when a response does not fit its question;
    a refusal changes nothing."""
    locked = _locked_own_open(attempt, user)
    now = timezone.now()
    if is_overdue(locked, now):
        raise AttemptRefused(gettext("Time is up: answers can no longer be saved."))
    if locked.quiz is None or not locked.quiz.live:
        raise AttemptRefused(gettext("This quiz has been withdrawn."))
    _store(locked, responses, now)
    return locked


@transaction.atomic
def attempt_submit(
    *,
    attempt: QuizAttempt,
    user: User,
    responses: dict[int, object] | None = None,
) -> QuizAttempt:
    """Hand the attempt in: store the responses sent with it, then grade. After the
    time limit plus grace the responses sent now are ignored and the attempt closes
    as expired, graded on what was saved in time. A second submit, or one for a
    closed attempt, is refused and changes nothing."""
    locked = _locked_own_open(attempt, user)
    now = timezone.now()
    if locked.quiz is None or not locked.quiz.live:
        raise AttemptRefused(gettext("This quiz has been withdrawn."))
    if is_overdue(locked, now):
        _close_and_grade(locked, state=QuizAttempt.State.EXPIRED, now=now)
        return locked
    if responses:
        _store(locked, responses, now)
    _close_and_grade(locked, state=QuizAttempt.State.SUBMITTED, now=now)
    return locked


def _close_and_grade(attempt: QuizAttempt, *, state: str, now: dt.datetime) -> None:
    items = list(attempt.questions.all())
    total = Decimal("0")
    maximum = Decimal("0")
    for item in items:
        result = grade(item.snapshot, item.response)
        item.score = result.score
        item.max_score = result.max_score
        total += result.score
        maximum += result.max_score
    AttemptQuestion.objects.bulk_update(items, ["score", "max_score"])
    # Rounded down: 79.995% must neither pass an 80% mark nor read as 80.00%.
    percent = (
        (total * 100 / maximum).quantize(CENT, ROUND_DOWN)
        if maximum
        else Decimal("0.00")
    )
    attempt.state = state
    attempt.closed_at = now
    attempt.score = total
    attempt.max_score = maximum
    attempt.percent = percent
    attempt.passed = percent >= attempt.pass_mark_percent
    attempt.save(
        update_fields=["state", "closed_at", "score", "max_score", "percent", "passed"]
    )
    quiz = attempt.quiz
    if attempt.passed and not attempt.practice and quiz is not None and quiz.live:
        lesson_complete(
            user=attempt.user, lesson=quiz, how=LessonCompletion.How.QUIZ_PASSED
        )
    transaction.on_commit(
        lambda: quiz_attempt_graded.send(sender=QuizAttempt, attempt=attempt)
    )


def attempt_answers_shown(*, attempt: QuizAttempt, user: User) -> None:
    """Note that the attempt's owner has seen its review with the right answers
    (the first time only): from then on their new attempts at the quiz in this
    cycle are practice (`selectors.answers_shown_this_cycle`). Someone else
    reading the review (a manager, a coach) changes nothing."""
    if attempt.user_id != user.pk or attempt.answers_shown_at is not None:
        return
    now = timezone.now()
    QuizAttempt.objects.filter(pk=attempt.pk, answers_shown_at__isnull=True).update(
        answers_shown_at=now
    )
    attempt.answers_shown_at = now


def attempts_close_expired(
    *, now: dt.datetime | None = None, user: User | None = None
) -> int:
    """Close what nobody will hand in (beat task, every minute; also before a
    person starts an attempt, for their own): attempts past their time limit plus
    grace are graded on what was saved in time (expired); open attempts of quizzes
    that were unpublished or deleted are abandoned, ungraded. Returns how many
    attempts it closed. Idempotent: each attempt is closed once, under a lock."""
    now = now or timezone.now()
    open_attempts = QuizAttempt.objects.filter(state=QuizAttempt.State.IN_PROGRESS)
    if user is not None:
        open_attempts = open_attempts.filter(user=user)
    # One UPDATE, conditional on the state: a submit that got there first wins.
    closed = open_attempts.filter(Q(quiz__isnull=True) | Q(quiz__live=False)).update(
        state=QuizAttempt.State.ABANDONED, closed_at=now
    )
    overdue = list(
        open_attempts.filter(deadline__lt=now - grace()).values_list("pk", flat=True)
    )
    for pk in overdue:
        with transaction.atomic():
            attempt = (
                QuizAttempt.objects.select_for_update()
                .filter(pk=pk, state=QuizAttempt.State.IN_PROGRESS)
                .first()
            )
            if attempt is None or not is_overdue(attempt, now):
                continue
            _close_and_grade(attempt, state=QuizAttempt.State.EXPIRED, now=now)
            closed += 1
    if closed and user is None:
        logger.info("Closed %d quiz attempts", closed)
    return closed
