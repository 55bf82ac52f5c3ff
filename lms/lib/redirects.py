"""Going back where the person came from, without naming another layer's pages.

A page of a lower layer (an invitation form, the assign-training form) is opened from
pages of the layers above it. Those pages pass their own address as `next`; the lower
layer returns there after its work, or to the start page when `next` is missing or
points to another site (an open redirect would let a link send people anywhere).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

FIELD = "next"


def next_url(request: HttpRequest, *, fallback: str = "/") -> str:
    """The safe `next` address of this request (POST first, then the query string)."""
    candidate = request.POST.get(FIELD) or request.GET.get(FIELD) or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return candidate
    return fallback


def redirect_back(request: HttpRequest, *, fallback: str = "/") -> HttpResponseRedirect:
    return HttpResponseRedirect(next_url(request, fallback=fallback))
