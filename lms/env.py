"""Typed readers for settings that come from the environment.

Every setting that differs between a laptop, CI and production is read here, so that
a wrong value fails loudly at start-up instead of misbehaving later.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path

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


def env_key(name: str, *, development_file: Path | None, why: str) -> str:
    """A 32-byte key, base64url-encoded (`secrets.token_urlsafe(32)` makes one).

    Production gives it in the environment and refuses to start without it; in
    development (`development_file` given) one is generated on first start and kept
    in that file, so that what was signed yesterday still verifies today."""
    value = env_str(name)
    if not value and development_file is not None:
        if not development_file.exists():
            development_file.parent.mkdir(parents=True, exist_ok=True)
            development_file.write_text(secrets.token_urlsafe(32) + "\n")
            development_file.chmod(0o600)
        value = development_file.read_text().strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set: {why}")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, binascii.Error):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(
            f"{name} must be 32 random bytes in base64url, e.g. the output of "
            '`python -c "import secrets; print(secrets.token_urlsafe(32))"`.'
        )
    return value
