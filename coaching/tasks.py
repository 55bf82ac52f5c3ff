"""Coaching jobs: the notices sent after a request or a review, and the periodic
chase of reviews past their turnaround. Each notice is sent once (lms.notifications),
so retrying or running a job again is harmless."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

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


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=3,
    soft_time_limit=settings.SPEECH_ANALYSIS_TIME_LIMIT,
    time_limit=settings.SPEECH_ANALYSIS_TIME_LIMIT + 60,
)
def call_analyse_task(self, take_id: int) -> str | None:  # type: ignore[no-untyped-def]
    """Conversation analytics of a call take's recording (queue `media`): decoded
    once, speech found per speaker, metrics stored. Failures (ffmpeg, storage) are
    retried with backoff; after the last try, or past the time or ffmpeg's memory
    limit, the analysis is marked failed with the reason and the review screen
    shows the call without metrics."""
    from coaching.analytics import (
        COULD_NOT,
        OVER_LIMIT,
        TOO_LONG,
        call_analyse,
        call_analysis_fail,
    )
    from media.ffmpeg import FfmpegLimitExceeded

    try:
        analysis = call_analyse(take_id=take_id)
    except SoftTimeLimitExceeded:
        call_analysis_fail(take_id=take_id, reason=TOO_LONG)
        return "failed"
    except Exception as error:  # ffmpeg, storage, anything unforeseen
        if isinstance(error, FfmpegLimitExceeded):  # would run out again
            call_analysis_fail(take_id=take_id, reason=OVER_LIMIT)
            return "failed"
        if self.request.retries >= self.max_retries:
            call_analysis_fail(take_id=take_id, reason=COULD_NOT)
            return "failed"
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
    return analysis.state if analysis else None


@shared_task
def call_analyses_backfill_task() -> int:
    """Periodic (beat, hourly): queue call analyses that are missing, outdated or
    whose job died."""
    from coaching.analytics import call_analyses_backfill

    return call_analyses_backfill()
