"""Every page is sent with a strict Content-Security-Policy; Wagtail's admin with its
own, which lets its inline code run and relaxes nothing else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from lms.csp import origin_of, parse_extra_sources, with_extra_sources
from tests.factories import UserFactory, make_admin

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
# What every page of the site must say, whatever else a deployment adds.
SITE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "media-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}


def policy_of(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def test_it_sends_the_strict_policy_to_people_signing_in(client):
    assert policy_of(client.get("/accounts/login/")) == SITE_POLICY


def test_it_sends_the_strict_policy_on_signed_in_pages(client):
    client.force_login(UserFactory())
    for url in ("/", "/learning/", "/recordings/", "/coaching/my/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy_of(response) == SITE_POLICY, url


def test_it_sends_the_strict_policy_on_error_pages(client):
    client.force_login(UserFactory())
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert policy_of(response) == SITE_POLICY


def test_it_lets_only_wagtails_admin_run_inline_code(client):
    client.force_login(make_admin())
    response = client.get("/admin/")
    assert response.status_code == 200
    assert policy_of(response) == {
        **SITE_POLICY,
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
    }


def test_it_keeps_the_django_admin_under_the_strict_policy(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/django-admin/")
    assert response.status_code == 200
    assert policy_of(response) == SITE_POLICY


def test_it_names_no_nonce_on_pages_without_inline_styles(client):
    client.force_login(UserFactory())
    assert not any(
        source.startswith("'nonce-")
        for source in policy_of(client.get("/"))["style-src"]
    )


@override_settings(CSP_ADMIN_URL_PREFIXES=[])
def test_it_follows_the_admin_prefixes_setting(client):
    client.force_login(make_admin())
    assert policy_of(client.get("/admin/")) == SITE_POLICY


def test_it_adds_an_operators_sources_to_both_policies():
    extra = parse_extra_sources(
        "img-src https://files.example.com;  media-src https://files.example.com "
        "https://cdn.example.com; connect-src https://api.example.com;"
    )
    assert extra == {
        "img-src": ["https://files.example.com"],
        "media-src": ["https://files.example.com", "https://cdn.example.com"],
        "connect-src": ["https://api.example.com"],
    }
    merged = with_extra_sources(SITE_POLICY, {**extra, "object-src": ["'self'"]})
    assert merged["img-src"] == ["'self'", "https://files.example.com"]
    assert merged["media-src"] == [
        "'self'",
        "blob:",
        "https://files.example.com",
        "https://cdn.example.com",
    ]
    # A directive the policy leaves out starts from default-src, as browsers read it.
    assert merged["connect-src"] == ["'self'", "https://api.example.com"]
    # 'none' gives way: with another source beside it, it would mean nothing.
    assert merged["object-src"] == ["'self'"]
    assert SITE_POLICY["img-src"] == ["'self'"]  # the base policy is left as it was


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("img https://files.example.com", "'img' is not a directive"),
        ("report-uri https://reports.example.com", "'report-uri' is not a directive"),
        ("img-src", "'img-src' names no source"),
    ],
)
def test_it_refuses_extra_sources_it_cannot_read(value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_extra_sources(value)


def test_it_finds_the_origin_of_an_identity_provider():
    assert (
        origin_of("https://id.example.com:8443/realms/northwind")
        == "https://id.example.com:8443"
    )


def test_it_builds_the_policy_from_the_environment(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "lms.settings",
        "DEBUG": "true",
        "VAR_DIR": str(tmp_path),
        "CSP_EXTRA_SOURCES": "img-src https://files.example.com",
        "CSP_REPORT_URI": "https://reports.example.com/csp",
        "OIDC_SERVER_URL": "https://id.example.com/realms/northwind",
        "OIDC_CLIENT_ID": "onramp",
        "OIDC_CLIENT_SECRET": "secret",
    }
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; django.setup(); from django.conf import settings;"
            "print(json.dumps([settings.CSP_SITE_DIRECTIVES,"
            " settings.CSP_ADMIN_DIRECTIVES], default=repr))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    for directives in json.loads(printed):
        assert directives["img-src"][-1] == "https://files.example.com"
        # Signing in with single sign-on posts a form that redirects to the provider.
        assert directives["form-action"] == ["'self'", "https://id.example.com"]
        assert directives["report-uri"] == ["https://reports.example.com/csp"]
