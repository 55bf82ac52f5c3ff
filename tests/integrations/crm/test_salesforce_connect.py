"""Connecting Salesforce: the OAuth 2.0 web-server flow with PKCE, through the
browser's redirects, against the local Salesforce fake."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from integrations.models import CrmConnection
from lms.lib.crypto import unseal
from tests.integrations.crm.salesforce_fake import CLIENT_ID, CLIENT_SECRET

CONNECT = "/integrations/crm/salesforce/connect/"
CALLBACK = "/integrations/crm/salesforce/callback/"
FORM = {
    "name": "Northwind Salesforce",
    "client_id": CLIENT_ID,
    "client_secret": CLIENT_SECRET,
    "currency": "",
}


def _to_salesforce_and_back(client, fake, form=FORM):  # type: ignore[no-untyped-def]
    """Press *Connect with Salesforce*, let the fake approve, follow it back."""
    response = client.post(CONNECT, form)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{fake.url}/services/oauth2/authorize?")
    approved = requests.get(location, allow_redirects=False, timeout=10)
    assert approved.status_code == 302
    back = urlsplit(approved.headers["Location"])
    return location, client.get(f"{back.path}?{back.query}")


def test_it_connects_through_the_web_server_flow_with_pkce(
    client, org, salesforce_fake, caplog
):
    caplog.set_level(logging.DEBUG)
    client.force_login(org.admin)
    location, response = _to_salesforce_and_back(client, salesforce_fake)
    asked = parse_qs(urlsplit(location).query)
    assert asked["response_type"] == ["code"]
    assert asked["client_id"] == [CLIENT_ID]
    assert asked["code_challenge_method"] == ["S256"]
    assert len(asked["code_challenge"][0]) == 43
    assert asked["redirect_uri"][0].endswith(CALLBACK)
    connection = CrmConnection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/integrations/crm/{connection.pk}/"
    assert connection.kind == CrmConnection.Kind.SALESFORCE
    assert connection.status == CrmConnection.Status.ACTIVE
    stored = unseal(connection.credentials_sealed)
    assert stored["instance_url"] == salesforce_fake.url
    assert stored["api_version"] == "62.0"
    assert stored["refresh_token"] in salesforce_fake.state.refresh_tokens
    for secret in (CLIENT_SECRET, stored["refresh_token"]):
        assert secret not in connection.credentials_sealed
        assert secret not in caplog.text
        assert secret not in client.get(response["Location"]).content.decode()


def test_test_connection_shows_the_org(client, org, salesforce_fake):
    salesforce_fake.state.put("Organization", "00D5e000000K3mPEAS", Name="Northwind")
    client.force_login(org.admin)
    _to_salesforce_and_back(client, salesforce_fake)
    connection = CrmConnection.objects.get()
    client.post(f"/integrations/crm/{connection.pk}/test/")
    connection.refresh_from_db()
    assert connection.last_test_ok is True
    assert connection.account_name == "Salesforce org Northwind (00D5e000000K3mPEAS)"
    assert "API requests used today" in connection.last_test_message


def test_a_wrong_verifier_is_refused_and_nothing_is_stored(
    client, org, salesforce_fake, monkeypatch
):
    from integrations.crm import views

    monkeypatch.setattr(views, "pkce_pair", lambda: ("a" * 64, "not-the-challenge"))
    client.force_login(org.admin)
    _, response = _to_salesforce_and_back(client, salesforce_fake)
    assert response.status_code == 302 and response["Location"] == "/integrations/crm/"
    assert not CrmConnection.objects.exists()
    shown = client.get("/integrations/crm/").content.decode()
    assert "invalid_grant: invalid code verifier" in shown


def test_a_callback_with_another_state_is_refused(client, org, salesforce_fake):
    client.force_login(org.admin)
    client.post(CONNECT, FORM)
    response = client.get(f"{CALLBACK}?code=stolen&state=forged")
    assert response["Location"] == "/integrations/crm/"
    assert not CrmConnection.objects.exists()


def test_a_refusal_at_salesforce_is_shown(client, org, salesforce_fake):
    client.force_login(org.admin)
    location = client.post(CONNECT, FORM)["Location"]
    state = parse_qs(urlsplit(location).query)["state"][0]
    response = client.get(
        f"{CALLBACK}?error=access_denied&error_description=end-user+denied"
        f"+authorization&state={state}",
        follow=True,
    )
    assert "Salesforce refused: access_denied: end-user denied authorization" in (
        response.content.decode()
    )
    assert not CrmConnection.objects.exists()


def test_an_invalid_currency_is_refused(client, org, salesforce_fake):
    client.force_login(org.admin)
    response = client.post(CONNECT, {**FORM, "currency": "usd"})
    assert response.status_code == 400
    assert not CrmConnection.objects.exists()


def test_re_authorising_gives_new_tokens_and_resumes(client, org, salesforce_fake):
    client.force_login(org.admin)
    _to_salesforce_and_back(client, salesforce_fake)
    connection = CrmConnection.objects.get()
    old = unseal(connection.credentials_sealed)["refresh_token"]
    CrmConnection.objects.filter(pk=connection.pk).update(
        status=CrmConnection.Status.NEEDS_REAUTHORISATION
    )
    response = client.post(f"/integrations/crm/{connection.pk}/reauthorise/")
    approved = requests.get(response["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(approved.headers["Location"])
    client.get(f"{back.path}?{back.query}")
    connection.refresh_from_db()
    assert connection.status == CrmConnection.Status.ACTIVE
    assert unseal(connection.credentials_sealed)["refresh_token"] != old
    assert CrmConnection.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["rep_east", "east_coach", "east_manager", "region_manager", "loner"]
)
def test_nobody_but_admins_connects_or_re_authorises(client, org, salesforce_fake, who):
    client.force_login(org.admin)
    _to_salesforce_and_back(client, salesforce_fake)
    connection = CrmConnection.objects.get()
    client.force_login(org[who])
    assert client.post(CONNECT, FORM).status_code == 403
    assert client.get(f"{CALLBACK}?code=x&state=y").status_code == 403
    reauthorise = f"/integrations/crm/{connection.pk}/reauthorise/"
    assert client.post(reauthorise).status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client, db):
    for response in (
        client.post(CONNECT, FORM),
        client.get(f"{CALLBACK}?code=x&state=y"),
        client.post("/integrations/crm/1/reauthorise/"),
    ):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
