from __future__ import annotations

from celery import shared_task

from lms.lib.mail import MAIL_RETRY


@shared_task(acks_late=True, time_limit=600, **MAIL_RETRY)
def delivery_digests_send_task() -> int:
    from automation.delivery import digests_send

    return digests_send()
