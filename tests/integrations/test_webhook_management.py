from __future__ import annotations

import socket

import pytest
from django.urls import reverse

from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.webhooks.services import webhook_create

HOOKS = "/api/v1/webhooks/"


@pytest.fixture
def public_dns(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 443))
        ],
    )


def test_creating_a_webhook_returns_its_secret_once(org, api_as, public_dns):
    api = api_as(org.east_manager, ["webhooks:manage"])
    response = api.post(
        HOOKS, {"url": "https://crm.example.com/hooks", "events": ["person.created"]}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_") and body["owner"] == org.east_manager.pk
    listed = api.get(HOOKS).json()["results"]
    assert [h["id"] for h in listed] == [body["id"]] and "secret" not in listed[0]
    assert "secret" not in api.get(f"{HOOKS}{body['id']}/").json()


@pytest.mark.parametrize(
    "body",
    [
        {"url": "http://169.254.169.254/latest/"},
        {"url": "https://crm.example.com/", "events": ["person.exploded"]},
        {"url": "https://crm.example.com/", "colour": "red"},
        {"url": "ftp://crm.example.com/"},
    ],
)
def test_bad_webhooks_are_refused(org, api_as, body, monkeypatch, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    if "169.254" not in body["url"]:
        monkeypatch.setattr(
            socket,
            "getaddrinfo",
            lambda *a, **k: [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 443))
            ],
        )
    response = api_as(org.admin, ["webhooks:manage"]).post(HOOKS, body)
    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_people_manage_only_their_own_webhooks_and_admins_all(org, api_as, public_dns):
    hook = webhook_create(
        owner=org.east_manager, url="https://a.example.com/", events=[]
    )
    assert (
        api_as(org.emea_manager, ["webhooks:manage"])
        .get(f"{HOOKS}{hook.pk}/")
        .status_code
        == 404
    )
    assert (
        api_as(org.emea_manager, ["webhooks:manage"])
        .delete(f"{HOOKS}{hook.pk}/")
        .status_code
        == 404
    )
    admin = api_as(org.admin, ["webhooks:manage"])
    off = admin.patch(f"{HOOKS}{hook.pk}/", {"active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    assert admin.delete(f"{HOOKS}{hook.pk}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_the_delivery_log_and_redeliver_through_the_api(org, api_as, public_dns):
    hook = webhook_create(owner=org.admin, url="https://a.example.com/", events=[])
    delivery = WebhookDelivery.objects.create(
        endpoint=hook,
        message_id="msg_1",
        event_type="person.updated",
        payload={"type": "person.updated"},
        status="failed",
        attempts=9,
        last_status_code=500,
    )
    api = api_as(org.admin, ["webhooks:manage"])
    log = api.get(f"{HOOKS}{hook.pk}/deliveries/").json()["results"]
    assert log[0]["last_status_code"] == 500 and log[0]["status"] == "failed"
    again = api.post(f"{HOOKS}{hook.pk}/deliveries/{delivery.pk}/redeliver/")
    assert again.status_code == 202 and again.json()["message_id"] == "msg_1"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("rep_east", 403),
        ("east_coach", 403),
        ("east_manager", 200),
        ("emea_manager", 200),
        ("admin", 200),
    ],
)
def test_the_webhooks_page_is_for_managers_and_admins(client, org, who, status):
    client.force_login(org[who])
    assert client.get("/integrations/webhooks/").status_code == status


def test_the_webhooks_page_adds_one_and_shows_the_secret_once(client, org, public_dns):
    client.force_login(org.east_manager)
    response = client.post(
        "/integrations/webhooks/",
        {"url": "https://crm.example.com/in", "events": ["course.completed"]},
    )
    hook = WebhookEndpoint.objects.get()
    assert hook.secret in response.content.decode()
    assert hook.secret not in client.get("/integrations/webhooks/").content.decode()
    page = client.get(reverse("integration_webhook", args=[hook.pk]))
    assert page.status_code == 200 and hook.secret not in page.content.decode()


def test_the_webhook_page_toggles_deletes_and_redelivers_for_its_owner_only(
    client, org, public_dns
):
    hook = webhook_create(
        owner=org.east_manager, url="https://a.example.com/", events=[]
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=hook,
        message_id="msg_2",
        event_type="person.updated",
        payload={},
        status="failed",
    )
    client.force_login(org.emea_manager)
    assert client.get(reverse("integration_webhook", args=[hook.pk])).status_code == 404
    assert (
        client.post(reverse("integration_webhook_toggle", args=[hook.pk])).status_code
        == 404
    )
    client.force_login(org.east_manager)
    log = client.get(reverse("integration_webhook", args=[hook.pk])).content.decode()
    assert "msg_2" in log and "Redeliver" in log
    client.post(reverse("integration_webhook_redeliver", args=[hook.pk, delivery.pk]))
    assert WebhookDelivery.objects.filter(message_id="msg_2").count() == 2
    client.post(reverse("integration_webhook_toggle", args=[hook.pk]))
    hook.refresh_from_db()
    assert not hook.active
    client.post(reverse("integration_webhook_delete", args=[hook.pk]))
    assert not WebhookEndpoint.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client, db):
    assert client.get("/integrations/webhooks/").status_code == 302
