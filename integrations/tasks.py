from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, time_limit=60, soft_time_limit=45)
def webhook_deliver_task(delivery_id: int) -> str:
    from integrations.webhooks.services import webhook_deliver

    return webhook_deliver(delivery_id=delivery_id)


@shared_task(acks_late=True, time_limit=300)
def webhook_deliveries_sweep_task() -> int:
    from integrations.webhooks.services import webhook_deliveries_sweep

    return webhook_deliveries_sweep()


@shared_task(acks_late=True, time_limit=300)
def assignments_announce_task() -> int:
    from integrations.announcements import assignments_announce

    return assignments_announce()


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def xapi_send_task(endpoint_id: int) -> int:
    from integrations.xapi.services import lrs_send_round

    return lrs_send_round(endpoint_id=endpoint_id)


@shared_task(acks_late=True, time_limit=120)
def xapi_rounds_start_task() -> int:
    from integrations.xapi.services import lrs_rounds_start

    return lrs_rounds_start()
