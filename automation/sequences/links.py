"""Tracked links in sequence messages: `/go/<token>`, where the token is a signed
(step, enrolment, path). Following one records the click and redirects, only ever
to a path on this site: the signature stops anyone making their own links, and the
path check stops an open redirect even if the secret leaked."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.core import signing
from django.utils.http import url_has_allowed_host_and_scheme

from lms.lib.signing import signed
from lms.lib.urls import token_url

SALT = "automation.sequences.link"
MAX_AGE_SECONDS = 366 * 24 * 3600


@dataclass(frozen=True)
class Link:
    step_id: int
    enrolment_id: int | None
    path: str


@lru_cache(maxsize=1024)
def is_site_path(path: str) -> bool:
    """A path on this site: starts with one slash, no scheme, no host, no
    backslash or control characters that browsers might read as a host.
    Remembered: a tick links thousands of messages to the same few lessons."""
    return (
        path.startswith("/")
        and not path.startswith("//")
        and "\\" not in path
        and not any(ord(char) < 32 for char in path)
        and url_has_allowed_host_and_scheme(path, allowed_hosts=None)
    )


def tracked_url(*, step_id: int, enrolment_id: int | None, path: str) -> str:
    """The full address of a tracked link to `path` (a path on this site)."""
    if not is_site_path(path):
        raise ValueError(f"Not a path on this site: {path!r}")
    token = signed([step_id, enrolment_id, path], salt=SALT, compress=True)
    return token_url("sequence_link", token)


def link_from(token: str) -> Link | None:
    """The link a token names, or None if it is forged, expired or leaves the site."""
    try:
        step_id, enrolment_id, path = signing.loads(
            token, salt=SALT, max_age=MAX_AGE_SECONDS
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(path, str) or not is_site_path(path):
        return None
    if not isinstance(step_id, int) or not (
        enrolment_id is None or isinstance(enrolment_id, int)
    ):
        return None
    return Link(step_id, enrolment_id, path)
