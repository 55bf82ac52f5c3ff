"""Middleware of the project shell."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)


class UntrustedProxyWarningMiddleware:
    """Warn once per process when requests come through a proxy Onramp does not
    trust: with TRUSTED_PROXY_COUNT at 0 every client has the proxy's address, so
    all of them share one rate-limit bucket (ten wrong passwords a minute, from
    anyone, stop sign-in for everyone; public verification look-ups run out for
    all). Not loaded at all once TRUSTED_PROXY_COUNT is set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if settings.ALLAUTH_TRUSTED_PROXY_COUNT > 0:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.warned = False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.warned and "HTTP_X_FORWARDED_FOR" in request.META:
            self.warned = True
            logger.warning(
                "Requests arrive with X-Forwarded-For but TRUSTED_PROXY_COUNT is 0: "
                "rate limits count every client as %s, the proxy, so one person can "
                "lock everyone out. Set TRUSTED_PROXY_COUNT to the number of "
                "proxies in front of Onramp.",
                request.META.get("REMOTE_ADDR", "the proxy"),
            )
        return self.get_response(request)
