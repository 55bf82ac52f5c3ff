"""A person's learning record, to take with them (data portability, GDPR art. 20):
every lesson and course completion, quiz attempt, coaching review of their work and
certificate, as one JSON document and as xAPI statements.

Both are built from the rows that record the history, so they hold everything since
the person joined, also what happened before an LRS was configured; the xAPI
statements have the same ids as those the outbox sends (the builders are shared),
plus the outbox's "launched" statements, which no other row records.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from certificates.models import Certificate
from certificates.open_badges import credential_url
from coaching.models import Review
from courses.models import LessonCompletion
from courses.quizzes.models import QuizAttempt
from integrations.models import CourseCompletion, XapiStatement
from integrations.xapi import statements
from lms.accounts.models import User
from lms.lib import clock
from lms.lib.urls import site_url

FORMAT_VERSION = 1


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _reviews_of(user: User) -> Any:
    return (
        Review.objects.by_coaches()
        .submitted()
        .filter(take__submission__rep=user)
        .select_related("take__submission", "reviewer")
        .order_by("submitted_at", "pk")
    )


def learning_record(*, user: User) -> dict[str, Any]:
    """The whole record as plain JSON data, oldest first in each list."""
    completions = (
        LessonCompletion.objects.filter(user=user)
        .select_related("lesson")
        .order_by("completed_at", "pk")
    )
    attempts = QuizAttempt.objects.filter(user=user).order_by("started_at", "pk")
    certificates = Certificate.objects.filter(user=user).order_by("issued_at", "pk")
    return {
        "format": "onramp-learning-record",
        "format_version": FORMAT_VERSION,
        "exported_at": clock.now().isoformat(),
        "person": {
            "id": user.pk,
            "name": user.full_name,
            "email": user.email,
            "team": user.team.name if user.team else None,
            "time_zone": user.time_zone,
        },
        "lesson_completions": [
            {
                "lesson": c.lesson.title if c.lesson else c.lesson_title,
                "lesson_id": c.lesson_id,
                "how": c.how,
                "completed_at": _when(c.completed_at),
            }
            for c in completions
        ],
        "course_completions": [
            {
                "course": c.course_title,
                "course_id": c.course_id,
                "completed_at": _when(c.completed_at),
            }
            for c in CourseCompletion.objects.filter(user=user).order_by(
                "completed_at", "pk"
            )
        ],
        "quiz_attempts": [
            {
                "quiz": a.quiz_title,
                "quiz_id": a.quiz_id,
                "number": a.number,
                "state": a.state,
                "started_at": _when(a.started_at),
                "closed_at": _when(a.closed_at),
                "score": _number(a.score),
                "max_score": _number(a.max_score),
                "percent": _number(a.percent),
                "passed": a.passed,
                "practice": a.practice,
            }
            for a in attempts
        ],
        "coaching_reviews": [
            {
                "submission": r.take.submission.title,
                "kind": r.take.submission.kind,
                "take": r.take.number,
                "coach": r.reviewer.full_name,
                "outcome": r.outcome,
                "score": _number(r.score),
                "passed": r.passed,
                "summary": r.summary,
                "submitted_at": _when(r.submitted_at),
            }
            for r in _reviews_of(user)
        ],
        "certificates": [
            {
                "program": c.program_title,
                "serial": c.serial,
                "cycle": c.cycle,
                "status": c.status,
                "issued_at": _when(c.issued_at),
                "expires_at": _when(c.expires_at),
                "revoked_at": _when(c.revoked_at),
                "verification_url": c.verification_url,
                "open_badge_credential_url": site_url(credential_url(c)),
            }
            for c in certificates
        ],
    }


def learning_record_statements(*, user: User) -> list[dict[str, Any]]:
    """The record as xAPI statements, in time order, each id once."""
    built: list[statements.Statement | None] = []
    for completion in LessonCompletion.objects.filter(user=user).select_related(
        "lesson", "user"
    ):
        built.append(statements.lesson_completed(completion))
    for attempt in QuizAttempt.objects.filter(user=user).select_related("quiz", "user"):
        built.append(statements.quiz_launched(attempt))
        built.append(statements.quiz_graded(attempt))
    for review in _reviews_of(user).select_related("take__submission__rep"):
        built.append(statements.review_submitted(review))
    for certificate in Certificate.objects.filter(user=user).select_related("user"):
        built.append(statements.certificate_earned(certificate))
    by_id: dict[str, dict[str, Any]] = {
        str(row.statement_id): row.statement
        for row in XapiStatement.objects.filter(user=user)
    }
    for statement in built:
        if statement is not None:
            by_id.setdefault(str(statement.statement_id), statement.data)
    return sorted(by_id.values(), key=lambda s: (s["timestamp"], s["id"]))
