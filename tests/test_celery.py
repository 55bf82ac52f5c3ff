"""Background jobs through a real worker process and a real broker."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from lms.accounts import services
from lms.accounts.models import Invitation
from lms.accounts.services import InvitationRequest
from lms.celery import app

pytestmark = pytest.mark.worker


def _invite(inviter, team, email):
    return services.invitation_create(
        invited_by=inviter,
        request=InvitationRequest(
            email=email, full_name="Ivy Invitee", team=team, role="rep", start_date=None
        ),
    )


def test_it_sends_an_invitation_through_the_worker(celery_worker, org):
    invitation = _invite(org.east_manager, org.east, "ivy@example.com")

    celery_worker.wait_for(
        lambda: Invitation.objects.get(pk=invitation.pk).sent_at, what="the e-mail"
    )
    (message,) = celery_worker.mails()
    assert "To: ivy@example.com" in message
    assert "/invitations/" in message


def test_it_never_sends_a_task_enqueued_in_a_rolled_back_transaction(
    celery_worker, org
):
    with pytest.raises(RuntimeError), transaction.atomic():
        _invite(org.east_manager, org.east, "ghost@example.com")
        raise RuntimeError("the request failed after enqueuing")
    assert not Invitation.objects.filter(email="ghost@example.com").exists()

    # The worker takes tasks in order: once a later one is done, an earlier one
    # would have been received too.
    later = _invite(org.east_manager, org.east, "later@example.com")
    celery_worker.wait_for(lambda: Invitation.objects.get(pk=later.pk).sent_at)
    assert celery_worker.received("invitation_send_task") == 1
    assert "ghost@example.com" not in "".join(celery_worker.mails())


def test_it_configures_celery_for_safe_retries():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert {queue.name for queue in conf.task_queues} == {"default", "media"}
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_it_refuses_a_redis_visibility_timeout_below_a_task_time_limit(settings):
    from lms.checks import celery_visibility_timeout
    from media.tasks import asset_process_task as transcode

    assert transcode.time_limit > settings.CELERY_TASK_TIME_LIMIT
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/1"
    settings.CELERY_VISIBILITY_TIMEOUT = transcode.time_limit
    assert [error.id for error in celery_visibility_timeout()] == ["lms.E001"]
    settings.CELERY_VISIBILITY_TIMEOUT = transcode.time_limit + 1
    assert celery_visibility_timeout() == []


def test_every_task_ends_softly_before_it_is_killed():
    """Celery refuses to send a task whose soft limit (its own, or the default
    CELERY_TASK_SOFT_TIME_LIMIT) exceeds its hard one: beat then fails every time
    it is due. The soft limit comes first, so the task can stop cleanly: a task
    that sets `time_limit` sets `soft_time_limit` below it."""
    autodiscover_modules("tasks")
    conf = app.conf
    ours = {
        name: task for name, task in app.tasks.items() if not name.startswith("celery.")
    }
    assert ours
    wrong = {
        name: (task.soft_time_limit, task.time_limit)
        for name, task in ours.items()
        if (task.soft_time_limit or conf.task_soft_time_limit)
        >= (task.time_limit or conf.task_time_limit)
    }
    assert wrong == {}


def test_it_schedules_only_tasks_that_exist():
    autodiscover_modules("tasks")
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert scheduled == {
        "lms.accounts.tasks.invitations_send_stuck_task",
        "media.tasks.assets_requeue_stuck_task",
        "media.tasks.assets_expire_task",
        "courses.tasks.campaigns_materialise_task",
        "courses.tasks.reminders_send_task",
        "courses.quizzes.tasks.attempts_close_expired_task",
        "coaching.tasks.reviews_chase_overdue_task",
        "coaching.tasks.call_analyses_backfill_task",
        "certificates.tasks.certificates_expire_and_renew_task",
        "dashboards.tasks.manager_digests_send_task",
        "automation.tasks.delivery_digests_send_task",
        "integrations.tasks.webhook_deliveries_sweep_task",
        "integrations.tasks.assignments_announce_task",
        "integrations.tasks.crm_sync_all_task",
        "integrations.tasks.xapi_rounds_start_task",
        "library.tasks.review_notices_send_task",
        "library.tasks.owner_digests_send_task",
        "library.tasks.item_previews_requeue_stuck_task",
        "automation.tasks.sequences_tick_task",
    }
    assert scheduled <= set(app.tasks)
