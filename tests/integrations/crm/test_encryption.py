from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from lms.lib.crypto import CredentialsUnreadable, seal, unseal
from tests.test_settings import PRODUCTION, _manage, _start_web_server


def test_it_seals_credentials_so_that_only_the_key_opens_them(settings):
    sealed = seal({"access_token": "pat-na1-secret"})
    assert "pat-na1-secret" not in sealed
    assert unseal(sealed) == {"access_token": "pat-na1-secret"}
    settings.INTEGRATIONS_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(CredentialsUnreadable, match="enter them again"):
        unseal(sealed)


def test_production_refuses_to_start_without_an_encryption_key(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "INTEGRATIONS_ENCRYPTION_KEY"}
    web = _start_web_server(env, tmp_path)
    assert web.returncode != 0
    assert "INTEGRATIONS_ENCRYPTION_KEY must be set" in web.stderr


def test_production_refuses_a_key_that_is_not_32_bytes(tmp_path):
    env = {**PRODUCTION, "INTEGRATIONS_ENCRYPTION_KEY": "too-short"}
    result = _manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "must be 32 random bytes in base64url" in result.stderr
