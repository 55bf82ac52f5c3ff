from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging

import pytest
import time_machine
from django.core.management import CommandError, call_command

from integrations.models import ApiToken
from integrations.tokens import TokenRefused, api_token_create, api_token_revoke
from tests.integrations.conftest import Api, make_token

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_it_stores_only_a_hash_of_the_token(org):
    made = api_token_create(user=org.east_manager, name="CRM", scopes=["people:read"])
    row = ApiToken.objects.get()
    assert made.secret.startswith(f"onr_{row.prefix}_")
    assert row.secret_hash == hashlib.sha256(made.secret.encode()).hexdigest()
    assert made.secret not in str(ApiToken.objects.values().get())


def test_the_command_prints_the_token_alone_on_its_last_line(org):
    out = io.StringIO()
    call_command(
        "create_api_token",
        "--user",
        org.admin.email.upper(),
        "--scopes",
        "people:read,scim",
        "--name",
        "Okta",
        "--expires-days",
        "30",
        stdout=out,
    )
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("onr_")
    token = ApiToken.objects.get()
    assert token.kind == "service" and token.scopes == ["people:read", "scim"]
    assert Api(secret).get("/api/v1/people/").status_code == 200


@pytest.mark.parametrize(
    ("who", "scopes", "message"),
    [
        ("rep_east", "people:read", "not a manager"),
        ("east_coach", "people:read", "not a manager"),
        ("east_manager", "scim", "Only service tokens"),
        ("east_manager", "people:write", "Unknown scope"),
    ],
)
def test_the_command_refuses_what_the_rules_refuse(org, who, scopes, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", "--user", org[who].email, "--scopes", scopes)
    assert not ApiToken.objects.exists()


def test_only_admins_hold_service_tokens(org):
    with pytest.raises(TokenRefused):
        api_token_create(
            user=org.east_manager, name="x", scopes=["people:read"], service=True
        )


def test_a_revoked_token_answers_401_at_once(org):
    made = api_token_create(user=org.east_manager, name="x", scopes=["people:read"])
    api = Api(made.secret)
    assert api.get("/api/v1/people/").status_code == 200
    api_token_revoke(token=made.token)
    response = api.get("/api/v1/people/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_answers_401(org):
    with time_machine.travel(NOW, tick=False):
        secret = make_token(
            org.east_manager, ["people:read"], expires_at=NOW + dt.timedelta(days=1)
        )
        assert Api(secret).get("/api/v1/people/").status_code == 200
    with time_machine.travel(NOW + dt.timedelta(days=1, seconds=1), tick=False):
        assert Api(secret).get("/api/v1/people/").status_code == 401


def test_a_deactivated_persons_token_answers_401(org):
    secret = make_token(org.east_manager, ["people:read"])
    org.east_manager.is_active = False
    org.east_manager.save()
    assert Api(secret).get("/api/v1/people/").status_code == 401


def test_a_service_token_stops_when_its_person_is_no_longer_an_admin(org):
    secret = make_token(org.admin, ["people:read"])
    org.admin.groups.clear()
    assert Api(secret).get("/api/v1/people/").status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer onr_nope_nope", "Bearer ", "Bearer onr_", "Token abc"]
)
def test_it_refuses_wrong_and_missing_tokens(db, header):
    response = Api(None).client.get(
        "/api/v1/people/", headers={"Authorization": header}
    )
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_it_records_when_a_token_was_last_used(org):
    made = api_token_create(user=org.east_manager, name="x", scopes=["people:read"])
    with time_machine.travel(NOW, tick=False):
        Api(made.secret).get("/api/v1/people/")
    made.token.refresh_from_db()
    assert made.token.last_used_at == NOW


def test_tokens_never_reach_the_logs(org, caplog):
    secret = make_token(org.east_manager, ["people:read"])
    with caplog.at_level(logging.DEBUG):
        Api(secret).get("/api/v1/people/")
        Api(secret + "x").get("/api/v1/people/")
        Api(secret).get("/api/v1/teams/", unknown="1")
    assert secret not in caplog.text
