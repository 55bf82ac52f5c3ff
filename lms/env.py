"""Typed readers for settings that come from the environment.

Every setting that differs between a laptop, CI and production is read here, so that
a wrong value fails loudly at start-up instead of misbehaving later.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}."
        ) from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name} must be one of {', '.join(choices)}, not {value!r}."
        )
    return value


def env_required(name: str, *, why: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set: {why}")
    return value


def env_fernet_key(name: str, *, dev_file: Path | None) -> str:
    """A Fernet key (32 url-safe base64-encoded bytes) from the environment.

    With `dev_file` (development), a missing key is generated once into that file
    and read from it afterwards, like the other development secrets under var/.
    Without it (production), the key is required: a site that stores credentials
    must not start with a throw-away key, which would make them unreadable.
    """
    value = env_str(name)
    if not value and dev_file is not None:
        if not dev_file.exists():
            dev_file.parent.mkdir(parents=True, exist_ok=True)
            dev_file.write_bytes(Fernet.generate_key())
            dev_file.chmod(0o600)
        value = dev_file.read_text().strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set: it encrypts the CRM credentials. Make one with "
            '`python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"`.'
        )
    try:
        Fernet(value.encode())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a Fernet key (32 url-safe base64-encoded bytes)."
        ) from None
    return value
