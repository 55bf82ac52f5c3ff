from __future__ import annotations

from celery import shared_task

from lms.lib.mail import MAIL_RETRY


@shared_task(**MAIL_RETRY)
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
