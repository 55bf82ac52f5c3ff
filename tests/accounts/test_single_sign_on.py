"""OpenID Connect single sign-on, configured from the environment.

No identity provider runs here, so a small local HTTP server plays one (discovery,
token and userinfo endpoints); the browser's trip to its login page is skipped.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.account.models import EmailAddress

from lms.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class FakeIdentityProvider(BaseHTTPRequestHandler):
    """Discovery, token and userinfo endpoints; `claims` is who signs in."""

    claims: dict[str, object] = {}

    def _json(self, data):
        body = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - the http.server API
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path.startswith("/userinfo"):
            return self._json(self.claims)
        return self._json(
            {
                "issuer": base,
                "authorization_endpoint": f"{base}/authorize",
                "token_endpoint": f"{base}/token",
                "userinfo_endpoint": f"{base}/userinfo",
                "jwks_uri": f"{base}/jwks",
            }
        )

    def do_POST(self):  # noqa: N802 - the token endpoint
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        return self._json({"access_token": "granted", "token_type": "Bearer"})

    def log_message(self, *args):
        pass


@pytest.fixture
def identity_provider():
    server = HTTPServer(("127.0.0.1", 0), FakeIdentityProvider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def sso(settings, identity_provider):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "northwind",
                    "name": "Northwind SSO",
                    "client_id": "onramp",
                    "secret": "s3cret",
                    "settings": {"server_url": identity_provider},
                }
            ]
        }
    }
    return identity_provider


def test_it_shows_no_single_sign_on_button_unless_configured(client):
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()


def test_it_offers_the_configured_provider_and_redirects_to_it(client, sso):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Northwind SSO" in page

    response = client.post("/accounts/oidc/northwind/login/")
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{sso}/authorize"
    query = parse_qs(target.query)
    assert query["client_id"] == ["onramp"]
    assert query["redirect_uri"][0].endswith("/accounts/oidc/northwind/login/callback/")


def _sign_in_through_the_provider(client, email, verified=True):
    FakeIdentityProvider.claims = {
        "sub": email,
        "email": email,
        "email_verified": verified,
    }
    redirect = client.post("/accounts/oidc/northwind/login/")
    state = parse_qs(urlparse(redirect["Location"]).query)["state"][0]
    return client.get(
        "/accounts/oidc/northwind/login/callback/", {"code": "c0de", "state": state}
    )


def _verified(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=True
    )
    return user


def test_it_signs_in_an_existing_person_by_their_verified_address(client, sso):
    maya = _verified(email="maya@example.com")
    response = _sign_in_through_the_provider(client, "maya@example.com")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == maya.pk


def test_it_never_creates_an_account_for_an_unknown_address(client, sso):
    _sign_in_through_the_provider(client, "stranger@example.com")
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="stranger@example.com").exists()


def test_it_never_signs_in_an_operator_through_single_sign_on(client, sso):
    _verified(email="ops@example.com", is_staff=True, is_superuser=True)
    _sign_in_through_the_provider(client, "ops@example.com")
    assert "_auth_user_id" not in client.session


def test_it_ignores_an_address_the_provider_has_not_verified(client, sso):
    _verified(email="maya@example.com")
    _sign_in_through_the_provider(client, "maya@example.com", verified=False)
    assert "_auth_user_id" not in client.session


def test_it_ignores_an_address_onramp_has_not_verified(client, sso):
    UserFactory(email="maya@example.com")  # no confirmed address in Onramp
    _sign_in_through_the_provider(client, "maya@example.com")
    assert "_auth_user_id" not in client.session
