"""Certification jobs through a real Celery worker: an event queues the evaluation,
the worker issues the certificate, renders its PDF and e-mails the holder; the daily
job opens renewals and expires certificates."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_issue
from certificates.tasks import certificates_expire_and_renew_task

pytestmark = pytest.mark.worker


def test_it_issues_renders_and_e_mails_through_the_worker(
    celery_worker, program_kit, org
):
    program_kit.pass_quiz(org.rep_east)
    program_kit.approve_review(org.rep_east)
    program_kit.approve_review(org.rep_east)

    # The last step completes the course: courses announces it after commit.
    program_kit.complete_path(org.rep_east)

    rendered = celery_worker.wait_for(
        lambda: Certificate.objects.filter(
            user=org.rep_east, pdf_rendered_at__isnull=False
        ).first(),
        timeout=60,
        what="the certificate and its PDF",
    )
    assert rendered.cycle == 1
    assert celery_worker.received("certificates_evaluate_task") == 1
    mails = celery_worker.wait_for(celery_worker.mails, what="the e-mail")
    (message,) = mails
    assert f"To: {org.rep_east.email}" in message
    assert rendered.serial in message


def test_it_runs_the_daily_expiry_and_renewal_in_the_worker(
    celery_worker, program_kit, org
):
    now = timezone.now()
    expiring, _ = certificate_issue(
        user=org.rep_east,
        program=program_kit.program,
        cycle=1,
        issued_at=now - relativedelta(months=12) + dt.timedelta(days=10),
    )
    lapsed, _ = certificate_issue(
        user=org.rep_west,
        program=program_kit.program,
        cycle=1,
        issued_at=now - relativedelta(months=13),
    )

    certificates_expire_and_renew_task.delay()

    celery_worker.wait_for(
        lambda: Certificate.objects.filter(pk=lapsed.pk, status="expired").exists(),
        what="the expiry",
    )
    expiring.refresh_from_db()
    assert expiring.renewal_opened_at is not None
    assert expiring.status == Certificate.Status.ACTIVE
