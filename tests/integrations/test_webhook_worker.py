"""A webhook delivered by a real Celery worker process, after commit."""

from __future__ import annotations

import pytest
from standardwebhooks.webhooks import Webhook

from integrations.models import WebhookDelivery
from integrations.webhooks.services import webhook_create
from tests.factories import TeamFactory, UserFactory, make_admin
from tests.integrations.conftest import Receiver

pytestmark = pytest.mark.worker


def test_the_worker_delivers_a_signed_event(celery_worker):
    receiver = Receiver()
    try:
        endpoint = webhook_create(
            owner=make_admin(), url=receiver.url, events=["person.created"]
        )
        UserFactory(email="maya@northwind.example", team=TeamFactory(name="East"))
        delivered = celery_worker.wait_for(
            lambda: WebhookDelivery.objects.filter(status="succeeded").first(),
            timeout=60,
            what="the delivery",
        )
        assert delivered.attempts == 1
        (request,) = receiver.requests
        payload = Webhook(endpoint.secret).verify(request["body"], request["headers"])
        assert payload["data"]["email"] == "maya@northwind.example"
    finally:
        receiver.close()
