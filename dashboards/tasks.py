from __future__ import annotations

from celery import shared_task

from lms.lib.mail import MAIL_RETRY


@shared_task(
    **MAIL_RETRY,
    time_limit=1800,
    soft_time_limit=1700,
)
def manager_digests_send_task() -> dict[str, int]:
    """Periodic (beat, hourly): send each manager's weekly digest once, on their
    Monday morning. Running it again, or retrying it, sends nothing twice."""
    from dashboards.digests import manager_digests_send

    return manager_digests_send()
