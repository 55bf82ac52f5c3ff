from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from courses.services import assignment_create
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.webhooks import http, signing
from integrations.webhooks.services import (
    RETRY_DELAYS,
    WebhookRefused,
    webhook_create,
    webhook_deliver,
    webhook_deliveries_sweep,
    webhook_redeliver,
)
from lms.accounts.services import user_move_to_team
from tests.factories import UserFactory


def _verify(endpoint: WebhookEndpoint, request: dict) -> dict:  # type: ignore[type-arg]
    """The reference implementation checks the signature (and the timestamp)."""
    return Webhook(endpoint.secret).verify(request["body"], request["headers"])


def test_signatures_verify_with_the_reference_implementation():
    secret = signing.new_secret()
    body = b'{"type":"person.created"}'
    now = int(timezone.now().timestamp())
    headers = signing.headers_for(
        secret=secret, message_id="msg_1", timestamp=now, body=body
    )
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body, headers) == {"type": "person.created"}
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(body + b" ", headers)


def test_a_new_rep_reaches_the_receiver_signed(
    org, receiver, django_capture_on_commit_callbacks, catalogue
):
    from courses.models import PathRule

    PathRule.objects.create(path=catalogue.path, team=org.americas)
    endpoint = webhook_create(owner=org.admin, url=receiver.url, events=[])
    with django_capture_on_commit_callbacks(execute=True):
        rep = UserFactory(full_name="Maya Chen", start_date=dt.date(2026, 3, 2))
        user_move_to_team(user=rep, team=org.east)
    assert set(receiver.events()) >= {"person.created", "assignment.created"}
    for request in receiver.requests:
        payload = _verify(endpoint, request)
        assert request["headers"]["webhook-id"] == payload["id"]
        assert payload["timestamp"] and isinstance(payload["version"], int)
    created = next(
        json.loads(r["body"])
        for r in receiver.requests
        if b"person.created" in r["body"]
    )
    assert created["data"]["email"] == rep.email
    assert WebhookDelivery.objects.filter(status="succeeded").count() == len(
        receiver.requests
    )


def test_events_reach_only_owners_who_may_see_the_person(
    org, receiver, django_capture_on_commit_callbacks, catalogue
):
    webhook_create(owner=org.emea_manager, url=receiver.url, events=[])
    east = webhook_create(
        owner=org.east_manager, url=receiver.url, events=["assignment.created"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assignment_create(user=org.rep_east, course=catalogue.course, reason="manual")
    assert [d.endpoint_id for d in WebhookDelivery.objects.all()] == [east.pk]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.1.1",
        "172.16.0.9",
        "169.254.169.254",
        "100.64.0.1",
        "::1",
        "::ffff:127.0.0.1",
        "fd00:ec2::254",
        "0.0.0.0",
    ],
)
def test_private_and_metadata_targets_are_refused(monkeypatch, address):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(family, socket.SOCK_STREAM, 6, "", (address, 443))],
    )
    with pytest.raises(http.TargetRefused, match="private"):
        http.resolve("https://hooks.example.com/x", allow_private=False)
    allowed = http.resolve("https://hooks.example.com/x", allow_private=True)[3]
    assert ipaddress.ip_address(allowed) == ipaddress.ip_address(address)


