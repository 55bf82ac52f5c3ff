"""The demo program and its certificates, in every state, idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent, CertificationProgram
from certificates.services import program_progress
from courses.models import Assignment
from lms.accounts.models import User

pytestmark = pytest.mark.django_db


def _person(first_name: str) -> User:
    return User.objects.get(email=f"{first_name}@northwind.example")


def test_it_seeds_the_program_and_certificates_in_every_state():
    call_command("seed_demo", stdout=StringIO())

    program = CertificationProgram.objects.get(title="Certified Discovery Seller")
    assert program.validity_months == 12
    assert program.renewal_window_days == 30
    assert [
        (r.kind, str(r.path or r.quiz or r.rubric), r.min_percent, r.min_reviews)
        for r in program.requirements.order_by("sort_order")
    ] == [
        ("path", "First 30 days", None, 1),
        ("quiz", "Discovery calls quiz", 80, 1),
        ("reviews", "Discovery call", None, 2),
    ]
    now = timezone.now()

    grace = Certificate.objects.get(user=_person("grace"))
    assert grace.status == Certificate.Status.ACTIVE
    assert grace.events.get().action == CertificateEvent.Action.ISSUED
    assert program_progress(user=_person("grace"), program=program).holds_valid

    jonas = Certificate.objects.get(user=_person("jonas"))
    assert jonas.status == Certificate.Status.ACTIVE
    assert now < jonas.expires_at <= now + dt.timedelta(days=30)
    assert jonas.renewal_opened_at is not None
    assert Assignment.objects.filter(
        user=_person("jonas"),
        reason=Assignment.Reason.RECERTIFICATION,
        course__title="Discovery calls",
    ).exists()

    sofia = Certificate.objects.get(user=_person("sofia"))
    assert sofia.status == Certificate.Status.REVOKED
    assert sofia.revoked_reason
    assert sofia.revoked_by == _person("priya")

    elena = Certificate.objects.get(user=_person("elena"))
    assert elena.status == Certificate.Status.EXPIRED
    assert elena.expires_at < now

    serials = set(Certificate.objects.values_list("serial", flat=True))
    call_command("seed_demo", stdout=StringIO())
    assert set(Certificate.objects.values_list("serial", flat=True)) == serials
    assert CertificationProgram.objects.count() == 1
    assert program.requirements.count() == 3
