"""Credentials at rest: sealed with Fernet under INTEGRATIONS_ENCRYPTION_KEY.

A sealed value is useless without the key, which lives in the environment and never
in the database. Nothing here logs or returns a secret except `unseal`, which only
the code that talks to the CRM or to Slack and Teams calls.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class CredentialsUnreadable(Exception):
    """The stored credentials do not open with the configured key (it changed)."""


def _fernet() -> Fernet:
    # Any 32 random bytes in base64url (lms.env.env_key); Fernet wants the padding.
    key: str = settings.INTEGRATIONS_ENCRYPTION_KEY
    return Fernet(key + "=" * (-len(key) % 4))


def seal(values: dict[str, Any]) -> str:
    return _fernet().encrypt(json.dumps(values).encode()).decode()


def unseal(sealed: str) -> dict[str, Any]:
    try:
        opened = json.loads(_fernet().decrypt(sealed.encode()))
    except InvalidToken:
        raise CredentialsUnreadable(
            "The stored credentials cannot be decrypted with "
            "INTEGRATIONS_ENCRYPTION_KEY: enter them again."
        ) from None
    assert isinstance(opened, dict)
    return opened
