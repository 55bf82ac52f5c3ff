"""The sweeper queues again the PDF and the e-mail of certificates whose jobs were
lost, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest

from certificates import services, tasks
from certificates.notices import certificate_notify_issued
from certificates.services import (
    certificate_issue,
    certificate_revoke,
    certificates_requeue_stuck,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def queued(monkeypatch):
    """The jobs queued, by task; after-issue jobs are dropped (as if lost)."""
    monkeypatch.setattr(services, "_after_issue", lambda pk: None)
    jobs: dict[str, list[int]] = {"pdf": [], "notice": []}
    monkeypatch.setattr(tasks.certificate_render_pdf_task, "delay", jobs["pdf"].append)
    monkeypatch.setattr(
        tasks.certificate_notify_issued_task, "delay", jobs["notice"].append
    )
    return jobs


def test_it_requeues_the_pdf_and_e_mail_of_a_certificate_whose_jobs_were_lost(
    program_kit, org, queued, time_machine
):
    time_machine.move_to(START, tick=False)
    lost, _ = certificate_issue(user=org.rep_east, program=program_kit.program, cycle=1)
    done, _ = certificate_issue(user=org.rep_west, program=program_kit.program, cycle=1)
    done.pdf_rendered_at = START
    done.save()
    certificate_notify_issued(certificate=done)
    revoked, _ = certificate_issue(
        user=org.rep_north, program=program_kit.program, cycle=1
    )
    certificate_revoke(certificate=revoked, actor=org.admin, reason="Wrong person")

    # Not yet: the jobs may still be on their way.
    assert certificates_requeue_stuck(now=START + dt.timedelta(minutes=5)) == {
        "pdfs_requeued": 0,
        "notices_requeued": 0,
    }

    later = START + dt.timedelta(minutes=20)
    assert certificates_requeue_stuck(now=later) == {
        "pdfs_requeued": 2,
        "notices_requeued": 1,
    }
    assert sorted(queued["pdf"]) == sorted([lost.pk, revoked.pk])
    assert queued["notice"] == [lost.pk]

    # A week on, nobody is told of an old certificate any more.
    queued["notice"].clear()
    certificates_requeue_stuck(now=START + dt.timedelta(days=8))
    assert queued["notice"] == []
