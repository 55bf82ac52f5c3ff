"""The xAPI outbox: statements are stored with the event that made them, then sent to
every active Learning Record Store by Celery.

- Stored first, in the same transaction as the event: a statement exists once its
  event does, whatever any LRS is doing.
- Sent one at a time with `POST <base>/statements` and the statement's own `id`;
  an answer 2xx, or 409 (the LRS already holds a statement with this id), marks it
  delivered, so no statement is ever stored twice under one id.
- Anything else (an error answer, a refused connection, no answer within
  XAPI_TIMEOUT_SECONDS) is tried again later, after 30 s, 1, 2, 4 … minutes, at most
  6 hours apart, for as long as it takes: never given up on. A failing LRS stops its
  own round (the rest waits for the next one), never another LRS's.
- A delivery is claimed before it is sent (its next attempt is moved a lease ahead),
  so two workers never send the same statement at once.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from integrations.models import LrsEndpoint, XapiDelivery, XapiStatement
from integrations.webhooks import http
from integrations.xapi.statements import Statement
from lms.lib import clock

logger = logging.getLogger(__name__)

# A claimed delivery is someone's for this long (longer than one request can take).
LEASE = dt.timedelta(minutes=2)
FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_PAUSE = dt.timedelta(hours=6)
ROUND_SIZE = 200


def statement_record(statement: Statement | None) -> XapiStatement | None:
    """Store a statement in the outbox (once per id) with a delivery for each active
    LRS, and send them after commit. None if it was stored before."""
    if statement is None:
        return None
    try:
        with transaction.atomic():
            row = XapiStatement.objects.create(
                statement_id=statement.statement_id,
                user=statement.user,
                verb=statement.verb,
                statement=statement.data,
            )
    except IntegrityError:
        return None
    endpoints = list(
        LrsEndpoint.objects.filter(active=True).values_list("pk", flat=True)
    )
    XapiDelivery.objects.bulk_create(
        [XapiDelivery(statement=row, endpoint_id=pk) for pk in endpoints]
    )
    for endpoint_id in endpoints:
        transaction.on_commit(lambda pk=endpoint_id: _enqueue_round(pk))  # type: ignore[misc]
    return row


def _enqueue_round(endpoint_id: int) -> None:
    from integrations.tasks import xapi_send_task

    xapi_send_task.delay(endpoint_id)


def pause_after(attempts: int) -> dt.timedelta:
    """How long to wait before trying again, after this many failed attempts."""
    doublings = min(max(0, attempts - 1), 20)
    return min(FIRST_RETRY * (1 << doublings), LONGEST_PAUSE)


def _headers(endpoint: LrsEndpoint) -> dict[str, str]:
    headers = {
        "content-type": "application/json",
        "x-experience-api-version": endpoint.version,
        "user-agent": "Onramp-xAPI/1",
    }
    if endpoint.username or endpoint.password:
        token = base64.b64encode(
            f"{endpoint.username}:{endpoint.password}".encode()
        ).decode()
        headers["authorization"] = f"Basic {token}"
    return headers


def _claim(endpoint: LrsEndpoint) -> XapiDelivery | None:
    """The next delivery due for this LRS, now leased to the caller."""
    now = clock.now()
    due = XapiDelivery.objects.filter(
        endpoint=endpoint, delivered_at__isnull=True, next_attempt_at__lte=now
    ).order_by("statement_id")
    for pk in due.values_list("pk", flat=True)[:5]:
        claimed = XapiDelivery.objects.filter(
            Q(pk=pk), delivered_at__isnull=True, next_attempt_at__lte=now
        ).update(next_attempt_at=now + LEASE)
        if claimed:
            return XapiDelivery.objects.select_related("statement").get(pk=pk)
    return None


def delivery_send(delivery: XapiDelivery) -> bool:
    """Send one claimed statement to its LRS; True when the LRS holds it."""
    endpoint = delivery.endpoint
    answer = http.post(
        endpoint.statements_url,
        body=json.dumps(delivery.statement.statement).encode(),
        headers=_headers(endpoint),
        allow_private=settings.XAPI_ALLOW_PRIVATE_NETWORKS,
        timeout_seconds=settings.XAPI_TIMEOUT_SECONDS,
    )
    delivery.attempts += 1
    delivery.last_status_code = answer.status_code
    now = clock.now()
    if answer.ok or answer.status_code == 409:
        delivery.delivered_at = now
        delivery.last_error = ""
    else:
        delivery.next_attempt_at = now + pause_after(delivery.attempts)
        delivery.last_error = (answer.error or f"HTTP {answer.status_code}")[:300]
        logger.warning(
            "xAPI statement %s not taken by %s: %s",
            delivery.statement.statement_id,
            endpoint,
            delivery.last_error,
        )
    delivery.save(
        update_fields=[
            "attempts",
            "last_status_code",
            "delivered_at",
            "next_attempt_at",
            "last_error",
        ]
    )
    return delivery.delivered_at is not None


def lrs_send_round(*, endpoint_id: int) -> int:
    """Send what is due to one LRS, oldest first, until it fails or nothing is due;
    the number delivered."""
    endpoint = LrsEndpoint.objects.filter(pk=endpoint_id, active=True).first()
    if endpoint is None:
        return 0
    sent = 0
    for _ in range(ROUND_SIZE):
        delivery = _claim(endpoint)
        if delivery is None:
            break
        delivery.endpoint = endpoint
        if not delivery_send(delivery):
            break
        sent += 1
    return sent


def lrs_rounds_start() -> int:
    """Every minute: a round for each active LRS with something due."""
    due = (
        XapiDelivery.objects.filter(
            delivered_at__isnull=True,
            next_attempt_at__lte=clock.now(),
            endpoint__active=True,
        )
        .values_list("endpoint_id", flat=True)
        .distinct()
    )
    endpoint_ids = sorted(set(due))
    for endpoint_id in endpoint_ids:
        _enqueue_round(endpoint_id)
    return len(endpoint_ids)


def lrs_endpoint_backfill(*, endpoint: LrsEndpoint) -> int:
    """A new (or re-activated) LRS gets every statement it has not had yet."""
    missing = XapiStatement.objects.exclude(deliveries__endpoint=endpoint)
    created = XapiDelivery.objects.bulk_create(
        [XapiDelivery(statement=s, endpoint=endpoint) for s in missing.iterator()],
        ignore_conflicts=True,
    )
    transaction.on_commit(lambda: _enqueue_round(endpoint.pk))
    return len(created)
