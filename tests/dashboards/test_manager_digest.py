from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from coaching.models import Submission
from dashboards.digests import (
    KIND,
    digest_due,
    manager_digests_send,
    managers_due_digest,
)
from dashboards.tasks import manager_digests_send_task
from lms.notifications.models import NotificationLog
from tests.dashboards import history

UTC = dt.UTC
MONDAY = dt.date(2026, 11, 23)  # a Monday


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=UTC)


def _digests_to(person) -> list:
    return [m for m in mail.outbox if m.to == [person.email]]


def _only_east_manager(org):
    for manager in (org.region_manager, org.emea_manager):
        manager.weekly_digest = False
        manager.save()
    org.east_manager.time_zone = "UTC"
    org.east_manager.save()


def test_it_sends_once_per_week_from_monday_morning(org):
    _only_east_manager(org)
    # Before Monday 07:00 the week has not begun for digests (Sunday belongs to the
    # week before, whose digest is long due: mark it sent).
    assert manager_digests_send(now=_at(MONDAY - dt.timedelta(days=1), 23))["sent"] == 1
    assert manager_digests_send(now=_at(MONDAY, 6, 59))["sent"] == 0
    assert manager_digests_send(now=_at(MONDAY, 7))["sent"] == 1
    assert manager_digests_send(now=_at(MONDAY, 8))["sent"] == 0
    assert manager_digests_send(now=_at(MONDAY + dt.timedelta(days=3), 9))["sent"] == 0
    assert manager_digests_send(now=_at(MONDAY + dt.timedelta(days=7), 7))["sent"] == 1
    assert len(_digests_to(org.east_manager)) == 3


def test_it_sends_on_the_first_run_after_a_missed_monday(org):
    _only_east_manager(org)
    assert manager_digests_send(now=_at(MONDAY + dt.timedelta(days=2), 15))["sent"] == 1


def test_it_waits_for_monday_morning_in_the_managers_time_zone(org):
    _only_east_manager(org)
    org.east_manager.time_zone = "America/New_York"
    org.east_manager.save()
    assert manager_digests_send(now=_at(MONDAY, 11, 59))["sent"] == 0  # 06:59 there
    assert manager_digests_send(now=_at(MONDAY, 12))["sent"] == 1


def test_it_respects_a_manager_who_switched_digests_off(org):
    _only_east_manager(org)
    org.east_manager.weekly_digest = False
    org.east_manager.save()
    assert manager_digests_send(now=_at(MONDAY, 9))["sent"] == 0


@pytest.fixture
def monday_morning(time_machine) -> None:
    """The clock stands at 09:00 UTC on a Monday, before the test's data exists."""
    time_machine.move_to(_at(MONDAY, 9), tick=False)


def test_it_lists_overdue_people_reviews_waiting_and_expiring_certificates(
    monday_morning, org, onboarding
):
    _only_east_manager(org)
    onboarding.assign(org.rep_east, started_days_ago=20)
    onboarding.assign(org.rep_east2, started_days_ago=2)  # Discovery due in 5 days
    waiting = history.review(org.rep_east2, org.east_coach, score="3.00")
    Submission.objects.filter(pk=waiting.take.submission_id).update(
        state=Submission.State.REQUESTED, title="Pricing call with Initech"
    )
    history.certificate(org.east_coach, expires_in_days=12)
    manager_digests_send_task.apply()
    (message,) = _digests_to(org.east_manager)
    body = message.body
    assert f"- {org.rep_east.full_name} (East): 2 overdue" in body
    assert f"- {org.rep_east2.full_name}: Discovery, due" in body
    assert "Pricing call with Initech" in body
    assert f"- {org.east_coach.full_name}: expires" in body
    assert org.rep_west.full_name not in body
    assert "Open My team" in message.alternatives[0][0]


def test_it_writes_times_in_the_managers_time_zone(org):
    _only_east_manager(org)
    org.east_manager.time_zone = "Asia/Tokyo"
    org.east_manager.save()
    waiting = history.review(org.rep_east2, org.east_coach, score="3.00")
    Submission.objects.filter(pk=waiting.take.submission_id).update(
        state=Submission.State.REQUESTED,
        title="Pricing call with Initech",
        due_at=_at(MONDAY, 20),  # 05:00 on Tuesday in Tokyo
    )
    assert manager_digests_send(now=_at(MONDAY, 9))["sent"] == 1
    (message,) = _digests_to(org.east_manager)
    assert "Pricing call with Initech, due 24 November 05:00" in message.body


def _zone_where_the_digest_stays_due(manager) -> str:
    """A time zone in which this week's digest is due now and for the next hour,
    whatever the instant (ONRAMP_TEST_NOW): the worker reads its own clock, which
    the test cannot set. Monday 00:00-06:59 UTC is mid-afternoon on Kiritimati."""
    now = timezone.now()
    for zone in ("UTC", "Pacific/Kiritimati"):
        manager.time_zone = zone
        due = digest_due(manager, now)
        if due is not None and due == digest_due(manager, now + dt.timedelta(hours=1)):
            return zone
    raise AssertionError(f"no zone found for {now}")


@pytest.mark.worker
def test_it_sends_the_digest_through_the_worker_once_a_week(celery_worker, org):
    _only_east_manager(org)
    org.east_manager.time_zone = _zone_where_the_digest_stays_due(org.east_manager)
    org.east_manager.save()
    for _ in range(3):
        manager_digests_send_task.delay()

    def all_finished() -> bool:
        log = celery_worker.log()
        batches = log.count("manager_digests_batch_task[")
        return (
            log.count("manager_digests_send_task[") >= 6  # received, succeeded
            and batches >= 2
            and batches % 2 == 0
            and log.count("] succeeded in") == log.count("] received")
        )

    celery_worker.wait_for(all_finished, what="the three runs and their batches")
    digests = [
        text
        for text in celery_worker.mails()
        if f"To: {org.east_manager.email}" in text
    ]
    assert len(digests) == 1
    assert "succeeded in" in celery_worker.log().splitlines()[-1]


def test_it_hands_out_the_managers_whose_digest_is_due_and_not_sent(org):
    _only_east_manager(org)
    org.region_manager.weekly_digest = True
    org.region_manager.time_zone = "Asia/Tokyo"
    org.region_manager.save()
    # 06:00 UTC on Monday is 15:00 in Tokyo: only the Tokyo manager's is due.
    assert managers_due_digest(now=_at(MONDAY, 6)) == [org.region_manager.pk]
    assert set(managers_due_digest(now=_at(MONDAY, 7))) == {
        org.region_manager.pk,
        org.east_manager.pk,
    }
    manager_digests_send(now=_at(MONDAY, 7), manager_ids=[org.east_manager.pk])
    assert NotificationLog.objects.filter(kind=KIND).count() == 1
    assert managers_due_digest(now=_at(MONDAY, 8)) == [org.region_manager.pk]
