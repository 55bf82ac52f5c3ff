"""The Certification admin: programs as snippets, revoking and issuing by hand with a
reason, and an audit log that nobody can change."""

from __future__ import annotations

import pytest
from django.contrib import admin as django_admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from certificates import services
from certificates.models import Certificate, CertificateEvent, CertificationProgram
from certificates.services import CertificateRefused, certificate_issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def after_issue(monkeypatch):
    issued: list[int] = []
    monkeypatch.setattr(services, "_after_issue", issued.append)
    return issued


@pytest.fixture
def certificate(program_kit, org) -> Certificate:
    certificate, _ = certificate_issue(
        user=org.rep_east, program=program_kit.program, cycle=1
    )
    return certificate


def test_it_shows_admins_the_certification_menu(client, org, certificate):
    client.force_login(org.admin)

    index = client.get(reverse("certificates_admin:index"))
    programs = client.get(
        reverse("wagtailsnippets_certificates_certificationprogram:list")
    )
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()

    assert index.status_code == 200
    assert certificate.serial in index.content.decode()
    assert programs.status_code == 200
    assert "Certified Discovery Seller" in programs.content.decode()
    assert "Certification" in dashboard


def test_it_finds_certificates_by_name_or_serial(client, org, certificate):
    client.force_login(org.admin)

    found = client.get(reverse("certificates_admin:index"), {"q": "rae"})
    missing = client.get(reverse("certificates_admin:index"), {"q": "nobody"})

    assert certificate.serial in found.content.decode()
    assert certificate.serial not in missing.content.decode()


@pytest.mark.parametrize("viewer", ["rep_east", "east_manager", "east_coach"])
def test_it_keeps_everyone_but_admins_out(client, org, certificate, viewer):
    client.force_login(org[viewer])

    for url in (
        reverse("certificates_admin:index"),
        reverse("certificates_admin:detail", args=[certificate.pk]),
        reverse("certificates_admin:issue"),
    ):
        assert client.get(url).status_code == 302
    client.post(
        reverse("certificates_admin:revoke", args=[certificate.pk]),
        {"reason": "I want to"},
    )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ACTIVE


def test_it_revokes_with_a_reason_recorded_in_the_audit_log(client, org, certificate):
    client.force_login(org.admin)

    response = client.post(
        reverse("certificates_admin:revoke", args=[certificate.pk]),
        {"reason": "  Shared quiz answers  "},
        follow=True,
    )

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert (certificate.revoked_by, certificate.revoked_reason) == (
        org.admin,
        "Shared quiz answers",
    )
    event = certificate.events.first()
    assert (event.action, event.actor, event.reason) == (
        CertificateEvent.Action.REVOKED,
        org.admin,
        "Shared quiz answers",
    )
    page = response.content.decode()
    assert "revoked." in page
    assert "Shared quiz answers" in page


def test_it_refuses_to_revoke_without_a_reason(client, org, certificate):
    client.force_login(org.admin)

    response = client.post(
        reverse("certificates_admin:revoke", args=[certificate.pk]),
        {"reason": "   "},
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ACTIVE
    assert certificate.events.count() == 1


def test_it_refuses_to_revoke_twice(org, certificate):
    services.certificate_revoke(certificate=certificate, actor=org.admin, reason="One")

    with pytest.raises(CertificateRefused, match="revoked already"):
        services.certificate_revoke(
            certificate=certificate, actor=org.admin, reason="Two"
        )
    assert certificate.events.filter(action="revoked").count() == 1


def test_it_issues_manually_with_a_reason(
    client, program_kit, org, after_issue, django_capture_on_commit_callbacks
):
    client.force_login(org.admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates_admin:issue"),
            {
                "user": org.rep_north.pk,
                "program": program_kit.program.pk,
                "reason": "Certified at Northwind before Onramp",
            },
        )

    certificate = Certificate.objects.get(user=org.rep_north)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "certificates_admin:detail", args=[certificate.pk]
    )
    assert (certificate.issued_by, certificate.issue_reason) == (
        org.admin,
        "Certified at Northwind before Onramp",
    )
    (event,) = certificate.events.all()
    assert (event.action, event.actor) == (
        CertificateEvent.Action.ISSUED_MANUALLY,
        org.admin,
    )
    assert after_issue == [certificate.pk]


