"""A cache that lives for one request: what several parts of a page ask about the
same person (the teams they manage, …) is read once.

Nothing survives the request, and any change to teams, their managers or coaches, or a
person's team empties it at once, so a page never shows a permission that was taken
away while it was being built. Outside a request (tasks, shells) nothing is cached.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_cache: ContextVar[dict[Any, Any] | None] = ContextVar(
    "onramp_request_cache", default=None
)


def cached(key: Any, compute: Callable[[], T]) -> T:
    """`compute()`, once per request for the same key."""
    store = _cache.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    value: T = store[key]
    return value


def clear(**kwargs: Any) -> None:
    """Forget everything cached in this request (a signal receiver)."""
    store = _cache.get()
    if store is not None:
        store.clear()


class RequestCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _cache.set({})
        try:
            return self.get_response(request)
        finally:
            _cache.reset(token)