def test_a_private_url_cannot_be_saved_by_default(org, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(WebhookRefused):
        webhook_create(owner=org.admin, url="http://127.0.0.1:9/x", events=[])


def test_the_target_is_checked_again_at_send_time(
    org, receiver, settings, django_capture_on_commit_callbacks
):
    endpoint = webhook_create(
        owner=org.admin, url=receiver.url, events=["person.updated"]
    )
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False  # as if DNS now pointed inside
    with django_capture_on_commit_callbacks(execute=True):
        user_move_to_team(user=org.rep_west, team=org.east)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert receiver.requests == []
    assert delivery.status == "pending" and "private" in delivery.last_error


def _one_delivery(org, receiver, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    endpoint = webhook_create(
        owner=org.admin, url=receiver.url, events=["person.updated"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        user_move_to_team(user=org.rep_west, team=org.east)
    return endpoint, WebhookDelivery.objects.get(endpoint=endpoint)


def test_redirects_are_not_followed_and_count_as_failures(
    org, receiver, django_capture_on_commit_callbacks
):
    receiver.status, receiver.location = 302, "http://169.254.169.254/latest/meta-data/"
    endpoint, delivery = _one_delivery(
        org, receiver, django_capture_on_commit_callbacks
    )
    assert len(receiver.requests) == 1
    assert delivery.status == "pending" and delivery.last_status_code == 302
    assert delivery.attempt_log.get().status_code == 302
    assert delivery.last_duration_ms is not None


def test_failures_are_retried_with_backoff_then_given_up(
    org, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 500
    start = timezone.now()
    endpoint, delivery = _one_delivery(
        org, receiver, django_capture_on_commit_callbacks
    )
    moment = start
    for attempt, delay in enumerate(RETRY_DELAYS, start=1):
        delivery.refresh_from_db()
        assert delivery.attempts == attempt and delivery.status == "pending"
        wait = (delivery.next_attempt_at - moment).total_seconds()
        assert 0.8 * delay - 1 <= wait <= 1.2 * delay + 1
        moment = delivery.next_attempt_at
        with time_machine.travel(moment + dt.timedelta(seconds=1), tick=False):
            assert webhook_deliver(delivery_id=delivery.pk) in ("failed",)
            endpoint.refresh_from_db()
            if not endpoint.active:
                break
    delivery.refresh_from_db()
    total = (delivery.attempt_log.first().at - start).total_seconds() / 3600
    assert 18 <= total <= 30  # about a day of tries


def test_an_endpoint_failing_for_three_days_is_turned_off_and_its_owner_told(
    org, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 503
    endpoint, delivery = _one_delivery(
        org, receiver, django_capture_on_commit_callbacks
    )
    later = timezone.now() + dt.timedelta(days=3, minutes=1)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        user_move_to_team(user=org.rep_north, team=org.west)
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert mail.outbox[-1].to == [org.admin.email]
    assert "turned off" in mail.outbox[-1].subject


def test_the_sweeper_sends_due_retries_and_is_idempotent(
    org, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 500
    endpoint, delivery = _one_delivery(
        org, receiver, django_capture_on_commit_callbacks
    )
    assert webhook_deliver(delivery_id=delivery.pk) == "not due"
    receiver.status = 200
    delivery.refresh_from_db()
    with time_machine.travel(
        delivery.next_attempt_at + dt.timedelta(seconds=1), tick=False
    ):
        assert webhook_deliveries_sweep() == 1
        assert webhook_deliveries_sweep() == 0
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and len(receiver.requests) == 2


def test_redelivering_sends_the_same_message_again(
    org, receiver, django_capture_on_commit_callbacks
):
    endpoint, delivery = _one_delivery(
        org, receiver, django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = webhook_redeliver(delivery=delivery)
    again.refresh_from_db()
    assert again.status == "succeeded" and again.message_id == delivery.message_id
    assert [r["headers"]["webhook-id"] for r in receiver.requests] == [
        delivery.message_id
    ] * 2


def test_deactivation_is_announced_and_ends_tokens(
    org, receiver, django_capture_on_commit_callbacks
):
    from integrations.models import ApiToken
    from tests.integrations.conftest import make_token

    make_token(org.east_manager, ["people:read"])
    webhook_create(owner=org.admin, url=receiver.url, events=["person.deactivated"])
    with django_capture_on_commit_callbacks(execute=True):
        org.east_manager.is_active = False
        org.east_manager.save()
    assert receiver.events() == ["person.deactivated"]
    assert ApiToken.objects.get().revoked_at is not None


def test_overdue_assignments_are_announced_once(
    org, receiver, catalogue, django_capture_on_commit_callbacks
):
    from integrations.announcements import assignments_announce

    webhook_create(owner=org.admin, url=receiver.url, events=["assignment.overdue"])
    due = timezone.now() + dt.timedelta(days=1)
    assignment_create(
        user=org.rep_east, course=catalogue.course, reason="manual", due_at=due
    )
    later = due + dt.timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert assignments_announce() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert assignments_announce() == 0
    assert receiver.events() == ["assignment.overdue"]
    payload = json.loads(receiver.requests[0]["body"])
    assert payload["data"]["status"] == "overdue"


def test_finishing_a_course_announces_it_and_the_completed_assignment(
    org, receiver, catalogue, django_capture_on_commit_callbacks
):
    from courses.models import LessonCompletion
    from courses.services import lesson_complete

    webhook_create(
        owner=org.east_manager,
        url=receiver.url,
        events=["course.completed", "assignment.completed"],
    )
    assignment_create(user=org.rep_east, course=catalogue.course, reason="manual")
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in catalogue.lessons[:2]:
            lesson_complete(
                user=org.rep_east, lesson=lesson, how=LessonCompletion.How.READ
            )
    assert sorted(receiver.events()) == ["assignment.completed", "course.completed"]
