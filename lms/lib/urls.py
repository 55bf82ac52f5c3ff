"""Full addresses of the site's pages, for what is read away from the site: e-mails,
PDFs, QR codes. Pages on the site link with relative addresses instead."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def site_url(path: str) -> str:
    """The full address of a path on this site ("/certificates/" -> SITE_URL + it)."""
    return str(settings.SITE_URL) + path


def absolute_url(name: str, *args: object) -> str:
    """The full address of a named URL with its positional arguments."""
    return site_url(reverse(name, args=args))
