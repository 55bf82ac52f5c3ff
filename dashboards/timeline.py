"""A person's history on one page: lessons completed, quizzes graded, coaching
reviews received and certificates issued, newest first. Managers open it from My team
to see what lies behind a row; the person sees their own. Four queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from certificates.models import Certificate
from coaching.models import Review
from courses.models import LessonCompletion
from courses.quizzes.models import QuizAttempt
from lms.accounts.models import User


@dataclass(frozen=True)
class TimelineEvent:
    at: dt.datetime
    kind: str  # learning, quiz, review, certificate
    title: str
    detail: str
    url: str = ""  # where the viewer reads more (the result, the review, the PDF)


def person_timeline(*, person: User, limit: int = 50) -> list[TimelineEvent]:
    """The latest `limit` events of the person's learning history."""
    events: list[TimelineEvent] = []
    completions = LessonCompletion.objects.filter(user=person).order_by(
        "-completed_at"
    )[:limit]
    for completion in completions:
        events.append(
            TimelineEvent(
                completion.completed_at,
                "learning",
                completion.lesson_title,
                completion.get_how_display(),
            )
        )
    attempts = (
        QuizAttempt.objects.graded()
        .filter(user=person, closed_at__isnull=False)
        .order_by("-closed_at")[:limit]
    )
    for attempt in attempts:
        if attempt.practice:
            verdict = (
                _("passed (practice, not counted)")
                if attempt.passed
                else _("not passed (practice, not counted)")
            )
        else:
            verdict = _("passed") if attempt.passed else _("not passed")
        events.append(
            TimelineEvent(
                attempt.closed_at,  # type: ignore[arg-type]
                "quiz",
                attempt.quiz_title,
                _("Attempt %(number)s: %(percent)s%%, %(verdict)s")
                % {
                    "number": attempt.number,
                    "percent": attempt.percent,
                    "verdict": verdict,
                },
                reverse("quiz_attempt_result", args=[attempt.pk]),
            )
        )
    reviews = (
        Review.objects.by_coaches()
        .submitted()
        .filter(take__submission__rep=person, submitted_at__isnull=False)
        .select_related("take__submission", "reviewer")
        .order_by("-submitted_at")[:limit]
    )
    for review in reviews:
        events.append(
            TimelineEvent(
                review.submitted_at,  # type: ignore[arg-type]
                "review",
                review.take.submission.title,
                _("Reviewed by %(coach)s: %(score)s, %(outcome)s")
                % {
                    "coach": review.reviewer.full_name,
                    "score": _("no score")
                    if review.score is None
                    else _("%(score)s of 5") % {"score": review.score},
                    "outcome": review.get_outcome_display().lower() or _("no outcome"),
                },
                reverse("coaching_review", args=[review.take_id]),
            )
        )
    certificates = Certificate.objects.filter(user=person).order_by("-issued_at")[
        :limit
    ]
    for certificate in certificates:
        status = certificate.get_status_display()
        detail = (
            _("%(status)s, expires %(day)s")
            % {"status": status, "day": f"{certificate.expires_at:%Y-%m-%d}"}
            if certificate.expires_at
            else status
        )
        events.append(
            TimelineEvent(
                certificate.issued_at,
                "certificate",
                certificate.program_title,
                detail,
                reverse("certificate_pdf", args=[certificate.pk]),
            )
        )
    events.sort(key=lambda event: event.at, reverse=True)
    return events[:limit]
