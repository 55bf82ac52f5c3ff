"""Open Badges 3.0: a certificate's signed credential for those who may see it, and
the public documents a verifier needs (the issuer profile, the public keys and each
credential's revocation list)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from certificates import open_badges, selectors
from certificates.models import Certificate
from lms.lib.requests import SignedInRequest

# Public documents change only with a new key or a revocation.
PUBLIC_MAX_AGE = 300


@login_required
def certificate_open_badge(request: SignedInRequest, pk: int) -> HttpResponse:
    """The certificate as a signed OpenBadgeCredential (a `.jwt` file), for its
    holder and the people who may see their certificates."""
    certificate = (
        selectors.certificates_visible_to(request.user)
        .select_related("program", "user")
        .filter(pk=pk)
        .first()
    )
    if certificate is None:
        raise Http404("No such certificate.")
    response = HttpResponse(
        open_badges.signed_credential(certificate),
        content_type=open_badges.MEDIA_TYPE,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{open_badges.download_name(certificate)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def issuer_profile(request: HttpRequest) -> JsonResponse:
    """The issuer's OB 3.0 Profile, at the address credentials name as issuer."""
    return _public(JsonResponse(open_badges.issuer_profile()))


@require_GET
def jwk_set(request: HttpRequest) -> JsonResponse:
    """The public keys that verify credentials (`kid` in a credential's header)."""
    return _public(JsonResponse(open_badges.jwk_set()))


@require_GET
def revocation_list(request: HttpRequest, code: str) -> JsonResponse:
    """One credential's 1EdTech Revocation List: empty unless it was revoked."""
    certificate = Certificate.objects.filter(verification_code=code).first()
    if certificate is None:
        raise Http404("No credential has this address.")
    response = JsonResponse(open_badges.revocation_list(certificate))
    response["Cache-Control"] = "public, max-age=60"
    return response


def _public(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response
