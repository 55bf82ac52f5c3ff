"""Two deployment mistakes Onramp points out: a SITE_URL left at localhost, and a
proxy in front of Onramp that TRUSTED_PROXY_COUNT does not mention."""

from __future__ import annotations

import logging

import pytest

from lms.checks import is_local_host, site_url_for_production
from tests.test_settings import PRODUCTION, _manage


@pytest.mark.parametrize(
    "site_url",
    [
        "http://localhost:8000",
        "http://127.0.0.1:8000",
        "https://127.0.1.1",
        "http://[::1]:8000",
        "http://0.0.0.0:8000",
        "http://onramp.localhost",
    ],
)
def test_it_warns_about_a_local_site_url_in_production(settings, site_url):
    settings.DEBUG = False
    settings.SITE_URL = site_url
    [warning] = site_url_for_production()
    assert warning.id == "lms.W004"
    assert site_url in warning.msg


@pytest.mark.parametrize(
    "site_url",
    ["https://onramp.example.com", "https://10.0.0.5", "http://localhost.example"],
)
def test_it_accepts_a_real_site_url(settings, site_url):
    settings.DEBUG = False
    settings.SITE_URL = site_url
    assert site_url_for_production() == []


def test_it_accepts_localhost_in_development(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://localhost:8000"
    assert site_url_for_production() == []


def test_it_fails_the_deploy_check_with_the_default_site_url(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "SITE_URL"}
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path
    )
    assert result.returncode != 0
    assert "lms.W004" in result.stderr + result.stdout
    assert "http://localhost:8000" in result.stderr + result.stdout


def test_it_knows_local_hosts():
    assert is_local_host(None) and is_local_host("LOCALHOST.")
    assert not is_local_host("onramp.example.com")


def _proxy_warnings(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "TRUSTED_PROXY_COUNT" in r.getMessage()]


@pytest.mark.django_db
def test_it_warns_once_when_a_proxy_forwards_requests_it_does_not_trust(client, caplog):
    with caplog.at_level(logging.WARNING, logger="lms.middleware"):
        client.get("/accounts/login/", HTTP_X_FORWARDED_FOR="203.0.113.7")
        client.get("/accounts/login/", HTTP_X_FORWARDED_FOR="203.0.113.8")
    [warning] = _proxy_warnings(caplog)
    assert "Set TRUSTED_PROXY_COUNT" in warning.getMessage()
    assert "127.0.0.1" in warning.getMessage()  # the proxy's address


@pytest.mark.django_db
def test_it_stays_quiet_without_forwarded_requests(client, caplog):
    with caplog.at_level(logging.WARNING, logger="lms.middleware"):
        client.get("/accounts/login/")
    assert _proxy_warnings(caplog) == []


@pytest.mark.django_db
def test_it_stays_quiet_once_the_proxies_are_counted(client, caplog, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    with caplog.at_level(logging.WARNING, logger="lms.middleware"):
        client.get("/accounts/login/", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert _proxy_warnings(caplog) == []
