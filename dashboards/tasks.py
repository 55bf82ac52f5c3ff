from __future__ import annotations

from celery import shared_task

from lms.lib.mail import MAIL_RETRY


@shared_task(time_limit=300, soft_time_limit=270)
def manager_digests_send_task() -> int:
    """Periodic (beat, hourly): hand every manager whose weekly digest is due (their
    Monday morning has come, this week's not sent yet) to batch jobs of
    DIGEST_BATCH. Returns how many managers it handed out."""
    from dashboards.digests import DIGEST_BATCH, managers_due_digest

    due = managers_due_digest()
    for start in range(0, len(due), DIGEST_BATCH):
        manager_digests_batch_task.delay(due[start : start + DIGEST_BATCH])
    return len(due)


@shared_task(
    **MAIL_RETRY,
    time_limit=900,
    soft_time_limit=840,
)
def manager_digests_batch_task(manager_ids: list[int]) -> dict[str, int]:
    """Send these managers their weekly digest. Running it again, or retrying it,
    or two hourly jobs handing out the same manager, sends nothing twice."""
    from dashboards.digests import manager_digests_send

    return manager_digests_send(manager_ids=manager_ids)
