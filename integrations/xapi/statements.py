"""xAPI statements for Onramp's learning events, with ADL and cmi5-style verbs.

Each builder takes the row that records the event and returns (statement id, learner,
verb, statement). The id is a UUID 5 of the site and the row, so the same event always
makes the same statement, and the outbox (unique on it) keeps one.

Activity ids are stable IRIs under SITE_URL (`/xapi/activities/lesson/<id>`...):
page addresses change with their slugs, the IRIs do not.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from certificates.models import Certificate
from coaching.models import Review
from courses.models import CoursePage, LessonCompletion, LessonPage
from courses.quizzes.models import QuizAttempt
from courses.scorm.models import ScormAttempt, ScoState
from lms.accounts.models import User
from lms.lib.urls import site_url

VERBS = {
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "reviewed": "http://id.tincanapi.com/verb/reviewed",
    "earned": "http://id.tincanapi.com/verb/earned",
}
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "practice": "http://adlnet.gov/expapi/activities/performance",
    "scorm": "http://adlnet.gov/expapi/activities/module",
    "sco": "http://adlnet.gov/expapi/activities/lesson",
    "certification": "http://adlnet.gov/expapi/activities/objective",
}


@dataclass(frozen=True)
class Statement:
    statement_id: uuid.UUID
    user: User
    verb: str
    data: dict[str, Any]


def _statement_id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(
        uuid.NAMESPACE_URL, settings.SITE_URL + "/xapi/" + "/".join(map(str, parts))
    )


def agent(user: User) -> dict[str, Any]:
    """The person as an xAPI Agent: by e-mail (`mbox`) or, with
    XAPI_ACTOR_IDENTIFIER=account, by an account on XAPI_ACCOUNT_HOME_PAGE."""
    person: dict[str, Any] = {
        "objectType": "Agent",
        "name": user.full_name or user.email,
    }
    if settings.XAPI_ACTOR_IDENTIFIER == "account":
        person["account"] = {
            "homePage": settings.XAPI_ACCOUNT_HOME_PAGE,
            "name": str(user.pk),
        }
    else:
        person["mbox"] = f"mailto:{user.email}"
    return person


def _activity(kind: str, pk: int, title: str) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": site_url(f"/xapi/activities/{kind}/{pk}"),
        "definition": {"type": ACTIVITY_TYPES[kind], "name": {"en-US": title}},
    }


def _timestamp(moment: dt.datetime) -> str:
    return (
        moment.astimezone(dt.UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def _duration(start: dt.datetime, end: dt.datetime | None) -> str:
    seconds = max(0.0, ((end or start) - start).total_seconds())
    return f"PT{seconds:.2f}S"


def _step_kind(lesson: LessonPage) -> str:
    kind = lesson.step_kind
    return kind if kind in ("quiz", "practice", "scorm") else "lesson"


def _context(course: CoursePage | None) -> dict[str, Any]:
    context: dict[str, Any] = {"platform": "Onramp", "language": "en"}
    if course is not None:
        context["contextActivities"] = {
            "parent": [_activity("course", course.pk, course.title)]
        }
    return context


def _statement(
    statement_id: uuid.UUID,
    *,
    actor: User,
    verb: str,
    obj: dict[str, Any],
    at: dt.datetime,
    course: CoursePage | None = None,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(statement_id),
        "actor": agent(actor),
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": obj,
        "context": _context(course),
        "timestamp": _timestamp(at),
    }
    if result is not None:
        data["result"] = result
    return data


def _course_of(lesson: LessonPage) -> CoursePage | None:
    """The lesson's course, for the statement's context (its id and title, which the
    plain page already holds): no query when the lesson came from Wagtail's routing,
    which loaded its parent."""
    parent = lesson.get_parent()
    course = parent.specific_deferred if parent is not None else None
    return course if isinstance(course, CoursePage) else None


def lesson_launched(*, user: User, lesson: LessonPage, at: dt.datetime) -> Statement:
    """A person opened a lesson step (one statement per person, step and day)."""
    statement_id = _statement_id("launched", "lesson", lesson.pk, user.pk, at.date())
    kind = _step_kind(lesson)
    return Statement(
        statement_id,
        user,
        "launched",
        _statement(
            statement_id,
            actor=user,
            verb="launched",
            obj=_activity(kind, lesson.pk, lesson.title),
            at=at,
            course=_course_of(lesson),
        ),
    )


def lesson_completed(completion: LessonCompletion) -> Statement | None:
    """A lesson step completed (read, watched, quiz passed, practice approved)."""
    lesson = completion.lesson
    if lesson is None:
        return None
    lesson = lesson.specific
    statement_id = _statement_id("completed", "lesson-completion", completion.pk)
    return Statement(
        statement_id,
        completion.user,
        "completed",
        _statement(
            statement_id,
            actor=completion.user,
            verb="completed",
            obj=_activity(_step_kind(lesson), lesson.pk, lesson.title),
            at=completion.completed_at,
            course=_course_of(lesson),
            result={"completion": True},
        ),
    )


def quiz_launched(attempt: QuizAttempt) -> Statement | None:
    """A quiz attempt started."""
    if attempt.quiz is None:
        return None
    statement_id = _statement_id("launched", "quiz-attempt", attempt.pk)
    return Statement(
        statement_id,
        attempt.user,
        "launched",
        _statement(
            statement_id,
            actor=attempt.user,
            verb="launched",
            obj=_activity("quiz", attempt.quiz.pk, attempt.quiz_title),
            at=attempt.started_at,
            course=_course_of(attempt.quiz),
        ),
    )


def _number(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0


def quiz_graded(attempt: QuizAttempt) -> Statement | None:
    """A graded quiz attempt: passed or failed, with its score and duration."""
    if attempt.quiz is None or attempt.passed is None:
        return None
    verb = "passed" if attempt.passed else "failed"
    statement_id = _statement_id(verb, "quiz-attempt", attempt.pk)
    return Statement(
        statement_id,
        attempt.user,
        verb,
        _statement(
            statement_id,
            actor=attempt.user,
            verb=verb,
            obj=_activity("quiz", attempt.quiz.pk, attempt.quiz_title),
            at=attempt.closed_at or attempt.started_at,
            course=_course_of(attempt.quiz),
            result={
                "score": {
                    "scaled": round(_number(attempt.percent) / 100, 4),
                    "raw": _number(attempt.score),
                    "min": 0.0,
                    "max": _number(attempt.max_score),
                },
                "success": bool(attempt.passed),
                "completion": True,
                "duration": _duration(attempt.started_at, attempt.closed_at),
            },
        ),
    )


def scorm_launched(attempt: ScormAttempt) -> Statement | None:
    """A SCORM attempt started (the first launch of a package in an attempt)."""
    if attempt.page is None:
        return None
    statement_id = _statement_id("launched", "scorm-attempt", attempt.pk)
    return Statement(
        statement_id,
        attempt.user,
        "launched",
        _statement(
            statement_id,
            actor=attempt.user,
            verb="launched",
            obj=_activity("scorm", attempt.page.pk, attempt.page_title),
            at=attempt.started_at,
            course=_course_of(attempt.page),
        ),
    )


def sco_result(state: ScoState) -> Statement | None:
    """A SCO of a SCORM package passed or failed in an attempt, with its score and
    the time spent; the package's step is its parent activity."""
    attempt = state.attempt
    if attempt.page is None or state.success_status not in ("passed", "failed"):
        return None
    verb = state.success_status
    statement_id = _statement_id(verb, "sco-state", state.pk)
    result: dict[str, Any] = {
        "success": verb == "passed",
        "completion": state.completion_status == "completed",
        "duration": f"PT{state.total_seconds:.2f}S",
    }
    if state.score_scaled is not None:
        result["score"] = {"scaled": float(state.score_scaled)}
    data = _statement(
        statement_id,
        actor=attempt.user,
        verb=verb,
        obj=_activity("sco", state.sco_id, state.sco.title),
        at=state.updated_at,
        course=_course_of(attempt.page),
        result=result,
    )
    data["context"]["contextActivities"].setdefault("grouping", []).append(
        _activity("scorm", attempt.page.pk, attempt.page_title)
    )
    return Statement(statement_id, attempt.user, verb, data)


