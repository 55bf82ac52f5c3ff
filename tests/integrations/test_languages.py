"""Integrations in Spanish and Bengali: the tokens and CRM pages, and the CRM's
"reconnect" e-mail in the recipient's language, whoever's sync ran into it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from integrations.crm.notices import crm_reauthorisation_notify
from integrations.models import CrmConnection, WebhookEndpoint
from lms.lib.crypto import seal


def _speaks(person, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])


@pytest.mark.parametrize(
    ("language", "heading", "scope", "kind"),
    [
        (
            "es",
            "<h1>Tokens de API</h1>",
            "Leer personas y equipos",
            "Personal: ve lo que tú ves",
        ),
        (
            "bn",
            "<h1>API টোকেন</h1>",
            "মানুষ ও দলের তথ্য পড়া",
            "ব্যক্তিগত: আপনি যা দেখেন তা-ই দেখে",
        ),
    ],
)
def test_the_tokens_page_reads_in_the_persons_language(
    client, org, language, heading, scope, kind
):
    _speaks(org.east_manager, language)
    client.force_login(org.east_manager)

    page = client.get(reverse("integration_tokens")).text

    assert f'<html lang="{language}"' in page
    assert heading in page
    assert scope in page  # a scope's label, from a lazy module-level table
    assert kind in page
    assert "API tokens" not in page


@pytest.mark.parametrize(
    ("language", "heading", "state"),
    [
        ("es", "<h1>Conexiones con el CRM</h1>", "En pausa"),
        ("bn", "<h1>CRM সংযোগ</h1>", "বিরতিতে"),
    ],
)
def test_the_crm_page_reads_in_the_admins_language(
    client, org, language, heading, state
):
    CrmConnection.objects.create(
        name="HubSpot",
        kind=CrmConnection.Kind.HUBSPOT,
        status=CrmConnection.Status.PAUSED,
        credentials_sealed=seal({"access_token": "pat-na1-secret"}),
        created_by=org.admin,
    )
    _speaks(org.admin, language)
    client.force_login(org.admin)

    page = client.get(reverse("crm_connections")).text

    assert heading in page
    assert f"<td>{state}</td>" in page  # the connection's status, a choice
    assert "CRM connections" not in page


def test_the_reconnect_email_is_in_the_admins_language(org, mailoutbox):
    connection = CrmConnection.objects.create(
        name="HubSpot",
        kind=CrmConnection.Kind.HUBSPOT,
        credentials_sealed=seal({"access_token": "pat-na1-secret"}),
        created_by=org.admin,
    )
    _speaks(org.admin, "bn")

    with translation.override("es"):  # the sync's language does not count
        assert crm_reauthorisation_notify(
            connection=connection, reason="HubSpot answered 401"
        )

    (message,) = mailoutbox
    assert message.subject.endswith(
        "HubSpot আবার সংযুক্ত করুন: CRM Onramp-এর প্রবেশাধিকার প্রত্যাখ্যান করেছে"
    )
    assert "CRM সংরক্ষিত ক্রেডেনশিয়াল প্রত্যাখ্যান করেছে" in message.body
    ((html, _),) = message.alternatives
    assert '<html lang="bn">' in html
    assert "সংযোগটি খুলুন" in html  # the button


def test_a_webhooks_stored_reason_is_shown_in_the_readers_language(client, org):
    endpoint = WebhookEndpoint.objects.create(
        owner=org.east_manager,
        url="https://hooks.example.com/onramp",
        secret="whsec_test",
        active=False,
        disabled_reason="Every delivery failed for three days.",
    )
    _speaks(org.east_manager, "es")
    client.force_login(org.east_manager)

    page = client.get(reverse("integration_webhook", args=[endpoint.pk])).text

    assert "Desactivado: Todas las entregas fallaron durante tres días." in page
    # Stored in English, as the API shows it.
    endpoint.refresh_from_db()
    assert endpoint.disabled_reason == "Every delivery failed for three days."
