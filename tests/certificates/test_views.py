"""My certificates, the team view and the private PDF download, for every viewer."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certificates import services
from certificates.models import Certificate
from certificates.rendering import certificate_render_pdf
from certificates.services import certificate_issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def after_issue(monkeypatch):
    issued: list[int] = []
    monkeypatch.setattr(services, "_after_issue", issued.append)
    return issued


def _issue(kit, user, *, days_ago=0, with_pdf=True) -> Certificate:
    certificate, _ = certificate_issue(
        user=user,
        program=kit.program,
        cycle=1,
        issued_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    if with_pdf:
        certificate_render_pdf(certificate_id=certificate.pk)
        certificate.refresh_from_db()
    return certificate


# My certificates


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("certificates_mine"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_shows_a_rep_their_progress_and_only_their_certificates(
    client, program_kit, org
):
    mine = _issue(program_kit, org.rep_east)
    other = _issue(program_kit, org.rep_west)
    program_kit.pass_quiz(org.rep_east2)
    client.force_login(org.rep_east2)

    page = client.get(reverse("certificates_mine")).content.decode()

    assert "Certified Discovery Seller" in page
    assert "1 of 3 met" in page
    assert "Take the quiz" not in page  # passed already
    assert "0 of 2 so far: send a recording for review." in page
    assert mine.serial not in page and other.serial not in page
    assert "You have no certificates yet" in page


def test_it_lists_a_holders_certificate_with_its_verification_link(
    client, program_kit, org
):
    certificate = _issue(program_kit, org.rep_east)
    client.force_login(org.rep_east)

    page = client.get(reverse("certificates_mine")).content.decode()

    assert certificate.serial in page
    assert "You hold this certificate until" in page
    assert f"http://localhost:8000/verify/{certificate.verification_code}/" in page
    assert reverse("certificate_pdf", args=[certificate.pk]) in page


def test_it_lists_certificates_in_the_navigation(client, org):
    client.force_login(org.rep_east)

    page = client.get(reverse("certificates_mine")).content.decode()

    assert f'href="{reverse("certificates_mine")}" aria-current="page"' in page


# The PDF


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("rep_east", 200),  # the holder
        ("rep_east2", 404),  # another rep of the same team
        ("rep_west", 404),
        ("east_manager", 200),  # their manager
        ("region_manager", 200),  # the manager above
        ("emea_manager", 404),  # another team's manager
        ("east_coach", 200),  # their coach
        ("multi_coach", 404),  # another team's coach
        ("admin", 200),
        ("loner", 404),
    ],
)
def test_it_serves_the_pdf_only_to_those_who_may_see_the_holder(
    client, program_kit, org, viewer, status
):
    certificate = _issue(program_kit, org.rep_east)
    client.force_login(org[viewer])

    response = client.get(reverse("certificate_pdf", args=[certificate.pk]))

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert f'filename="{certificate.serial}.pdf"' in response["Content-Disposition"]
        content = b"".join(response.streaming_content)
        text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
        assert "Rae East" in text
        assert certificate.serial in text


def test_it_asks_anonymous_visitors_to_sign_in_for_a_pdf(client, program_kit, org):
    certificate = _issue(program_kit, org.rep_east)

    response = client.get(reverse("certificate_pdf", args=[certificate.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_answers_404_for_an_unknown_certificate(client, org):
    client.force_login(org.admin)

    assert client.get(reverse("certificate_pdf", args=[999999])).status_code == 404


def test_it_offers_to_prepare_a_missing_pdf_without_queueing_from_a_get(
    client, program_kit, org, monkeypatch
):
    from certificates import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.certificate_render_pdf_task, "delay", queued.append)
    certificate = _issue(program_kit, org.rep_east, with_pdf=False)
    client.force_login(org.rep_east)

    response = client.get(reverse("certificate_pdf", args=[certificate.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"The PDF of certificate {certificate.serial}" in page
    assert reverse("certificate_pdf_prepare", args=[certificate.pk]) in page
    assert queued == []


def test_it_prepares_a_missing_pdf_after_commit_on_request(
    client, program_kit, org, monkeypatch, django_capture_on_commit_callbacks
):
    from certificates import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.certificate_render_pdf_task, "delay", queued.append)
    certificate = _issue(program_kit, org.rep_east, with_pdf=False)
    client.force_login(org.rep_east)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificate_pdf_prepare", args=[certificate.pk]), follow=True
        )

    assert response.redirect_chain == [(reverse("certificates_mine"), 302)]
    assert "is being prepared: try again in a minute" in response.content.decode()
    assert queued == [certificate.pk]


@pytest.mark.parametrize(
    ("viewer", "status", "back"),
    [
        ("rep_east", 302, "certificates_mine"),  # the holder
        ("rep_east2", 404, None),  # another rep of the same team
        ("east_manager", 302, "certificates_team"),  # their manager
        ("region_manager", 302, "certificates_team"),  # the manager above
        ("emea_manager", 404, None),  # another team's manager
        ("east_coach", 302, "certificates_mine"),  # their coach: no team view
        ("multi_coach", 404, None),  # another team's coach
        ("admin", 302, "certificates_team"),
        ("loner", 404, None),
    ],
)
def test_it_lets_only_those_who_may_download_it_prepare_a_pdf(
    client, program_kit, org, monkeypatch, viewer, status, back
):
    from certificates import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.certificate_render_pdf_task, "delay", queued.append)
    certificate = _issue(program_kit, org.rep_east)
    client.force_login(org[viewer])

    response = client.post(reverse("certificate_pdf_prepare", args=[certificate.pk]))

    assert response.status_code == status
    certificate.refresh_from_db()
    if back is not None:
        assert response["Location"] == reverse(back)
        assert certificate.pdf_rendered_at is None  # the sweep will queue it too
    else:
        assert certificate.pdf_rendered_at is not None  # nothing changed


def test_it_asks_anonymous_visitors_to_sign_in_to_prepare_a_pdf(
    client, program_kit, org
):
    certificate = _issue(program_kit, org.rep_east)

    response = client.post(reverse("certificate_pdf_prepare", args=[certificate.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_refuses_to_prepare_a_pdf_from_a_get(client, program_kit, org):
    certificate = _issue(program_kit, org.rep_east)
    client.force_login(org.rep_east)

    response = client.get(reverse("certificate_pdf_prepare", args=[certificate.pk]))

    assert response.status_code == 405


# The team view


def test_it_refuses_the_team_view_to_reps(client, org):
    client.force_login(org.rep_east)

    assert client.get(reverse("certificates_team")).status_code == 403


def test_it_sends_anonymous_visitors_from_the_team_view_to_sign_in(client):
    response = client.get(reverse("certificates_team"))

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("east_manager", {"rep_east"}),
        ("region_manager", {"rep_east", "rep_west"}),
        ("emea_manager", {"rep_north"}),
        ("admin", {"rep_east", "rep_west", "rep_north"}),
    ],
)
def test_it_shows_managers_their_subtrees_certificates(
    client, program_kit, org, viewer, sees
):
    certificates = {
        name: _issue(program_kit, org[name])
        for name in ("rep_east", "rep_west", "rep_north")
    }
    client.force_login(org[viewer])

    page = client.get(reverse("certificates_team")).content.decode()

    shown = {name for name, c in certificates.items() if c.serial in page}
    assert shown == sees


def test_it_lists_certificates_expiring_within_30_60_and_90_days(
    client, program_kit, org
):
    # Valid 12 months: issued this many days ago, they expire in about 365 - n days.
    soon = _issue(program_kit, org.rep_east, days_ago=350)
    later = _issue(program_kit, org.rep_east2, days_ago=300)
    fresh = _issue(program_kit, org.rep_west, days_ago=10)
    client.force_login(org.region_manager)

    page = client.get(reverse("certificates_team")).content.decode()
    assert "1 within 30 days" in page
    assert "1 within 60 days" in page
    assert "2 within 90 days" in page

    within_30 = client.get(reverse("certificates_team"), {"expiring": 30})
    within_90 = client.get(reverse("certificates_team"), {"expiring": 90})
    assert soon.serial in within_30.content.decode()
    assert later.serial not in within_30.content.decode()
    assert soon.serial in within_90.content.decode()
    assert later.serial in within_90.content.decode()
    assert fresh.serial not in within_90.content.decode()


def test_it_filters_the_team_view_by_status(client, program_kit, org):
    valid = _issue(program_kit, org.rep_east)
    revoked = _issue(program_kit, org.rep_east2)
    services.certificate_revoke(certificate=revoked, actor=org.admin, reason="Error")
    client.force_login(org.east_manager)

    page = client.get(reverse("certificates_team"), {"status": "revoked"})

    assert revoked.serial in page.content.decode()
    assert valid.serial not in page.content.decode()


def test_it_explains_filters_it_cannot_use(client, org):
    client.force_login(org.east_manager)

    page = client.get(reverse("certificates_team"), {"expiring": "7"})

    assert page.status_code == 200
    assert "Some filters could not be used" in page.content.decode()


def test_it_cannot_be_made_to_issue_by_a_forged_post(client, program_kit, org):
    client.force_login(org.rep_east)
    forged = {
        "user": org.rep_east.pk,
        "program": program_kit.program.pk,
        "reason": "I say so",
        "status": "active",
        "complete": "true",
    }

    for url in (reverse("certificates_mine"), reverse("certificates_team")):
        client.post(url, forged)
    response = client.post(reverse("certificates_admin:issue"), forged)

    assert response.status_code == 302
    assert not Certificate.objects.exists()


def test_it_pages_the_team_view_and_keeps_the_filters(
    client, program_kit, org, monkeypatch
):
    from certificates import views

    monkeypatch.setattr(views, "TEAM_PAGE_SIZE", 2)
    for name in ("rep_east", "rep_east2", "rep_west"):
        _issue(program_kit, org[name], with_pdf=False)
    client.force_login(org.region_manager)

    first = client.get(reverse("certificates_team"), {"status": "active"})
    second = client.get(reverse("certificates_team"), {"status": "active", "page": 2})

    assert "Page 1 of 2" in first.content.decode()
    assert "?status=active&amp;page=2" in first.content.decode()
    shown = [
        c.serial
        for c in Certificate.objects.all()
        if c.serial in first.content.decode() + second.content.decode()
    ]
    assert len(shown) == 3


def test_it_reads_the_team_view_in_the_same_queries_however_many_certificates(
    client, program_kit, org
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org.region_manager)
    _issue(program_kit, org.rep_east, with_pdf=False)
    client.get(
        reverse("certificates_team")
    )  # fills the person's cached roles and state: both measured visits find them
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("certificates_team"))
    for name in ("rep_east2", "rep_west"):
        _issue(program_kit, org[name], with_pdf=False)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("certificates_team"))

    assert len(three) == len(one)


def test_it_leaves_a_renewed_certificate_out_of_the_expiring_list(
    client, program_kit, org
):
    old = _issue(program_kit, org.rep_east, days_ago=350, with_pdf=False)
    renewed, _ = certificate_issue(
        user=org.rep_east, program=program_kit.program, cycle=2
    )
    waiting = _issue(program_kit, org.rep_east2, days_ago=350, with_pdf=False)
    client.force_login(org.east_manager)

    page = client.get(reverse("certificates_team"), {"expiring": 30}).content.decode()

    assert waiting.serial in page
    assert old.serial not in page and renewed.serial not in page
    assert "1 within 30 days" in page
