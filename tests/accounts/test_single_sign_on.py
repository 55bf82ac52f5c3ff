"""OpenID Connect single sign-on, configured from the environment.

No identity provider runs here, so a small local HTTP server plays its discovery
document; the test follows Onramp up to the redirect to the provider.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def identity_provider():
    class Discovery(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            base = f"http://127.0.0.1:{self.server.server_port}"
            body = json.dumps(
                {
                    "issuer": base,
                    "authorization_endpoint": f"{base}/authorize",
                    "token_endpoint": f"{base}/token",
                    "userinfo_endpoint": f"{base}/userinfo",
                    "jwks_uri": f"{base}/jwks",
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Discovery)
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


def test_it_never_opens_sign_up_to_single_sign_on(rf):
    from lms.accounts.adapters import SocialAccountAdapter

    assert (
        SocialAccountAdapter().is_open_for_signup(rf.get("/"), sociallogin=None)
        is False
    )
