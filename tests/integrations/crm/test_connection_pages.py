from __future__ import annotations

import logging

import pytest

from integrations.models import CrmConnection
from lms.accounts.models import User
from lms.lib.crypto import unseal

URL = "/integrations/crm/"
TOKEN = "pat-na1-good-token"


def _connect(client, admin: User, token: str = TOKEN) -> CrmConnection:  # type: ignore[no-untyped-def]
    client.force_login(admin)
    response = client.post(URL, {"name": "Our HubSpot", "access_token": token})
    assert response.status_code == 302
    return CrmConnection.objects.get()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("rep_east", 403),
        ("east_coach", 403),
        ("east_manager", 403),
        ("region_manager", 403),
        ("loner", 403),
        ("admin", 200),
    ],
)
def test_only_enablement_admins_open_the_crm_page(client, org, who, status):
    client.force_login(org[who])
    assert client.get(URL).status_code == status


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["east_manager", "region_manager", "rep_east"])
def test_nobody_but_admins_creates_tests_pauses_or_removes(client, org, who):
    connection = _connect(client, org.admin)
    client.force_login(org[who])
    assert client.post(URL, {"name": "x", "access_token": "y"}).status_code == 403
    for action in ("test", "pause", "remove"):
        assert client.post(f"{URL}{connection.pk}/{action}/").status_code == 403
    assert client.get(f"{URL}{connection.pk}/").status_code == 403
    connection.refresh_from_db()
    assert connection.status == CrmConnection.Status.ACTIVE
    assert CrmConnection.objects.count() == 1


def test_the_token_is_stored_sealed_and_never_shown_again(client, org, caplog):
    caplog.set_level(logging.DEBUG)
    connection = _connect(client, org.admin)
    assert connection.kind == CrmConnection.Kind.HUBSPOT
    assert connection.created_by == org.admin
    assert TOKEN not in connection.credentials_sealed
    assert unseal(connection.credentials_sealed) == {"access_token": TOKEN}
    for url in (URL, f"{URL}{connection.pk}/"):
        assert TOKEN not in client.get(url).content.decode()
    assert TOKEN not in repr(connection) and TOKEN not in str(connection)
    assert TOKEN not in caplog.text


def test_an_empty_token_is_refused(client, org):
    client.force_login(org.admin)
    response = client.post(URL, {"name": "Our HubSpot", "access_token": "  "})
    assert response.status_code == 400
    assert not CrmConnection.objects.exists()


def test_test_connection_shows_the_hubspot_account(client, org, hubspot_fake):
    connection = _connect(client, org.admin)
    response = client.post(f"{URL}{connection.pk}/test/", follow=True)
    assert response.status_code == 200
    assert "HubSpot account 12345678 (app-eu1.hubspot.com)" in response.content.decode()
    connection.refresh_from_db()
    assert connection.last_test_ok is True
    assert connection.account_name == "HubSpot account 12345678 (app-eu1.hubspot.com)"
    method, path, headers = hubspot_fake.state.requests[-1]
    assert (method, path) == ("GET", "/account-info/v3/details")
    assert headers["Authorization"] == f"Bearer {TOKEN}"


def test_test_connection_shows_hubspots_exact_error(client, org, hubspot_fake):
    connection = _connect(client, org.admin, token="pat-na1-revoked")
    response = client.post(f"{URL}{connection.pk}/test/", follow=True)
    page = response.content.decode()
    assert (
        "HubSpot answered 401: INVALID_AUTHENTICATION: Authentication credentials"
        in page
    )
    assert "pat-na1-revoked" not in page
    connection.refresh_from_db()
    assert connection.last_test_ok is False
    assert connection.last_test_message.startswith(
        "HubSpot answered 401: INVALID_AUTHENTICATION: "
        "Authentication credentials not found."
    )


