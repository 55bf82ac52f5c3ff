from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, time_limit=60, soft_time_limit=45)
def webhook_deliver_task(delivery_id: int) -> str:
    from integrations.webhooks.services import webhook_deliver

    return webhook_deliver(delivery_id=delivery_id)


@shared_task(acks_late=True, time_limit=300, soft_time_limit=270)
def webhook_deliveries_sweep_task() -> int:
    from integrations.webhooks.services import webhook_deliveries_sweep

    return webhook_deliveries_sweep()


@shared_task(acks_late=True, time_limit=300, soft_time_limit=270)
def assignments_announce_task() -> int:
    from integrations.announcements import assignments_announce

    return assignments_announce()


@shared_task(acks_late=True, time_limit=3600, soft_time_limit=3540)
def crm_sync_task(connection_id: int) -> str:
    from integrations.crm.sync import crm_sync
    from integrations.models import CrmConnection

    connection = CrmConnection.objects.filter(
        pk=connection_id, status=CrmConnection.Status.ACTIVE
    ).first()
    if connection is None:
        return "not active"
    return crm_sync(connection=connection).status


@shared_task(acks_late=True, time_limit=300, soft_time_limit=270)
def crm_sync_all_task() -> int:
    """Hourly (beat): a sync for every active connection."""
    from integrations.models import CrmConnection

    ids = list(
        CrmConnection.objects.filter(status=CrmConnection.Status.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    for connection_id in ids:
        crm_sync_task.delay(connection_id)
    return len(ids)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def xapi_send_task(endpoint_id: int) -> int:
    from integrations.xapi.services import lrs_send_round

    return lrs_send_round(endpoint_id=endpoint_id)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def xapi_rounds_start_task() -> int:
    from integrations.xapi.services import lrs_rounds_start

    return lrs_rounds_start()
