"""Webhook endpoints, events and their deliveries: one door for each change.

An event becomes one delivery per active endpoint that wants it and whose owner may
see the people it is about, after the transaction that caused it commits. A Celery
task sends each delivery; failures are retried with exponential backoff and jitter
for about a day. An endpoint failing for three days is disabled and its owner
e-mailed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from integrations.webhooks import http, signing
from lms.accounts import visibility
from lms.accounts.models import User

logger = logging.getLogger(__name__)

# Seconds to wait after each failed attempt (then give up): about 23.6 hours in all,
# each stretched or shrunk by up to 20% so that many receivers coming back at once
# are not hit together.
RETRY_DELAYS = [5, 60, 300, 1800, 3600, 7200, 14400, 28800, 28800]
JITTER = 0.2
DISABLE_AFTER = dt.timedelta(days=3)
# A delivery claimed this long ago by a worker that never finished is sent again.
STUCK_AFTER = dt.timedelta(minutes=5)


class WebhookRefused(Exception):
    """An endpoint that cannot be saved; the message is for the person."""


def _check_url(url: str) -> str:
    try:
        http.resolve(url, allow_private=settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS)
    except http.TargetRefused as error:
        raise WebhookRefused(str(error)) from None
    return url


def _check_events(events: list[str]) -> list[str]:
    from integrations.webhooks.events import EVENT_TYPES

    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown:
        raise WebhookRefused(
            gettext("Unknown event type(s): %(events)s.")
            % {"events": ", ".join(unknown)}
        )
    return sorted(set(events))


def webhook_create(
    *, owner: User, url: str, events: list[str], description: str = ""
) -> WebhookEndpoint:
    """A new endpoint with a fresh secret (shown to its owner once)."""
    return WebhookEndpoint.objects.create(
        owner=owner,
        url=_check_url(url),
        events=_check_events(events),
        description=description.strip()[:200],
        secret=signing.new_secret(),
    )


def webhook_update(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    events: list[str] | None = None,
    description: str | None = None,
    active: bool | None = None,
) -> WebhookEndpoint:
    """Change an endpoint; enabling it again clears its failure record."""
    if url is not None:
        endpoint.url = _check_url(url)
    if events is not None:
        endpoint.events = _check_events(events)
    if description is not None:
        endpoint.description = description.strip()[:200]
    if active is not None and active != endpoint.active:
        endpoint.active = active
        if active:
            endpoint.disabled_at = None
            endpoint.disabled_reason = ""
            endpoint.failing_since = None
    endpoint.save()
    return endpoint


def webhook_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def webhooks_visible_to(user: User) -> Any:
    """Endpoints a person manages: their own (admins: all)."""
    if user.is_enablement_admin:
        return WebhookEndpoint.objects.all()
    return WebhookEndpoint.objects.filter(owner=user)


# Events.


def _already_waiting(key: tuple[str, int]) -> bool:
    """Whether this transaction already holds the same announcement (a rolled-back
    transaction drops its callbacks, and with them this record)."""
    connection = transaction.get_connection()
    return any(
        getattr(callback, "event_key", None) == key
        for _, callback, _ in connection.run_on_commit
    )


def event_after_commit(
    event_type: str,
    resource_id: int,
    build: Callable[[int], tuple[dict[str, Any], int] | None],
    *,
    subjects: Callable[[dict[str, Any]], list[int]],
) -> None:
    """Announce an event once the transaction commits (at once outside one). The
    same event for the same resource twice in one transaction is sent once, with
    the resource as it is at commit."""
    key = (event_type, resource_id)
    if _already_waiting(key):
        return
    occurred_at = timezone.now()

    def publish() -> None:
        if not _anyone_listens(event_type):
            return
        built = build(resource_id)
        if built is None:
            return
        data, version = built
        event_publish(
            event_type=event_type,
            data=data,
            version=version,
            subject_ids=subjects(data),
            occurred_at=occurred_at,
        )

    publish.event_key = key  # type: ignore[attr-defined]
    transaction.on_commit(publish, robust=True)


def _anyone_listens(event_type: str) -> bool:
    """Whether an active endpoint wants this event (one query; nothing is built for
    an event nobody receives)."""
    return any(
        not events or event_type in events
        for events in WebhookEndpoint.objects.filter(active=True).values_list(
            "events", flat=True
        )
    )


def _may_see(owner: User, subject_ids: list[int]) -> bool:
    if not owner.is_active:
        return False
    if owner.is_enablement_admin or not subject_ids:
        return owner.is_enablement_admin
    wanted = set(subject_ids)
    return visibility.visible_users(owner).filter(pk__in=wanted).count() == len(wanted)


def event_publish(
    *,
    event_type: str,
    data: dict[str, Any],
    version: int,
    subject_ids: list[int],
    occurred_at: dt.datetime | None = None,
) -> list[WebhookDelivery]:
    """One delivery per endpoint that wants the event and whose owner may see every
    person it is about; each is sent by a worker once this commits."""
    occurred_at = occurred_at or timezone.now()
    deliveries = []
    endpoints = WebhookEndpoint.objects.filter(active=True).select_related("owner")
    for endpoint in endpoints:
        if not endpoint.wants(event_type) or not _may_see(endpoint.owner, subject_ids):
            continue
        message_id = signing.new_message_id()
        payload = {
            "id": message_id,
            "type": event_type,
            "timestamp": occurred_at.isoformat(),
            "version": version,
            "data": data,
        }
        deliveries.append(
            WebhookDelivery.objects.create(
                endpoint=endpoint,
                message_id=message_id,
                event_type=event_type,
                payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
                next_attempt_at=timezone.now(),
            )
        )
    for delivery in deliveries:
        _enqueue_after_commit(delivery.pk)
    return deliveries


def _enqueue_after_commit(delivery_id: int) -> None:
    from integrations.tasks import webhook_deliver_task

    # robust: a broker that is down must not fail the request; the sweeper sends it.
    transaction.on_commit(lambda: webhook_deliver_task.delay(delivery_id), robust=True)


def webhook_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send an event again, as a new delivery with the same message id (receivers
    that already have it recognise it)."""
    again = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        message_id=delivery.message_id,
        event_type=delivery.event_type,
        payload=delivery.payload,
        next_attempt_at=timezone.now(),
    )
    _enqueue_after_commit(again.pk)
    return again


