from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=3,
)
def reminders_send_task() -> dict[str, int]:
    """Periodic (beat, hourly): e-mail the reminders and digests that are due. Each
    notice is sent once, so running it again, or retrying it, is harmless."""
    from courses.reminders import reminders_send

    return reminders_send()


@shared_task
def campaigns_materialise_task() -> int:
    """Periodic (beat, hourly; idempotent): give everyone in each active training
    campaign's audience the current cycle's assignment."""
    from courses.services import campaigns_materialise

    return campaigns_materialise()
