from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def invitation_send_task(invitation_id: int) -> bool:
    from lms.accounts.services import invitation_send

    return invitation_send(invitation_id=invitation_id)


@shared_task
def invitations_send_stuck_task() -> int:
    """Periodic (beat): invitations not sent within ten minutes are sent again."""
    import datetime as dt

    from lms.accounts.services import invitations_send_stuck

    return invitations_send_stuck(older_than=dt.timedelta(minutes=10))
