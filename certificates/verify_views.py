"""Public verification of a certificate at `/verify/<code>/` (the URL in its QR code).

Anyone holding the PDF (a customer, a recruiter) may check it without an account, so
the page shows only what the certificate itself states: valid, expired or revoked,
the holder's name, the program and the dates; never an e-mail address, a team or a
revocation reason. A code that matches nothing answers 404 after the same work as
one that matches (one indexed query, a constant-time comparison, the same template),
so response times do not tell codes apart, and each client address may ask only
`CERTIFICATE_VERIFY_RATE_PER_MINUTE` times a minute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import constant_time_compare

from certificates.models import Certificate
from lms.lib import clock
from lms.lib.ratelimit import seconds_to_wait

# Long enough to bear a fresh revocation for a minute at most, in browsers only.
VERIFIED_MAX_AGE = 60
# Compared against and shown (to nobody) when no certificate matches.
_NO_CODE = "-" * 64
_DECOY: dict[str, Any] = {
    "verification_code": _NO_CODE,
    "status": Certificate.Status.ACTIVE,
    "holder_name": "Nobody Known By This Code",
    "program_title": "No program by this code",
    "issued_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    "expires_at": dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
    "revoked_at": None,
    "user__time_zone": "UTC",
}
_FIELDS = (
    "verification_code",
    "status",
    "holder_name",
    "program_title",
    "issued_at",
    "expires_at",
    "revoked_at",
    "user__time_zone",
)


@dataclass(frozen=True)
class Verification:
    """What the verification page may say about one certificate."""

    state: str  # "valid", "expired" or "revoked"
    holder_name: str
    program_title: str
    issued_on: dt.date
    expires_on: dt.date | None
    revoked_on: dt.date | None


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """The public answer for one verification code (mounted at `/verify/<code>/`)."""
    retry_after = _rate_limited(request)
    if retry_after:
        response = render(
            request,
            "certificates/verify_rate_limited.html",
            {
                "retry_after": retry_after,
                "limit": settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE,
            },
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return _private(response, max_age=0)

    row = (
        Certificate.objects.filter(verification_code=code)
        .order_by()
        .values(*_FIELDS)[:1]
    )
    found: dict[str, Any] | None = next(iter(row), None)
    matches = constant_time_compare(
        found["verification_code"] if found else _NO_CODE, code
    )
    known = found is not None and matches
    # A decoy is shaped and drawn when nothing matched, so both paths do the same.
    verification = _verification(found if found is not None and known else _DECOY)
    facts = render_to_string(
        "certificates/verify_facts.html", {"verification": verification}
    )
    response = render(
        request,
        "certificates/verify.html",
        {"known": known, "facts": facts if known else ""},
        status=200 if known else 404,
    )
    return _private(response, max_age=VERIFIED_MAX_AGE if known else 0)


def _verification(row: dict[str, Any]) -> Verification:
    zone_name = row["user__time_zone"]
    expires_at: dt.datetime | None = row["expires_at"]
    if row["status"] == Certificate.Status.REVOKED:
        state = "revoked"
    elif row["status"] == Certificate.Status.EXPIRED or (
        expires_at is not None and expires_at <= clock.now()
    ):
        # Past its expiry even if the daily sweep has not marked it yet.
        state = "expired"
    else:
        state = "valid"

    return Verification(
        state=state,
        holder_name=row["holder_name"],
        program_title=row["program_title"],
        issued_on=timezone.localtime(row["issued_at"], clock.zone(zone_name)).date(),
        expires_on=clock.local_date(expires_at, zone_name),
        revoked_on=clock.local_date(row["revoked_at"], zone_name)
        if state == "revoked"
        else None,
    )


def _rate_limited(request: HttpRequest) -> int:
    """Seconds to wait when this client address has used up this minute's
    verifications, else 0 (counting this request)."""
    return seconds_to_wait(
        request,
        scope="certificates:verify",
        per_minute=settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE,
    )


def _private(response: HttpResponse, *, max_age: int) -> HttpResponse:
    """Personal data: browsers may keep the page briefly, shared caches never; and
    search engines do not index it."""
    if max_age:
        patch_cache_control(response, private=True, max_age=max_age)
    else:
        patch_cache_control(response, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