# Delivery.


def retry_delay(attempts: int) -> float | None:
    """Seconds before the next try after `attempts` failed ones (None: give up)."""
    if attempts > len(RETRY_DELAYS):
        return None
    base = RETRY_DELAYS[attempts - 1]
    return float(base * random.uniform(1 - JITTER, 1 + JITTER))  # noqa: S311


def _claim(delivery_id: int) -> WebhookDelivery | None:
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=now,
    ).update(status=WebhookDelivery.Status.SENDING, claimed_at=now)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint__owner").get(pk=delivery_id)


def webhook_deliver(*, delivery_id: int) -> str:
    """Try one delivery that is due. Idempotent: a delivery that is not pending and
    due (sent, being sent, waiting for its retry) is left alone. No lock is held
    while the receiver answers."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "not due"
    endpoint = delivery.endpoint
    now = timezone.now()
    if not endpoint.active:
        _finish(delivery, WebhookDelivery.Status.FAILED, error="The endpoint is off.")
        return "endpoint off"
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    headers = signing.headers_for(
        secret=endpoint.secret,
        message_id=delivery.message_id,
        timestamp=int(now.timestamp()),
        body=body,
    )
    answer = http.post(
        endpoint.url,
        body=body,
        headers=headers,
        allow_private=settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=answer.status_code,
        duration_ms=answer.duration_ms,
        error=answer.error[:300],
        succeeded=answer.ok,
    )
    attempts = delivery.attempts + 1
    if answer.ok:
        _finish(delivery, WebhookDelivery.Status.SUCCEEDED, answer, attempts)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        return "succeeded"
    delay = retry_delay(attempts)
    if delay is None:
        _finish(delivery, WebhookDelivery.Status.FAILED, answer, attempts)
    else:
        _finish(
            delivery,
            WebhookDelivery.Status.PENDING,
            answer,
            attempts,
            next_attempt_at=now + dt.timedelta(seconds=delay),
        )
    _endpoint_failed(endpoint, now)
    return "failed"


def _finish(
    delivery: WebhookDelivery,
    status: str,
    answer: http.Answer | None = None,
    attempts: int | None = None,
    *,
    error: str = "",
    next_attempt_at: dt.datetime | None = None,
) -> None:
    fields: dict[str, Any] = {
        "status": status,
        "claimed_at": None,
        "next_attempt_at": next_attempt_at,
    }
    if attempts is not None:
        fields["attempts"] = attempts
    if answer is not None:
        fields.update(
            last_status_code=answer.status_code,
            last_duration_ms=answer.duration_ms,
            last_error=answer.error[:300],
        )
    elif error:
        fields["last_error"] = error
    if status == WebhookDelivery.Status.SUCCEEDED:
        fields["delivered_at"] = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)


def _endpoint_failed(endpoint: WebhookEndpoint, now: dt.datetime) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
        failing_since=now
    )
    endpoint.refresh_from_db()
    if endpoint.failing_since is None or now - endpoint.failing_since < DISABLE_AFTER:
        return
    # Stored in English (the API shows it as is), translated for the pages.
    reason = gettext_noop("Every delivery failed for three days.")
    disabled = WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True).update(
        active=False, disabled_at=now, disabled_reason=reason
    )
    if disabled:
        # In the owner's language, not the worker's.
        with translation.override(endpoint.owner.preferred_language):
            subject = gettext("A webhook was turned off")
            message = gettext(
                "Onramp could not deliver events to %(url)s for three days, "
                "so it stopped sending them. Fix the receiver, then turn the "
                "webhook on again at %(page)s "
                "(the delivery log there shows each answer)."
            ) % {
                "url": endpoint.url,
                "page": f"{settings.SITE_URL}/integrations/webhooks/",
            }
        send_mail(
            subject=f"[{settings.ORGANISATION_NAME}] {subject}",
            message=message,
            from_email=None,
            recipient_list=[endpoint.owner.email],
            fail_silently=True,
        )
        logger.warning("Webhook %s disabled after three days of failures", endpoint.pk)


def webhook_deliveries_sweep() -> int:
    """Every minute: send deliveries whose retry is due, and those a worker claimed
    but never finished."""
    now = timezone.now()
    WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(
        status=WebhookDelivery.Status.PENDING, claimed_at=None, next_attempt_at=now
    )
    from integrations.tasks import webhook_deliver_task

    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)[:1000]
    count = 0
    for delivery_id in due:
        webhook_deliver_task.delay(delivery_id)
        count += 1
    return count
