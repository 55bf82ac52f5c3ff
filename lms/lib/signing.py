"""Signed tokens made by the thousand: `signed(...)` is `django.core.signing.dumps`
with its key's hashing done once per salt.

`dumps` builds a signer for every token, and each signature hashes the salt and
the secret key again before the HMAC itself. A tick of the sequence engine signs
two tokens per message (its tracked link and its unsubscribe link). Here one
signer per (salt, key) keeps its HMAC keyed and copies it for each token; the
tokens are the same as `dumps` makes, and `django.core.signing.loads` reads them.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.encoding import force_bytes


def signed(obj: Any, *, salt: str, compress: bool = False) -> str:
    """`signing.dumps(obj, salt=salt, compress=compress)`, made faster."""
    return _signer(salt, settings.SECRET_KEY).sign_object(obj, compress=compress)


@lru_cache(maxsize=32)
def _signer(salt: str, key: str) -> _KeyedSigner:
    # Keyed by the secret too: a changed SECRET_KEY (tests) gets its own signer.
    return _KeyedSigner(salt=salt, key=key)


class _KeyedSigner(signing.TimestampSigner):
    """A TimestampSigner whose HMAC key (hashed from its salt and secret, as
    `django.utils.crypto.salted_hmac` does) is derived once."""

    def __init__(self, *, salt: str, key: str) -> None:
        super().__init__(salt=salt, key=key)
        hasher = getattr(hashlib, self.algorithm)
        derived = hasher(force_bytes(salt + "signer") + force_bytes(key)).digest()
        self._keyed = hmac.new(derived, digestmod=hasher)

    def signature(self, value: str | bytes, key: str | bytes | None = None) -> str:
        if key is not None and key != self.key:
            return super().signature(value, key)
        mac = self._keyed.copy()
        mac.update(force_bytes(value))
        return signing.b64_encode(mac.digest()).decode()
