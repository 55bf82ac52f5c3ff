"""The Content-Security-Policy every page is sent with (see the README's
"Content-Security-Policy" section).

django-csp writes the header from `settings.CONTENT_SECURITY_POLICY`; this module adds
what it lacks: a second policy for Wagtail's admin, whose templates still carry inline
scripts and styles, and the operator's additions read from the environment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from csp.constants import NONE, Nonce
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import DEFAULT_DIRECTIVES, default_config
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

# A directive and its sources; NONCE stands for the nonce of the request.
Directives = dict[str, list[str | Nonce]]


def parse_extra_sources(value: str, *, name: str = "CSP_EXTRA_SOURCES") -> Directives:
    """Sources to add, written as in the header: "img-src https://a.example;
    media-src https://a.example https://b.example"."""
    extra: Directives = {}
    for part in value.split(";"):
        words = part.split()
        if not words:
            continue
        directive, *sources = words
        if directive not in DEFAULT_DIRECTIVES or directive.startswith("report-"):
            raise ImproperlyConfigured(
                f"{name}: {directive!r} is not a directive that takes sources; write "
                f'"directive source source; directive source", e.g. "img-src '
                f'https://files.example.com".'
            )
        if not sources:
            raise ImproperlyConfigured(f"{name}: {directive!r} names no source.")
        extra.setdefault(directive, []).extend(sources)
    return extra


def origin_of(url: str) -> str:
    """https://id.example.com/realms/x -> https://id.example.com"""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def with_extra_sources(directives: Directives, extra: Directives) -> Directives:
    """The policy with the extra sources appended to their directives. A fetch
    directive (…-src) the policy leaves out starts from default-src, as a browser
    would read it; 'none' gives way to the sources added."""
    merged = {key: list(sources) for key, sources in directives.items()}
    for directive, sources in extra.items():
        start = merged.get(directive)
        if start is None:
            start = merged.get("default-src", []) if directive.endswith("-src") else []
        kept = [source for source in start if source != NONE]
        merged[directive] = [*kept, *(s for s in sources if s not in kept)]
    return merged


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, sending `CSP_ADMIN_DIRECTIVES` under
    `CSP_ADMIN_URL_PREFIXES` and the site policy everywhere else. A view's own
    `@csp_replace`/`@csp_update` still apply on top."""

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(tuple(settings.CSP_ADMIN_URL_PREFIXES))
        ):
            config: dict[str, Any] | None = default_config(
                settings.CSP_ADMIN_DIRECTIVES
            )
            parts.config = config
        return parts