def test_test_connection_says_when_hubspot_cannot_be_reached(client, org, settings):
    settings.CRM_HUBSPOT_API_URL = "http://127.0.0.1:9"
    connection = _connect(client, org.admin)
    client.post(f"{URL}{connection.pk}/test/")
    connection.refresh_from_db()
    assert connection.last_test_ok is False
    assert connection.last_test_message.startswith("HubSpot could not be reached")


def test_an_admin_pauses_resumes_and_removes_a_connection(client, org):
    connection = _connect(client, org.admin)
    client.post(f"{URL}{connection.pk}/pause/")
    connection.refresh_from_db()
    assert connection.status == CrmConnection.Status.PAUSED
    client.post(f"{URL}{connection.pk}/pause/")
    connection.refresh_from_db()
    assert connection.status == CrmConnection.Status.ACTIVE
    response = client.post(f"{URL}{connection.pk}/remove/")
    assert response.status_code == 302 and response["Location"] == URL
    assert not CrmConnection.objects.exists()


def test_a_connection_needing_reauthorisation_is_not_resumed_by_pause(client, org):
    connection = _connect(client, org.admin)
    connection.status = CrmConnection.Status.NEEDS_REAUTHORISATION
    connection.save()
    client.post(f"{URL}{connection.pk}/pause/")
    connection.refresh_from_db()
    assert connection.status == CrmConnection.Status.NEEDS_REAUTHORISATION


def test_the_actions_answer_only_post(client, org):
    connection = _connect(client, org.admin)
    for action in ("test", "pause", "remove"):
        assert client.get(f"{URL}{connection.pk}/{action}/").status_code == 405


def test_an_unknown_connection_is_404(client, org):
    client.force_login(org.admin)
    assert client.get(f"{URL}999/").status_code == 404
    assert client.post(f"{URL}999/test/").status_code == 404


def test_the_demo_connection_tests_and_syncs_without_a_network(
    client, org, monkeypatch
):
    import socket

    from integrations.models import CrmSyncLog
    from lms.lib.crypto import seal

    def no_network(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the demo CRM reached for the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    connection = CrmConnection.objects.create(
        name="CRM (demo)", kind=CrmConnection.Kind.DEMO, credentials_sealed=seal({})
    )
    client.force_login(org.admin)
    client.post(f"{URL}{connection.pk}/test/")
    connection.refresh_from_db()
    assert connection.last_test_ok is True
    assert "no network" in connection.last_test_message
    from integrations.crm.sync import crm_sync

    log = crm_sync(connection=connection)
    assert log.status == CrmSyncLog.Status.SUCCEEDED
    assert (log.created, log.updated, log.deleted) == (0, 0, 0)


def test_a_new_token_brings_a_refused_hubspot_connection_back(client, org):
    connection = _connect(client, org.admin)
    CrmConnection.objects.filter(pk=connection.pk).update(
        status=CrmConnection.Status.NEEDS_REAUTHORISATION
    )
    response = client.post(f"{URL}{connection.pk}/token/", {"access_token": "pat-new"})
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.status == CrmConnection.Status.ACTIVE
    assert unseal(connection.credentials_sealed) == {"access_token": "pat-new"}
    assert "pat-new" not in client.get(f"{URL}{connection.pk}/").content.decode()


@pytest.mark.parametrize(
    "who", ["rep_east", "east_manager", "emea_manager", "region_manager"]
)
def test_nobody_but_admins_replaces_a_token(client, org, who):
    connection = _connect(client, org.admin)
    client.force_login(org[who])
    response = client.post(f"{URL}{connection.pk}/token/", {"access_token": "x"})
    assert response.status_code == 403
    connection.refresh_from_db()
    assert unseal(connection.credentials_sealed) == {"access_token": TOKEN}


def test_anonymous_people_cannot_replace_a_token(client, org):
    connection = _connect(client, org.admin)
    client.logout()
    response = client.post(f"{URL}{connection.pk}/token/", {"access_token": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
