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
