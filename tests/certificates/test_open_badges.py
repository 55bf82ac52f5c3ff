"""Certificates as Open Badges 3.0 credentials: signed (checked with jwcrypto, not
the PyJWT that signs), valid against 1EdTech's JSON schema, published keys and
issuer, revocation and expiry, and who may download them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from jwcrypto import jwk, jws
from jwcrypto import jwt as jw_jwt

from certificates import services
from certificates.models import Certificate
from certificates.services import certificate_issue
from lms.lib import clock

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (
        Path(__file__).parent / "data" / "ob_v3p0_achievementcredential_schema.json"
    ).read_text()
)


@pytest.fixture(autouse=True)
def after_issue(monkeypatch):
    monkeypatch.setattr(services, "_after_issue", lambda pk: None)


def _issue(kit, user, *, days_ago=0) -> Certificate:
    certificate, _ = certificate_issue(
        user=user,
        program=kit.program,
        cycle=1,
        issued_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    return certificate


def _download(client, certificate) -> str:
    response = client.get(reverse("certificate_open_badge", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert f'filename="{certificate.serial}.jwt"' in response["Content-Disposition"]
    return response.content.decode()


def _published_key(client) -> jwk.JWK:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert set(key) == {"kty", "crv", "x", "kid", "alg"}  # public only
    return jwk.JWK(**key)


def _verified_payload(token: str, key: jwk.JWK) -> dict:
    """Verify the signature alone (not the validity period) with jwcrypto."""
    signed = jws.JWS()
    signed.deserialize(token)
    signed.verify(key, alg="EdDSA")
    return json.loads(signed.payload)


def test_it_signs_a_credential_that_another_library_verifies_and_the_schema_accepts(
    client, program_kit, org
):
    certificate = _issue(program_kit, org.rep_east)
    client.force_login(org.rep_east)

    token = _download(client, certificate)
    key = _published_key(client)
    header = json.loads(jws.base64url_decode(token.split(".")[0]).decode())
    # jwcrypto's JWT also checks nbf/exp against the real clock: valid now.
    claims = json.loads(jw_jwt.JWT(jwt=token, key=key, algs=["EdDSA"]).claims)
    credential = _verified_payload(token, key)

    assert header == {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": key.kid}
    assert claims == credential
    jsonschema.Draft201909Validator(SCHEMA).validate(credential)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["iss"] == credential["issuer"]["id"]
    assert credential["jti"] == credential["id"]
    assert credential["validFrom"] == certificate.issued_at.astimezone(dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert credential["validUntil"] == certificate.expires_at.astimezone(
        dt.UTC
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert credential["exp"] == int(certificate.expires_at.timestamp())


def test_it_describes_the_achievement_and_the_recipient_without_their_address(
    client, program_kit, org
):
    certificate = _issue(program_kit, org.rep_east)
    client.force_login(org.rep_east)

    token = _download(client, certificate)
    credential = _verified_payload(token, _published_key(client))
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    (identity,) = subject["identifier"]

    assert org.rep_east.email not in token
    assert org.rep_east.email not in json.dumps(credential)
    assert subject["name"] == certificate.holder_name
    assert identity["identityType"] == "emailAddress"
    assert identity["hashed"] is True
    assert (
        identity["identityHash"]
        == "sha256$"
        + hashlib.sha256((org.rep_east.email + identity["salt"]).encode()).hexdigest()
    )
    assert achievement["name"] == "Certified Discovery Seller"
    assert achievement["achievementType"] == "Certification"
    narrative = achievement["criteria"]["narrative"]
    assert "Complete the learning path “First 30 days”." in narrative
    assert "Pass the quiz “Discovery calls quiz” with at least 80%." in narrative
    assert "on “Discovery call” with a score of at least 3.00" in narrative
    assert achievement["image"]["id"].endswith("/static/certificates/open-badge.svg")
    assert achievement["image"]["type"] == "Image"
    assert client.get(urlsplit(achievement["image"]["id"]).path).status_code == 200
    assert credential["evidence"][0]["id"] == certificate.verification_url


def test_it_gives_the_same_bytes_for_the_same_certificate(client, program_kit, org):
    certificate = _issue(program_kit, org.rep_east)
    client.force_login(org.rep_east)

    assert _download(client, certificate) == _download(client, certificate)


def test_it_publishes_the_issuer_profile_at_the_credentials_issuer_id(
    client, program_kit, org
):
    certificate = _issue(program_kit, org.rep_east)
    client.force_login(org.rep_east)
    credential = _verified_payload(
        _download(client, certificate), _published_key(client)
    )
    client.logout()

    response = client.get(urlsplit(credential["issuer"]["id"]).path)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == credential["issuer"]
    assert response.json()["type"] == ["Profile"]
    assert response.json()["name"] == "Onramp"


def test_it_lists_a_revoked_credential_in_its_revocation_list(client, program_kit, org):
    certificate = _issue(program_kit, org.rep_east)
    client.force_login(org.rep_east)
    credential = _verified_payload(
        _download(client, certificate), _published_key(client)
    )
    status_url = urlsplit(credential["credentialStatus"]["id"]).path
    assert credential["credentialStatus"]["type"] == "1EdTechRevocationList"
    client.logout()

    before = client.get(status_url)
    services.certificate_revoke(
        certificate=certificate, actor=org.admin, reason="Shared quiz answers"
    )
    after = client.get(status_url)

    assert before.status_code == 200
    assert before.json()["revokedCredentials"] == []
    assert after.status_code == 200
    assert after.json()["revokedCredentials"] == [{"id": credential["id"]}]
    assert "Shared quiz answers" not in after.content.decode()
    assert client.get("/open-badges/status/nothing-here.json").status_code == 404


def test_it_shows_expiry_once_the_certificate_has_expired(client, program_kit, org):
    certificate = _issue(program_kit, org.rep_east)
    client.force_login(org.rep_east)
    token = _download(client, certificate)
    key = _published_key(client)

    with time_machine.travel(certificate.expires_at + dt.timedelta(days=1)):
        client.force_login(org.rep_east)  # the old session has lapsed
        later = _download(client, certificate)
        # The signature still holds; the JWT's exp and validUntil are past.
        credential = _verified_payload(later, key)
        with pytest.raises(jw_jwt.JWTExpired):
            jw_jwt.JWT(jwt=later, key=key, algs=["EdDSA"])
        page = client.get(reverse("certificates_mine")).content.decode()

    assert later == token
    assert dt.datetime.fromisoformat(credential["validUntil"]) < (
        certificate.expires_at + dt.timedelta(days=1)
    )
    assert "Add to LinkedIn" not in page


def test_it_refuses_a_credential_signed_by_another_key(client, program_kit, org):
    certificate = _issue(program_kit, org.rep_east)
    client.force_login(org.rep_east)
    token = _download(client, certificate)
    header, payload, signature = token.split(".")
    forged_payload = jws.base64url_encode(
        json.dumps(
            {**_verified_payload(token, _published_key(client)), "name": "Forged"}
        ).encode()
    )

    with pytest.raises(jws.InvalidJWSSignature):
        _verified_payload(
            f"{header}.{forged_payload}.{signature}", _published_key(client)
        )
    with pytest.raises(jws.InvalidJWSSignature):
        _verified_payload(token, jwk.JWK.generate(kty="OKP", crv="Ed25519"))


def test_it_lets_managers_download_their_teams_credentials_but_not_others(
    client, program_kit, org
):
    certificate = _issue(program_kit, org.rep_east)
    url = reverse("certificate_open_badge", args=[certificate.pk])

    client.force_login(org.east_manager)
    assert client.get(url).status_code == 200
    client.force_login(org.rep_west)
    assert client.get(url).status_code == 404
    client.force_login(org.emea_manager)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_it_offers_the_credential_and_add_to_linkedin_on_my_certificates(
    client, program_kit, org
):
    certificate = _issue(program_kit, org.rep_east)
    client.force_login(org.rep_east)

    page = client.get(reverse("certificates_mine")).content.decode()

    assert reverse("certificate_open_badge", args=[certificate.pk]) in page
    start = page.index("https://www.linkedin.com/profile/add?")
    link = page[start : page.index('"', start)].replace("&amp;", "&")
    query = parse_qs(urlsplit(link).query)
    issued = timezone.localtime(
        certificate.issued_at, clock.zone(org.rep_east.time_zone)
    ).date()
    expires = timezone.localtime(
        certificate.expires_at, clock.zone(org.rep_east.time_zone)
    ).date()
    assert query == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": ["Certified Discovery Seller"],
        "organizationName": ["Onramp"],
        "issueYear": [str(issued.year)],
        "issueMonth": [str(issued.month)],
        "expirationYear": [str(expires.year)],
        "expirationMonth": [str(expires.month)],
        "certUrl": [certificate.verification_url],
        "certId": [certificate.serial],
    }


def test_it_offers_no_linkedin_link_for_a_revoked_certificate(client, program_kit, org):
    certificate = _issue(program_kit, org.rep_east)
    services.certificate_revoke(certificate=certificate, actor=org.admin, reason="x")
    client.force_login(org.rep_east)

    page = client.get(reverse("certificates_mine")).content.decode()

    assert reverse("certificate_open_badge", args=[certificate.pk]) in page
    assert "Add to LinkedIn" not in page