def test_it_refuses_to_issue_manually_without_a_reason(client, program_kit, org):
    client.force_login(org.admin)

    response = client.post(
        reverse("certificates_admin:issue"),
        {"user": org.rep_north.pk, "program": program_kit.program.pk, "reason": ""},
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Certificate.objects.exists()


def test_it_refuses_to_issue_manually_over_a_valid_certificate(
    client, program_kit, org, certificate
):
    client.force_login(org.admin)

    response = client.post(
        reverse("certificates_admin:issue"),
        {
            "user": org.rep_east.pk,
            "program": program_kit.program.pk,
            "reason": "Again",
        },
    )

    assert response.status_code == 400
    assert "already holds a valid" in response.content.decode()
    assert Certificate.objects.count() == 1


def test_it_lets_only_admins_issue_or_revoke_through_the_services(
    program_kit, org, certificate
):
    with pytest.raises(CertificateRefused):
        services.certificate_issue_manually(
            user=org.rep_west,
            program=program_kit.program,
            actor=org.east_manager,
            reason="Because",
        )
    with pytest.raises(CertificateRefused):
        services.certificate_revoke(
            certificate=certificate, actor=org.region_manager, reason="Because"
        )
    with pytest.raises(CertificateRefused, match="Give a reason"):
        services.certificate_revoke(certificate=certificate, actor=org.admin, reason="")


def test_it_keeps_audit_entries_unchangeable(certificate):
    event = certificate.events.get()

    event.reason = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert CertificateEvent.objects.get(pk=event.pk).reason == ""


def test_it_shows_the_audit_log_read_only(client, org, certificate):
    services.certificate_revoke(
        certificate=certificate, actor=org.admin, reason="Wrong person"
    )
    client.force_login(org.admin)

    page = client.get(
        reverse("certificates_admin:detail", args=[certificate.pk])
    ).content.decode()

    assert "Audit log" in page
    assert "Wrong person" in page
    assert "Issued (requirements met)" in page
    assert "Revoke certificate" not in page  # revoked already
    assert CertificateEvent not in django_admin.site._registry
    assert Certificate not in django_admin.site._registry


def test_it_lets_admins_edit_programs(client, org, program_kit):
    client.force_login(org.admin)
    url = reverse(
        "wagtailsnippets_certificates_certificationprogram:edit",
        args=[program_kit.program.pk],
    )

    response = client.get(url)

    assert response.status_code == 200
    assert "Requirements (all must be met)" in response.content.decode()
    assert CertificationProgram.objects.count() == 1


def test_it_keeps_a_program_that_has_certificates(client, org, certificate):
    client.force_login(org.admin)
    url = reverse(
        "wagtailsnippets_certificates_certificationprogram:delete",
        args=[certificate.program.pk],
    )

    response = client.post(url, follow=True)

    assert "cannot be deleted" in response.content.decode()
    assert CertificationProgram.objects.filter(pk=certificate.program.pk).exists()


def test_it_deletes_a_program_that_issued_nothing(client, org, program_kit):
    from tests.factories import make_program

    unused = make_program("Unused", [])
    client.force_login(org.admin)

    client.post(
        reverse(
            "wagtailsnippets_certificates_certificationprogram:delete",
            args=[unused.pk],
        )
    )

    assert not CertificationProgram.objects.filter(pk=unused.pk).exists()


def test_it_refuses_a_renewal_window_as_long_as_the_validity(program_kit):
    program = program_kit.program
    program.validity_months = 1
    program.renewal_window_days = 30

    with pytest.raises(ValidationError, match="shorter than the validity"):
        program.full_clean()

    program.renewal_window_days = 20
    program.full_clean()
    program.validity_months = None
    program.renewal_window_days = 365
    program.full_clean()
