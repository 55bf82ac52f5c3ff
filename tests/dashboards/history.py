"""History rows for dashboard tests, written straight to the models (the services
that normally write them are tested in their own apps)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from certificates.models import Certificate, CertificationProgram
from coaching.models import Review, Rubric, Submission, Take
from courses.quizzes.models import QuizAttempt

_serial = itertools.count(1)


def quiz_attempt(
    user, *, title: str, percent: str, number: int = 1, days_ago: int = 1, quiz=None
):
    return QuizAttempt.objects.create(
        user=user,
        quiz=quiz,
        quiz_title=title,
        number=number,
        state=QuizAttempt.State.SUBMITTED,
        started_at=timezone.now() - dt.timedelta(days=days_ago),
        closed_at=timezone.now() - dt.timedelta(days=days_ago),
        score=Decimal(percent),
        max_score=Decimal(100),
        percent=Decimal(percent),
        passed=Decimal(percent) >= 80,
        pass_mark_percent=80,
    )


def rubric() -> Rubric:
    return Rubric.objects.get_or_create(name="Discovery call")[0]


def review(rep, coach, *, score: str, days_ago: int = 1, self_review: bool = False):
    requested = timezone.now() - dt.timedelta(days=days_ago + 1)
    submission = Submission.objects.create(
        kind=Submission.Kind.CALL,
        rep=rep,
        title="Call with Acme",
        rubric=rubric(),
        state=Submission.State.REVIEWED,
        outcome=Submission.Outcome.APPROVED,
        requested_at=requested,
        due_at=requested + dt.timedelta(hours=48),
    )
    take = Take.objects.create(submission=submission, number=1, sent_at=requested)
    return Review.objects.create(
        take=take,
        reviewer=rep if self_review else coach,
        is_self_review=self_review,
        state=Review.State.SUBMITTED,
        outcome=Submission.Outcome.APPROVED,
        score=Decimal(score),
        passed=True,
        started_at=requested,
        submitted_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def program() -> CertificationProgram:
    return CertificationProgram.objects.get_or_create(
        title="Certified Discovery Seller",
        defaults={"validity_months": 12, "renewal_window_days": 30},
    )[0]


def certificate(user, *, expires_in_days: int, status: str = "active"):
    number = next(_serial)
    return Certificate.objects.create(
        program=program(),
        user=user,
        cycle=Certificate.objects.filter(user=user).count() + 1,
        serial=f"T-{number:06d}",
        verification_code=f"code-{number}",
        status=status,
        holder_name=user.full_name,
        program_title="Certified Discovery Seller",
        issued_at=timezone.now() - dt.timedelta(days=300),
        expires_at=timezone.now() + dt.timedelta(days=expires_in_days),
    )
