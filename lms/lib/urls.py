"""Full addresses of the site's pages, for what is read away from the site: e-mails,
PDFs, QR codes. Pages on the site link with relative addresses instead."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

# Stands for the token in a reversed address; letters only, so never quoted.
_TOKEN = "onrampTokenSlot"


def site_url(path: str) -> str:
    """The full address of a path on this site ("/certificates/" -> SITE_URL + it)."""
    return str(settings.SITE_URL) + path


def absolute_url(name: str, *args: object) -> str:
    """The full address of a named URL with its positional arguments."""
    return site_url(reverse(name, args=args))


def token_url(name: str, token: str) -> str:
    """absolute_url(name, token) for a named URL whose one argument is a token
    (an unsubscribe or tracked link): the address is reversed once per URL
    configuration and each token put in its place, quoted as reverse quotes
    it. A batch of thousands of e-mails would otherwise spend more time in
    reverse than in anything else."""
    if "/" in token:
        return absolute_url(name, token)
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    path = _token_path(name, urlconf, get_script_prefix())
    return site_url(path.replace(_TOKEN, quote(token, safe=RFC3986_SUBDELIMS + "/~:@")))


@lru_cache(maxsize=64)
def _token_path(name: str, urlconf: str, prefix: str) -> str:
    return reverse(name, args=[_TOKEN], urlconf=urlconf)
