"""Expiry and renewal with the clock moved: renewal opens inside the window with the
renewal content assigned and one e-mail, expiry keeps the certificate verifiable,
completing the renewal issues the next cycle, and every cycle stays."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.urls import reverse

from certificates import services
from certificates.models import Certificate, CertificateEvent
from certificates.progress import program_progress
from certificates.services import (
    certificate_issue_manually,
    certificate_revoke,
    certificates_evaluate,
    certificates_expire_and_renew,
)
from courses.models import Assignment

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def after_issue(monkeypatch):
    issued: list[int] = []
    monkeypatch.setattr(services, "_after_issue", issued.append)
    return issued


@pytest.fixture
def certified(program_kit, org, time_machine):
    """Rae East certified on START; valid until 15 January 2027."""
    time_machine.move_to(START, tick=False)
    program_kit.meet_everything(org.rep_east)
    (certificate,) = certificates_evaluate(user_id=org.rep_east.pk)
    assert certificate.expires_at == dt.datetime(2027, 1, 15, 9, 0, tzinfo=dt.UTC)
    return certificate


def _renewal_assignments(user):
    return Assignment.objects.filter(
        user=user, reason=Assignment.Reason.RECERTIFICATION
    )


def test_it_does_nothing_before_the_renewal_window(certified, org, time_machine):
    time_machine.move_to(certified.expires_at - dt.timedelta(days=30, seconds=1))

    assert certificates_expire_and_renew() == {"renewals_opened": 0, "expired": 0}
    assert not _renewal_assignments(org.rep_east).exists()
    assert mail.outbox == []


def test_it_opens_renewal_inside_the_window_once(
    certified, program_kit, org, time_machine
):
    opened_at = certified.expires_at - dt.timedelta(days=30)
    time_machine.move_to(opened_at, tick=False)

    assert certificates_expire_and_renew() == {"renewals_opened": 1, "expired": 0}
    assert certificates_expire_and_renew() == {"renewals_opened": 0, "expired": 0}

    certified.refresh_from_db()
    assert certified.renewal_opened_at == opened_at
    assert certified.status == Certificate.Status.ACTIVE
    (assignment,) = _renewal_assignments(org.rep_east)
    assert assignment.course == program_kit.course
    assert assignment.counts_from == opened_at
    assert assignment.due_at == certified.expires_at
    assert assignment.required_done == 0  # earlier completions do not count
    assert [e.action for e in certified.events.all()] == [
        CertificateEvent.Action.RENEWAL_OPENED,
        CertificateEvent.Action.ISSUED,
    ]
    (message,) = mail.outbox
    assert message.to == [org.rep_east.email]
    assert "Renew your “Certified Discovery Seller” certificate" == message.subject
    assert "15 January 2027" in message.body
    assert "Complete the course “Discovery calls”" in message.body


def test_it_expires_at_the_expiry_and_still_verifies_as_expired(
    certified, client, org, time_machine
):
    time_machine.move_to(certified.expires_at - dt.timedelta(seconds=1))
    assert certificates_expire_and_renew()["expired"] == 0

    time_machine.move_to(certified.expires_at, tick=False)
    assert certificates_expire_and_renew() == {"renewals_opened": 0, "expired": 1}
    assert certificates_expire_and_renew() == {"renewals_opened": 0, "expired": 0}

    certified.refresh_from_db()
    assert certified.status == Certificate.Status.EXPIRED
    assert certified.events.first().action == CertificateEvent.Action.EXPIRED
    page = client.get(reverse("certificate_verify", args=[certified.verification_code]))
    assert page.status_code == 200
    assert "Expired" in page.content.decode()


def test_it_issues_the_next_cycle_when_the_renewal_is_completed(
    certified, program_kit, org, time_machine
):
    time_machine.move_to(certified.expires_at - dt.timedelta(days=20), tick=False)
    certificates_expire_and_renew()
    progress = program_progress(user=org.rep_east, program=program_kit.program)
    assert progress.renewal and progress.cycle == 2
    assert [line.label for line in progress.lines] == [
        "Complete the course “Discovery calls”"
    ]
    # The quiz and reviews from the first cycle are old evidence; so is the course.
    assert certificates_evaluate(user_id=org.rep_east.pk) == []

    time_machine.move_to(certified.expires_at - dt.timedelta(days=10), tick=False)
    program_kit.complete_path(org.rep_east)
    (renewed,) = certificates_evaluate(user_id=org.rep_east.pk)

    assert renewed.cycle == 2
    assert renewed.serial != certified.serial
    assert renewed.expires_at == renewed.issued_at + relativedelta(months=12)
    assert _renewal_assignments(org.rep_east).get().completed_at is not None
    # The old certificate stays valid until its own expiry, then lapses; the new
    # one goes on.
    time_machine.move_to(certified.expires_at, tick=False)
    assert certificates_expire_and_renew() == {"renewals_opened": 0, "expired": 1}
    assert list(
        Certificate.objects.filter(user=org.rep_east)
        .order_by("cycle")
        .values_list("cycle", "status")
    ) == [(1, "expired"), (2, "active")]
    assert program_progress(user=org.rep_east, program=program_kit.program).holds_valid


def test_it_renews_after_a_lapse_with_evidence_from_the_renewal(
    certified, program_kit, org, time_machine
):
    time_machine.move_to(certified.expires_at + dt.timedelta(days=5), tick=False)
    certificates_expire_and_renew()
    certified.refresh_from_db()
    assert certified.status == Certificate.Status.EXPIRED
    assert certified.renewal_opened_at is not None  # opened on the way out

    time_machine.move_to(certified.expires_at + dt.timedelta(days=40), tick=False)
    program_kit.complete_path(org.rep_east)
    (renewed,) = certificates_evaluate(user_id=org.rep_east.pk)

    assert renewed.cycle == 2
    assert Certificate.objects.filter(user=org.rep_east).count() == 2


def test_it_asks_for_every_requirement_again_without_renewal_content(
    certified, program_kit, org, time_machine
):
    program = program_kit.program
    program.renewal_course = None
    program.save()
    time_machine.move_to(certified.expires_at - dt.timedelta(days=15), tick=False)
    certificates_expire_and_renew()
    (assignment,) = _renewal_assignments(org.rep_east)
    assert assignment.path == program_kit.path  # the program's own path, afresh
    assert len(program_progress(user=org.rep_east, program=program).lines) == 3

    program_kit.complete_path(org.rep_east)
    program_kit.pass_quiz(org.rep_east)
    program_kit.approve_review(org.rep_east)
    assert certificates_evaluate(user_id=org.rep_east.pk) == []  # one review short

    program_kit.approve_review(org.rep_east)
    (renewed,) = certificates_evaluate(user_id=org.rep_east.pk)
    assert renewed.cycle == 2


def test_it_never_expires_a_certificate_without_validity(program_kit, org):
    program = program_kit.program
    program.validity_months = None
    program.save()
    program_kit.meet_everything(org.rep_east)
    (certificate,) = certificates_evaluate(user_id=org.rep_east.pk)

    far = certificate.issued_at + relativedelta(years=30)
    assert certificates_expire_and_renew(now=far) == {
        "renewals_opened": 0,
        "expired": 0,
    }
    assert certificate.expires_at is None


def test_it_leaves_a_revoked_certificate_to_an_admin_to_issue_again(
    certified, program_kit, org, time_machine
):
    time_machine.move_to(START + dt.timedelta(days=60), tick=False)
    certificate_revoke(certificate=certified, actor=org.admin, reason="Shared quiz")
    program_kit.pass_quiz(org.rep_east, percent=100)
    program_kit.approve_review(org.rep_east)
    program_kit.approve_review(org.rep_east)

    assert certificates_evaluate(user_id=org.rep_east.pk) == []
    progress = program_progress(user=org.rep_east, program=program_kit.program)
    assert progress.revoked and not progress.holds_valid
    assert progress.summary == "Certified Discovery Seller: revoked"
    # Revoked certificates are left alone by expiry and renewal.
    time_machine.move_to(certified.expires_at, tick=False)
    assert certificates_expire_and_renew() == {"renewals_opened": 0, "expired": 0}

    again = certificate_issue_manually(
        user=org.rep_east,
        program=program_kit.program,
        actor=org.admin,
        reason="Retook the quiz under supervision",
    )
    assert (again.cycle, again.issued_by) == (2, org.admin)


def test_it_opens_no_renewal_for_an_inactive_program_but_still_expires(
    certified, program_kit, org, time_machine
):
    program_kit.program.active = False
    program_kit.program.save()

    time_machine.move_to(certified.expires_at - dt.timedelta(days=10), tick=False)
    assert certificates_expire_and_renew() == {"renewals_opened": 0, "expired": 0}
    time_machine.move_to(certified.expires_at, tick=False)
    assert certificates_expire_and_renew() == {"renewals_opened": 0, "expired": 1}
    assert not _renewal_assignments(org.rep_east).exists()
    assert mail.outbox == []


def test_it_opens_renewal_for_a_lapsed_certificate_when_its_program_is_active_again(
    certified, program_kit, org, time_machine
):
    program = program_kit.program
    program.active = False
    program.save()
    time_machine.move_to(certified.expires_at + dt.timedelta(days=1), tick=False)
    assert certificates_expire_and_renew() == {"renewals_opened": 0, "expired": 1}

    program.active = True
    program.save()
    reopened_at = certified.expires_at + dt.timedelta(days=40)
    time_machine.move_to(reopened_at, tick=False)
    assert certificates_expire_and_renew() == {"renewals_opened": 1, "expired": 0}
    assert certificates_expire_and_renew() == {"renewals_opened": 0, "expired": 0}

    (assignment,) = _renewal_assignments(org.rep_east)
    assert (assignment.counts_from, assignment.due_at) == (reopened_at, None)
    assert mail.outbox == []  # no "renew before it expires" for a lapsed one
    time_machine.move_to(reopened_at + dt.timedelta(days=3), tick=False)
    program_kit.complete_path(org.rep_east)
    (renewed,) = certificates_evaluate(user_id=org.rep_east.pk)
    assert renewed.cycle == 2
    # Superseded, the lapsed certificate is not opened again.
    assert certificates_expire_and_renew() == {"renewals_opened": 0, "expired": 0}
