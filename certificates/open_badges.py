"""Certificates as Open Badges 3.0 credentials (1EdTech OB 3.0 on the W3C Verifiable
Credentials Data Model 2.0), signed as VC-JOSE-COSE JWTs with Ed25519.

The rules, written down next to the code that follows them:
- The credential is the JWT's payload as it stands (`typ: vc+jwt`, `cty: vc`), with
  `iss`, `jti`, `sub`, `nbf` and `exp` repeating the credential's own `issuer.id`,
  `id`, subject, `validFrom` and `validUntil`, so JWT libraries check the validity
  period too.
- The same certificate always gives the same bytes: identifiers are UUID 5 of the
  verification address, the salt is derived from the key and the code, no "issued
  now" claim; Ed25519 signatures are deterministic.
- The recipient is an `IdentityObject` with the e-mail address hashed as
  `sha256$<hex of sha256(email + salt)>`, never the address itself, plus the name
  the certificate kept.
- Revocation: `credentialStatus` is a 1EdTech Revocation List of this one
  credential (so the list tells nothing about anyone else); expiry is `validUntil`.
- The public key is the JWK Set at `/.well-known/jwks.json`; `kid` is its RFC 7638
  thumbprint.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from certificates.models import (
    Certificate,
    CertificateBranding,
    CertificationProgram,
    ProgramRequirement,
)
from lms.lib import clock
from lms.lib.urls import absolute_url, site_url

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MEDIA_TYPE = "application/vc+jwt"
REVOCATION_LIST_TYPE = "1EdTechRevocationList"
LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    public_jwk: dict[str, str]
    kid: str


def _key_bytes(encoded: str) -> bytes:
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))


@cache
def _signing_key(encoded: str) -> SigningKey:
    seed = _key_bytes(encoded)
    private = Ed25519PrivateKey.from_private_bytes(seed)
    x = _b64url(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    # RFC 7638: the required members in lexicographic order, no whitespace.
    thumbprint = _b64url(
        hashlib.sha256(
            json.dumps(
                {"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":")
            ).encode()
        ).digest()
    )
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": thumbprint, "alg": "EdDSA"}
    return SigningKey(private=private, public_jwk=jwk, kid=thumbprint)


def signing_key() -> SigningKey:
    """The key configured in OPEN_BADGES_SIGNING_KEY."""
    return _signing_key(settings.OPEN_BADGES_SIGNING_KEY)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _organisation_name() -> str:
    """The name the certificate PDFs print (the branding setting, else the site's)."""
    branding = CertificateBranding.objects.filter(site__is_default_site=True).first()
    return (branding.organisation_name if branding else "") or str(
        settings.ORGANISATION_NAME
    )


def issuer_url() -> str:
    return absolute_url("open_badges_issuer")


def issuer_profile() -> dict[str, Any]:
    """The issuer's OB 3.0 Profile, published at its own id."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_url(),
        "type": ["Profile"],
        "name": _organisation_name(),
        "url": site_url("/"),
    }


def jwk_set() -> dict[str, Any]:
    """The public key(s) that verify this site's credentials."""
    return {"keys": [signing_key().public_jwk]}


def credential_id(certificate: Certificate) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, certificate.verification_url)}"


def _achievement_id(program: CertificationProgram) -> str:
    name = f"{issuer_url()}#program-{program.pk}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def criteria_narrative(program: CertificationProgram) -> str:
    """What it takes, in Markdown, from the program's requirements."""
    lines = []
    for requirement in program.requirements.all().select_related(
        "path", "course", "quiz", "rubric"
    ):
        lines.append(f"- {_requirement_text(requirement)}")
    return "Meet every requirement:\n\n" + "\n".join(lines)


def _requirement_text(requirement: ProgramRequirement) -> str:
    kind = ProgramRequirement.Kind
    if requirement.kind == kind.PATH_COMPLETED and requirement.path:
        return f"Complete the learning path “{requirement.path.title}”."
    if requirement.kind == kind.COURSE_COMPLETED and requirement.course:
        return f"Complete the course “{requirement.course.title}”."
    if requirement.kind == kind.QUIZ_PASSED and requirement.quiz:
        floor = (
            f"with at least {requirement.min_percent}%"
            if requirement.min_percent
            else "at its pass mark"
        )
        return f"Pass the quiz “{requirement.quiz.title}” {floor}."
    if requirement.kind == kind.REVIEWS_APPROVED and requirement.rubric:
        score = (
            f" with a score of at least {requirement.min_score}"
            if requirement.min_score
            else ""
        )
        return (
            f"{requirement.min_reviews} approved coaching review(s) on "
            f"“{requirement.rubric.name}”{score}."
        )
    return str(requirement)


