from __future__ import annotations

from celery import shared_task

from lms.lib.mail import MAIL_RETRY


@shared_task(**MAIL_RETRY)
def invitation_send_task(invitation_id: int) -> bool:
    from lms.accounts.services import invitation_send

    return invitation_send(invitation_id=invitation_id)


@shared_task
def invitations_send_stuck_task() -> int:
    """Periodic (beat): invitations not sent within ten minutes are sent again."""
    import datetime as dt

    from lms.accounts.services import invitations_send_stuck

    return invitations_send_stuck(older_than=dt.timedelta(minutes=10))
