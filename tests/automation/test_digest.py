"""Messages a person wants in a daily digest wait for it, and go out together once
a day from 08:00 their time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from automation.delivery import digests_send, send
from automation.models import Delivery
from automation.tasks import delivery_digests_send_task
from lms.notifications.preferences import notice_preference_set

pytestmark = pytest.mark.django_db

# 07:30 in New York (EST) on a Tuesday.
EARLY = dt.datetime(2026, 11, 24, 12, 30, tzinfo=dt.UTC)


def _send(rep, key):
    return send(
        recipient=rep,
        channel="slack",
        kind="sequence:3",
        key=key,
        subject=f"Tip {key}",
        text="Open the next lesson.",
        html="<p>Open the next lesson.</p>",
        url="https://onramp.example/learning/",
    )


def test_queued_messages_go_out_in_one_email_after_eight_local(
    time_machine, rep_factory
):
    time_machine.move_to(EARLY, tick=False)
    rep = rep_factory(time_zone="America/New_York")
    notice_preference_set(user=rep, kind="sequence", channel="email", timing="digest")
    assert _send(rep, "a") is True
    assert _send(rep, "b") is True
    assert _send(rep, "a") is False
    assert mail.outbox == []
    assert digests_send() == 0

    time_machine.move_to(EARLY + dt.timedelta(hours=1), tick=False)
    assert delivery_digests_send_task.delay().get() == 1
    assert digests_send() == 0
    (message,) = mail.outbox
    assert "Tip a" in message.body and "Tip b" in message.body
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}

    time_machine.move_to(EARLY + dt.timedelta(hours=2), tick=False)
    _send(rep, "c")
    assert digests_send() == 0
    time_machine.move_to(EARLY + dt.timedelta(days=1, hours=1), tick=False)
    assert digests_send() == 1
    assert "Tip c" in mail.outbox[-1].body


def test_what_waits_for_a_paused_person_is_dropped(time_machine, rep_factory):
    from lms.notifications.preferences import notices_pause_set

    time_machine.move_to(EARLY + dt.timedelta(hours=1), tick=False)
    rep = rep_factory(time_zone="America/New_York")
    notice_preference_set(user=rep, kind="sequence", channel="email", timing="digest")
    _send(rep, "a")
    notices_pause_set(user=rep, paused=True)
    assert digests_send() == 0
    assert mail.outbox == []
    assert Delivery.objects.get().status == "skipped"


@pytest.mark.worker
def test_the_digest_goes_out_through_the_worker(celery_worker, rep_factory):
    from lms.lib import clock

    # A zone where it is noon now, so the digest is due whenever the test runs.
    offset = 12 - clock.now().astimezone(dt.UTC).hour
    zone = "Etc/GMT" + (f"{-offset:+d}" if offset else "")
    rep = rep_factory(email="maya@example.com", time_zone=zone)
    notice_preference_set(user=rep, kind="sequence", channel="email", timing="digest")
    _send(rep, "a")

    delivery_digests_send_task.delay()

    (message,) = celery_worker.wait_for(celery_worker.mails, what="the digest")
    assert "To: maya@example.com" in message and "Tip a" in message
    # The worker marks the delivery sent just after the e-mail has gone.
    celery_worker.wait_for(
        lambda: Delivery.objects.get().status == "sent", what="the delivery sent"
    )
