from __future__ import annotations

import dataclasses

from celery import shared_task

from lms.lib.mail import MAIL_RETRY


@shared_task(acks_late=True, time_limit=600, soft_time_limit=570, **MAIL_RETRY)
def delivery_digests_send_task() -> int:
    from automation.delivery import digests_send

    return digests_send()


@shared_task(time_limit=600, soft_time_limit=570)
def sequences_tick_task() -> dict[str, int]:
    """Periodic (beat, every 5 minutes): enrol the people the sequences' triggers
    bring in, send the steps that are due, let go of those who met the goal. A tick
    running again, or beside another, sends nothing twice (each enrolment is
    leased while its step goes out, and each message claimed in the notification
    log). Returns the tick's counts."""
    from automation.sequences.services import sequences_tick

    return dataclasses.asdict(sequences_tick())
