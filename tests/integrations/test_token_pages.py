from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.models import ApiToken
from tests.integrations.conftest import Api, make_token

URL = "/integrations/tokens/"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("rep_east", 403),
        ("east_coach", 403),
        ("loner", 403),
        ("east_manager", 200),
        ("emea_manager", 200),
        ("admin", 200),
    ],
)
def test_only_managers_and_admins_open_the_tokens_page(client, org, who, status):
    client.force_login(org[who])
    assert client.get(URL).status_code == status


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_manager_makes_a_personal_token_shown_once(client, org):
    client.force_login(org.east_manager)
    response = client.post(
        URL, {"name": "CRM sync", "kind": "personal", "scopes": ["people:read"]}
    )
    secret = response.context["new_secret"]
    assert secret.startswith("onr_") and secret in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    assert secret not in client.get(URL).content.decode()
    body = Api(secret).get("/api/v1/people/").json()
    assert {p["id"] for p in body["results"]} == {
        org.east_manager.pk,
        org.east_coach.pk,
        org.rep_east.pk,
        org.rep_east2.pk,
    }


def test_a_manager_cannot_make_a_service_token_or_a_scim_one(client, org):
    client.force_login(org.east_manager)
    for data in (
        {"name": "x", "kind": "service", "scopes": ["people:read"]},
        {"name": "x", "kind": "personal", "scopes": ["scim"]},
    ):
        assert client.post(URL, data).status_code == 400
    assert not ApiToken.objects.exists()


def test_an_admin_makes_a_service_token(client, org):
    client.force_login(org.admin)
    client.post(
        URL,
        {"name": "Okta", "kind": "service", "scopes": ["scim"], "expires_days": "90"},
    )
    token = ApiToken.objects.get()
    assert token.kind == "service" and token.scopes == ["scim"]
    assert token.expires_at is not None


def test_revoking_is_for_the_owner_or_an_admin_for_service_tokens(client, org):
    make_token(org.east_manager, ["people:read"])
    make_token(org.admin, ["people:read"], service=True)
    own, service = ApiToken.objects.order_by("pk")
    client.force_login(org.emea_manager)
    for token in (own, service):
        assert (
            client.post(
                reverse("integration_token_revoke", args=[token.pk])
            ).status_code
            == 404
        )
    client.force_login(org.admin)
    assert (
        client.post(reverse("integration_token_revoke", args=[service.pk])).status_code
        == 302
    )
    assert (
        client.post(reverse("integration_token_revoke", args=[own.pk])).status_code
        == 404
    )
    client.force_login(org.east_manager)
    assert (
        client.post(reverse("integration_token_revoke", args=[own.pk])).status_code
        == 302
    )
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 2
