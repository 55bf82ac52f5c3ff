"""Coaching jobs: the notices sent after a request or a review, and the periodic
chase of reviews past their turnaround. Each notice is sent once (lms.notifications),
so retrying or running a job again is harmless."""

from __future__ import annotations

from celery import shared_task

from lms.lib.mail import MAIL_RETRY


@shared_task(**MAIL_RETRY)
def take_notify_coaches_task(take_id: int) -> int:
    """After commit of a request or a sent practice take: e-mail its coaches."""
    from coaching.notices import take_notify_coaches

    return take_notify_coaches(take_id=take_id)


@shared_task(**MAIL_RETRY)
def review_notify_rep_task(review_id: int) -> bool:
    """After commit of a submitted review: e-mail the rep."""
    from coaching.notices import review_notify_rep

    return review_notify_rep(review_id=review_id)


@shared_task(**MAIL_RETRY)
def reviews_chase_overdue_task() -> list[int]:
    """Periodic (beat, every 15 minutes): remind coaches of reviews due within 12
    hours and escalate missed turnarounds to the rep's managers. Returns [reminders,
    escalations] sent."""
    from coaching.notices import reviews_chase_overdue

    return list(reviews_chase_overdue())
