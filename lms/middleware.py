"""Middleware of the project shell."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from lms.lib.digits import AS_WRITTEN, language_digits, localize_digits_in_html

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


class LocalDigitsMiddleware:
    """Write the numbers of an HTML page in the digits of the page's language
    (lms.lib.digits: text only, never attributes, scripts, form fields or codes),
    unless its view is marked `digits_as_written`. Languages that write Western
    digits, and every answer that is not an HTML page, pass through untouched and
    pay nothing but one cached look-up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        digits = language_digits(translation.get_language())
        if (
            digits is None
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or response.has_header("Content-Disposition")
            or response.has_header("Content-Encoding")
            or getattr(response, AS_WRITTEN, False)
        ):
            return response
        charset = response.charset
        if charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
            return response  # Onramp writes UTF-8; another encoding may lack the digits
        try:
            html = response.content.decode(charset)
        except UnicodeDecodeError:
            return response  # not a page Onramp wrote
        response.content = localize_digits_in_html(html, digits).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
