"""Per-client-address limits for public, sign-in-free pages (certificate
verification, calendar feeds): so many requests a minute, counted in the cache
before anything is looked up. Addresses are stored hashed."""

from __future__ import annotations

import hashlib
import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest


def seconds_to_wait(request: HttpRequest, *, scope: str, per_minute: int) -> int:
    """Seconds to wait when this client address has used up this minute's
    requests in `scope`, else 0 (counting this request). 0 or less: no limit."""
    if per_minute <= 0:
        return 0
    address = get_adapter(request).get_client_ip(request)
    now = time.time()
    window = int(now // 60)
    client = hashlib.sha256(address.encode()).hexdigest()[:32]
    key = f"{scope}:{client}:{window}"
    cache.add(key, 0, timeout=61)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=61)
        count = 1
    if count <= per_minute:
        return 0
    return max(1, int((window + 1) * 60 - now))
