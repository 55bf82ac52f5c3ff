"""Evidence arrives from the other apps' events; each queues an evaluation of the
person after the sender's transaction has committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def _evaluate_later(user_id: int) -> None:
    from certificates.tasks import certificates_evaluate_task

    transaction.on_commit(lambda: certificates_evaluate_task.delay(user_id))


def evaluate_on_course_completed(sender: Any, user: Any, **kwargs: Any) -> None:
    _evaluate_later(user.pk)


def evaluate_on_quiz_attempt_graded(sender: Any, attempt: Any, **kwargs: Any) -> None:
    _evaluate_later(attempt.user_id)


def evaluate_on_review_submitted(sender: Any, review: Any, **kwargs: Any) -> None:
    if review.is_self_review:
        return
    from coaching.models import Submission

    rep_id = (
        Submission.objects.filter(takes__reviews=review)
        .values_list("rep_id", flat=True)
        .first()
    )
    if rep_id is not None:
        _evaluate_later(rep_id)


def quiz_result_hint(user: Any, quiz: Any) -> str | None:
    """On a quiz's result page: how far the person is toward each program that asks
    for this quiz, e.g. "Certified Discovery Seller: 3 of 4 requirements met"."""
    from certificates.models import CertificationProgram
    from certificates.progress import program_progress

    programs = CertificationProgram.objects.filter(
        active=True, requirements__quiz=quiz
    ).distinct()
    summaries = [
        program_progress(user=user, program=program).summary for program in programs
    ]
    return " · ".join(summaries) or None