def _salt(certificate: Certificate) -> str:
    key = _key_bytes(settings.OPEN_BADGES_SIGNING_KEY)
    return hmac.new(
        key, b"salt:" + certificate.verification_code.encode(), hashlib.sha256
    ).hexdigest()[:16]


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0's IdentityHash: `sha256$` and the hex digest of the address + salt."""
    return "sha256$" + hashlib.sha256((email.lower() + salt).encode()).hexdigest()


def open_badge_credential(certificate: Certificate) -> dict[str, Any]:
    """The certificate as an unsigned OpenBadgeCredential."""
    program = certificate.program
    salt = _salt(certificate)
    image = {
        "id": site_url(static("certificates/open-badge.svg")),
        "type": "Image",
        "caption": certificate.program_title,
    }
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.program_title,
        "issuer": issuer_profile(),
        "validFrom": _timestamp(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.holder_name,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": identity_hash(certificate.user.email, salt),
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": _achievement_id(program),
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": certificate.program_title,
                "description": program.description or certificate.program_title,
                "criteria": {"narrative": criteria_narrative(program)},
                "image": image,
                "creator": {"id": issuer_url(), "type": ["Profile"]},
            },
        },
        "credentialStatus": {
            "id": absolute_url(
                "open_badges_revocation_list", certificate.verification_code
            ),
            "type": REVOCATION_LIST_TYPE,
        },
        "evidence": [
            {
                "id": certificate.verification_url,
                "type": ["Evidence"],
                "name": "Public verification page",
            }
        ],
    }
    if certificate.expires_at:
        credential["validUntil"] = _timestamp(certificate.expires_at)
    return credential


def signed_credential(certificate: Certificate) -> str:
    """The credential as a compact JWS (VC-JOSE-COSE), signed with EdDSA."""
    credential = open_badge_credential(certificate)
    claims: dict[str, Any] = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["identifier"][0]["identityHash"],
        "nbf": int(certificate.issued_at.timestamp()),
    }
    if certificate.expires_at:
        claims["exp"] = int(certificate.expires_at.timestamp())
    key = signing_key()
    return jwt.encode(
        claims,
        key.private,
        algorithm="EdDSA",
        headers={"typ": "vc+jwt", "cty": "vc", "kid": key.kid},
    )


def revocation_list(certificate: Certificate) -> dict[str, Any]:
    """The 1EdTech Revocation List a credential's status points at: this credential
    alone, listed only when revoked (the reason stays private)."""
    revoked = certificate.status == Certificate.Status.REVOKED
    return {
        "id": absolute_url(
            "open_badges_revocation_list", certificate.verification_code
        ),
        "issuer": issuer_url(),
        "revokedCredentials": [{"id": credential_id(certificate)}] if revoked else [],
    }


def linkedin_url(certificate: Certificate) -> str:
    """LinkedIn's "Add to profile" address for a certification, filled in."""
    zone_name = certificate.user.time_zone
    issued_on = clock.local_date(certificate.issued_at, zone_name)
    expires_on = clock.local_date(certificate.expires_at, zone_name)
    params: dict[str, str | int] = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.program_title,
        "organizationName": _organisation_name(),
    }
    if issued_on:
        params["issueYear"] = issued_on.year
        params["issueMonth"] = issued_on.month
    if expires_on:
        params["expirationYear"] = expires_on.year
        params["expirationMonth"] = expires_on.month
    params["certUrl"] = certificate.verification_url
    params["certId"] = certificate.serial
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(params)}"


def download_name(certificate: Certificate) -> str:
    return f"{certificate.serial}.jwt"


def credential_url(certificate: Certificate) -> str:
    return reverse("certificate_open_badge", args=[certificate.pk])
