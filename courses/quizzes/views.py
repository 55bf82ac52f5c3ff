"""The pages a rep uses to take a quiz: start, answer (saved as they go), submit,
and the result. Only the attempt's owner may answer it; the result is also open,
read-only, to the people who may see the owner (managers, coaches, admins).

Views stay thin: the services decide what is allowed and grade; the selectors decide
what may be shown. What the browser posts is only ever turned into responses in the
contract's format, checked against the keys the attempt showed."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.quizzes import selectors, services
from courses.quizzes.hints import result_hints
from courses.quizzes.models import QuizAttempt, QuizPage
from courses.quizzes.selectors import DisplayQuestion
from courses.selectors import lesson_context
from lms.accounts.models import User
from lms.accounts.visibility import can_see_user
from lms.lib.durations import format_duration
from lms.lib.requests import SignedInRequest
from lms.pages import in_source_language

Responses = dict[int, object]


ServeChain = Callable[[Any, HttpRequest, Any, Any], HttpResponse]

# Answers longer than this are cut: a short answer or a number never needs more.
MAX_TEXT_ANSWER = 500

# Saving and submitting are each one transaction: when the database goes away in the
# middle, nothing of that request was stored. Said without touching the database
# (no template, no message), since it may still be away.
DATABASE_LOST = gettext_lazy(
    "We lost the connection to the database, so this was not saved; nothing was "
    "half-saved. Your answers are still on the page: try again in a moment."
)


# Reading what the browser sent.


def _option_keys(question: DisplayQuestion) -> list[str]:
    return [option.key for option in question.options]


class AnswerRefused(ValueError):
    """A response names a choice the attempt never showed, or has the wrong shape
    for its question: the whole save is refused and nothing is stored."""


def _refuse(question: DisplayQuestion, value: object) -> AnswerRefused:
    shown = value if isinstance(value, str) else json.dumps(value)[:80]
    return AnswerRefused(
        gettext(
            "Question %(position)s: “%(shown)s” is not one of its answers. "
            "Nothing was saved; reload the page."
        )
        % {"position": question.position, "shown": shown}
    )


def _clean_response(question: DisplayQuestion, raw: object) -> object:
    """The response in the contract's format for this kind, or None (unanswered)
    when `raw` is empty. Raises AnswerRefused when `raw` names a key the attempt
    never showed or has the wrong shape: such a save must change nothing (silently
    dropping the key would clear the stored answer)."""
    kind = question.kind
    if raw is None or raw == "":
        return None
    if kind in ("single", "truefalse"):
        if isinstance(raw, str) and raw in _option_keys(question):
            return raw
        raise _refuse(question, raw)
    if kind in ("short", "numeric"):
        if not isinstance(raw, str):
            raise AnswerRefused(
                gettext(
                    "Question %(position)s: the answer must be text. Nothing was saved."
                )
                % {"position": question.position}
            )
        text = raw.strip()[:MAX_TEXT_ANSWER]
        return text or None
    if kind == "multiple":
        if not isinstance(raw, list):
            raise _refuse(question, raw)
        allowed = _option_keys(question)
        for key in raw:
            if key not in allowed:
                raise _refuse(question, key)
        chosen = [key for key in allowed if key in raw]
        return chosen or None
    if kind == "matching":
        if not isinstance(raw, dict):
            raise _refuse(question, raw)
        lefts = {left.key for left in question.lefts}
        rights = {right.key for right in question.rights}
        for left, right in raw.items():
            if left not in lefts:
                raise _refuse(question, left)
            if right in (None, ""):
                continue
            if not isinstance(right, str) or right not in rights:
                raise _refuse(question, right)
        pairs = {key: value for key, value in raw.items() if value not in (None, "")}
        return pairs or None
    if kind == "ordering":
        keys = _option_keys(question)
        if not isinstance(raw, list) or sorted(map(str, raw)) != sorted(keys):
            raise AnswerRefused(
                gettext(
                    "Question %(position)s: the order must list every item "
                    "shown exactly once. Nothing was saved."
                )
                % {"position": question.position}
            )
        return [str(key) for key in raw]
    raise _refuse(question, raw)


def _raw_from_form(question: DisplayQuestion, data: QueryDict) -> object:
    field = f"q{question.position}"
    if question.kind == "ordering":
        # The items are always on the form in some order; they answer the question
        # only once the person has moved one (or saved an order before).
        return data.getlist(field) if data.get(f"{field}-touched") else None
    if question.kind == "multiple":
        return data.getlist(field)
    if question.kind == "matching":
        return {
            left.key: data.get(f"{field}-{left.key}", "") for left in question.lefts
        }
    return data.get(field)


def responses_from_form(data: QueryDict, questions: list[DisplayQuestion]) -> Responses:
    """The answers to the questions the form showed: each rendered question posts a
    hidden `shown` marker, so an unticked set of checkboxes still counts as
    "unanswered now" rather than "not on this page"."""
    shown = set(data.getlist("shown"))
    return {
        question.position: _clean_response(question, _raw_from_form(question, data))
        for question in questions
        if str(question.position) in shown
    }


def responses_from_json(body: bytes, questions: list[DisplayQuestion]) -> Responses:
    """`{"responses": {"<position>": <response>, ...}}`, as the contract spells
    responses. Raises ValueError when the body is not that shape."""
    data = json.loads(body)
    if not isinstance(data, dict) or not isinstance(data.get("responses"), dict):
        raise ValueError('Expected {"responses": {position: answer}}.')
    by_position = {str(question.position): question for question in questions}
    unknown = set(data["responses"]) - set(by_position)
    if unknown:
        raise ValueError(f"No question at position {', '.join(sorted(unknown))}.")
    return {
        question.position: _clean_response(question, data["responses"][key])
        for key, question in by_position.items()
        if key in data["responses"]
    }


# What the form shows.


@dataclass(frozen=True)
class Choice:
    key: str
    text: str
    chosen: bool = False


@dataclass(frozen=True)
class Left:
    key: str
    text: str
    chosen: str  # the key of the right-hand choice picked for it, or ""


@dataclass(frozen=True)
class QuestionForm:
    """A question ready for the form: choices marked as chosen, matching rows with
    their pick, ordering items in the person's current order. Built only from what
    `questions_for_display` allows to be shown."""

    position: int
    kind: str
    text: str
    points: Decimal
    field: str
    choices: list[Choice]
    lefts: list[Left]
    rights: list[Choice]
    value: str
    answered: bool


def question_form(question: DisplayQuestion) -> QuestionForm:
    response = question.response
    texts = {option.key: option.text for option in question.options}
    if question.kind == "ordering":
        order = response if isinstance(response, list) else list(texts)
        choices = [Choice(key, texts[key]) for key in order if key in texts]
    else:
        chosen = (
            set(response)
            if isinstance(response, list)
            else {response}
            if isinstance(response, str)
            else set()
        )
        choices = [
            Choice(option.key, option.text, option.key in chosen)
            for option in question.options
        ]
    pairs = response if isinstance(response, dict) else {}
    return QuestionForm(
        position=question.position,
        kind=question.kind,
        text=question.text,
        points=question.points,
        field=f"q{question.position}",
        choices=choices if question.kind != "matching" else [],
        lefts=[
            Left(left.key, left.text, str(pairs.get(left.key) or ""))
            for left in question.lefts
        ],
        rights=[Choice(right.key, right.text) for right in question.rights],
        value=response if isinstance(response, str) else "",
        answered=response is not None,
    )


def _apply_move(responses: Responses, move: str) -> None:
    """The no-JS Up / Down buttons of an ordering question: "<position>:<key>:up"."""
    position, _, rest = move.partition(":")
    key, _, direction = rest.rpartition(":")
    if not position.isdigit():
        return
    order = responses.get(int(position))
    if not isinstance(order, list) or key not in order:
        return
    index = order.index(key)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]


# Whose attempt it is.


def _own_open_quiz_attempt(request: SignedInRequest, pk: int) -> QuizAttempt:
    """The viewer's own attempt at a quiz that still exists; anyone else's is 404."""
    attempt = (
        QuizAttempt.objects.select_related("quiz")
        .filter(pk=pk, user=request.user, quiz__isnull=False)
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


def _wants_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json" or (
        "application/json" in request.headers.get("Accept", "")
    )


def _seconds_left(attempt: QuizAttempt) -> int | None:
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


# Views.


@login_required
@require_POST
def quiz_start(request: SignedInRequest, page_id: int) -> HttpResponse:
    """Start an attempt, or resume the open one."""
    quiz = get_object_or_404(in_source_language(QuizPage.objects.live()), pk=page_id)
    try:
        attempt = services.attempt_start(
            user=request.user, quiz=quiz, language=get_language()
        )
    except services.AttemptRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(quiz.url)
    return redirect("quiz_attempt", attempt.pk)


@login_required
@require_GET
def quiz_attempt(request: SignedInRequest, pk: int) -> HttpResponse:
    """The questions, all on one page or one per page, with the saved answers."""
    attempt = _own_open_quiz_attempt(request, pk)
    if attempt.state == QuizAttempt.State.IN_PROGRESS and selectors.is_overdue(attempt):
        # Time ran out while the person was away: the server closes it now.
        services.attempts_close_expired(user=request.user)
        attempt.refresh_from_db()
    if attempt.state != QuizAttempt.State.IN_PROGRESS:
        return redirect("quiz_attempt_result", attempt.pk)
    questions = selectors.questions_for_display(attempt)
    quiz = attempt.quiz
    assert quiz is not None
    per_question = quiz.layout == QuizPage.Layout.PER_QUESTION and len(questions) > 1
    current = 1
    if per_question:
        try:
            current = min(max(int(request.GET.get("q", 1)), 1), len(questions))
        except ValueError:
            current = 1
    shown = [questions[current - 1]] if per_question else questions
    return render(
        request,
        "quizzes/attempt.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "course": quiz.get_parent(),
            "questions": questions,
            "forms": [question_form(question) for question in shown],
            "per_question": per_question,
            "current": current,
            "previous": current - 1 if per_question and current > 1 else None,
            "next": current + 1 if per_question and current < len(questions) else None,
            "answered": sum(q.response is not None for q in questions),
            "seconds_left": _seconds_left(attempt),
            "seconds_left_display": format_duration(_seconds_left(attempt)),
        },
    )


@login_required
@require_POST
def quiz_attempt_save(request: SignedInRequest, pk: int) -> HttpResponse:
    """Save answers as the person goes: JSON for the page's autosave, or the form
    posted by Previous / Next / a question number / Submit (works without JS)."""
    attempt = _own_open_quiz_attempt(request, pk)
    questions = selectors.questions_for_display(attempt)
    as_json = _wants_json(request)
    try:
        if request.content_type == "application/json":
            responses = responses_from_json(request.body, questions)
        else:
            data = request.POST.copy()
            move = data.get("move", "")
            if move:
                data[f"q{move.partition(':')[0]}-touched"] = "1"
            responses = responses_from_form(data, questions)
            _apply_move(responses, move)
    except AnswerRefused as refusal:
        return _bad_answers(str(refusal), as_json=as_json)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        # RecursionError: JSON nested deeper than the parser goes.
        return JsonResponse(
            {"error": gettext("Malformed answers: %(error)s") % {"error": error}},
            status=400,
        )
    try:
        attempt = services.attempt_save(
            attempt=attempt, user=request.user, responses=responses
        )
    except (OperationalError, InterfaceError):
        return _database_lost(as_json=as_json)
    except services.AttemptRefused as refusal:
        if as_json:
            return JsonResponse(
                {"error": str(refusal), "result_url": _result_url(attempt)},
                status=409,
            )
        messages.error(request, str(refusal))
        return redirect("quiz_attempt", attempt.pk)
    if as_json:
        saved = selectors.questions_for_display(attempt)
        return JsonResponse(
            {
                "saved": len(responses),
                "answered": sum(q.response is not None for q in saved),
                "total": len(saved),
                "saved_at": timezone.now().isoformat(),
            }
        )
    move = request.POST.get("move", "")
    if move:
        # Back to the same place after an Up / Down button (pressed without JS).
        position = move.partition(":")[0]
        return _after_save(
            attempt,
            request.POST.get("current", ""),
            len(questions),
            f"question-{position}",
        )
    return _after_save(attempt, request.POST.get("go", ""), len(questions))


def _bad_answers(error: str, *, as_json: bool) -> HttpResponse:
    if as_json:
        return JsonResponse({"error": error}, status=400)
    return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")


def _database_lost(*, as_json: bool) -> HttpResponse:
    response: HttpResponse
    if as_json:
        response = JsonResponse({"error": str(DATABASE_LOST)}, status=503)
    else:
        response = HttpResponse(
            str(DATABASE_LOST), status=503, content_type="text/plain; charset=utf-8"
        )
    response["Retry-After"] = "5"
    return response


def _after_save(
    attempt: QuizAttempt, go: str, total: int, anchor: str = ""
) -> HttpResponseRedirect:
    if go == "submit":
        return redirect("quiz_attempt_submit", attempt.pk)
    url = reverse("quiz_attempt", args=[attempt.pk])
    if go.isdigit() and 1 <= int(go) <= total:
        url += f"?q={int(go)}"
    if anchor.removeprefix("question-").isdigit():
        url += f"#{anchor}"
    return HttpResponseRedirect(url)


def _result_url(attempt: QuizAttempt) -> str:
    return reverse("quiz_attempt_result", args=[attempt.pk])


@login_required
@require_http_methods(["GET", "POST"])
def quiz_attempt_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    """GET: "Submit your answers?" with the questions still unanswered. POST: save
    what was posted with it (the timer's automatic submit carries the answers) and
    hand the attempt in for grading."""
    attempt = _own_open_quiz_attempt(request, pk)
    if attempt.state != QuizAttempt.State.IN_PROGRESS:
        return redirect("quiz_attempt_result", attempt.pk)
    questions = selectors.questions_for_display(attempt)
    if request.method == "GET":
        return render(
            request,
            "quizzes/submit.html",
            {
                "attempt": attempt,
                "quiz": attempt.quiz,
                "questions": questions,
                "unanswered": [q for q in questions if q.response is None],
                "seconds_left": _seconds_left(attempt),
                "seconds_left_display": format_duration(_seconds_left(attempt)),
            },
        )
    try:
        responses = responses_from_form(request.POST, questions)
    except AnswerRefused as refusal:
        return _bad_answers(str(refusal), as_json=_wants_json(request))
    try:
        attempt = services.attempt_submit(
            attempt=attempt, user=request.user, responses=responses or None
        )
    except (OperationalError, InterfaceError):
        return _database_lost(as_json=_wants_json(request))
    except services.AttemptRefused as refusal:
        messages.error(request, str(refusal))
        attempt.refresh_from_db()
        if attempt.state == QuizAttempt.State.IN_PROGRESS:
            return redirect("quiz_attempt", attempt.pk)
    return redirect("quiz_attempt_result", attempt.pk)


@login_required
@require_GET
def quiz_attempt_result(request: SignedInRequest, pk: int) -> HttpResponse:
    """Score, pass or fail, feedback per question as the quiz allows, and what
    happens next. Read-only for the people who may see the owner."""
    attempt = QuizAttempt.objects.select_related("quiz", "user").filter(pk=pk).first()
    if attempt is None or not can_see_user(request.user, attempt.user):
        raise Http404("No such attempt.")
    own = attempt.user_id == request.user.pk
    in_progress = attempt.state == QuizAttempt.State.IN_PROGRESS
    if in_progress and own and attempt.quiz is not None:
        return redirect("quiz_attempt", attempt.pk)
    review = None if in_progress else selectors.attempt_review(attempt)
    if review is not None and review.revealed:
        services.attempt_answers_shown(attempt=attempt, user=request.user)
    context: dict[str, Any] = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "own": own,
        "in_progress": in_progress,
        "review": review.questions if review else [],
        "revealed": review is not None and review.revealed,
    }
    if own and attempt.quiz is not None and not in_progress:
        context.update(_what_next(request.user, attempt.quiz))
    return render(request, "quizzes/result.html", context)


def _what_next(user: User, quiz: QuizPage) -> dict[str, Any]:
    """Retry time, or the next step, or the course finished; plus the hints other
    layers register (certificate progress)."""
    status = selectors.quiz_status(user=user, quiz=quiz)
    lesson = lesson_context(user=user, lesson=quiz)
    return {
        "status": status,
        "next_lesson": lesson["next_lesson"],
        "course": lesson["course"],
        "course_complete": lesson["outline"].complete,
        "course_next": lesson["outline"].next_lesson,
        "hints": result_hints(user, quiz),
    }