def review_submitted(review: Review) -> Statement | None:
    """A coach reviewed a rep's take: the coach is the actor, the rep's submission
    the object; the statement is filed under the rep."""
    if review.is_self_review or review.submitted_at is None:
        return None
    submission = review.take.submission
    statement_id = _statement_id("reviewed", "review", review.pk)
    result: dict[str, Any] = {"completion": True}
    if review.passed is not None:
        result["success"] = bool(review.passed)
    if review.score is not None:
        result["score"] = {"raw": float(review.score), "min": 1.0, "max": 5.0}
    data = _statement(
        statement_id,
        actor=review.reviewer,
        verb="reviewed",
        obj=_activity(
            "practice",
            submission.pk,
            f"{submission.title} ({submission.rep.full_name or submission.rep.email})",
        ),
        at=review.submitted_at,
        result=result,
    )
    data["object"]["id"] = site_url(f"/xapi/activities/submission/{submission.pk}")
    data["context"]["extensions"] = {
        site_url("/xapi/extensions/learner"): agent(submission.rep)
    }
    return Statement(statement_id, submission.rep, "reviewed", data)


def certificate_earned(certificate: Certificate) -> Statement:
    """A certificate issued (by the evaluation or by hand)."""
    statement_id = _statement_id("earned", "certificate", certificate.pk)
    result: dict[str, Any] = {"completion": True, "success": True}
    data = _statement(
        statement_id,
        actor=certificate.user,
        verb="earned",
        obj=_activity(
            "certification", certificate.program_id, certificate.program_title
        ),
        at=certificate.issued_at,
        result=result,
    )
    data["context"]["extensions"] = {
        site_url("/xapi/extensions/verification"): certificate.verification_url
    }
    return Statement(statement_id, certificate.user, "earned", data)
