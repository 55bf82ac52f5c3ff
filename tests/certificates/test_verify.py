"""Public verification at /verify/<code>/: what it says, what it never shows, the
same work for known and unknown codes, and the per-address rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Certificate, CertificationProgram
from tests.factories import RepFactory, TeamFactory

CODE = "V3rIfy-Me_0123456789abcd"
NOW = "2026-06-01 12:00Z"


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    """Dates are checked against a fixed day, and the rate-limit minute cannot roll
    over in the middle of a test."""
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def holder(db):
    return RepFactory(
        full_name="Łukasz Żółć",
        email="lukasz.zolc@northwind.example",
        team=TeamFactory(name="Secret Squirrels"),
    )


def make_certificate(holder, **overrides: object) -> Certificate:
    program = CertificationProgram.objects.get_or_create(
        title="Certified Discovery Seller", defaults={"validity_months": 12}
    )[0]
    values: dict[str, object] = {
        "program": program,
        "user": holder,
        "serial": "NW-2026-00007",
        "verification_code": CODE,
        "holder_name": holder.full_name,
        "program_title": program.title,
        "issued_at": dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
        "expires_at": dt.datetime(2027, 3, 2, 9, 0, tzinfo=dt.UTC),
        "issue_reason": "Backfilled from the 2025 spreadsheet",
    }
    values.update(overrides)
    return Certificate.objects.create(**values)


def verify_url(code: str = CODE) -> str:
    return reverse("certificate_verify", args=[code])


def test_it_lives_at_the_documented_address():
    assert verify_url() == f"/verify/{CODE}/"


@pytest.mark.django_db
def test_it_confirms_a_valid_certificate_to_anyone(client, holder):
    make_certificate(holder)

    response = client.get(verify_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid" in html
    assert "Expired" not in html and "Revoked" not in html
    assert "Łukasz Żółć" in html
    assert "Certified Discovery Seller" in html
    assert "2 March 2026" in html
    assert "2 March 2027" in html


@pytest.mark.django_db
def test_it_shows_a_signed_in_person_the_same_facts(client, holder):
    make_certificate(holder)
    anonymous = client.get(verify_url()).content.decode()
    client.force_login(RepFactory())

    signed_in = client.get(verify_url())

    assert signed_in.status_code == 200
    for fact in ("Valid", "Łukasz Żółć", "Certified Discovery Seller", "2 March 2027"):
        assert fact in anonymous and fact in signed_in.content.decode()
    assert "lukasz.zolc@northwind.example" not in signed_in.content.decode()


@pytest.mark.django_db
def test_it_says_when_a_certificate_never_expires(client, holder):
    make_certificate(holder, expires_at=None)

    html = client.get(verify_url()).content.decode()

    assert "Valid" in html
    assert "Does not expire" in html


@pytest.mark.django_db
def test_it_says_expired_for_an_expired_certificate(client, holder):
    make_certificate(
        holder,
        status=Certificate.Status.EXPIRED,
        expires_at=dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC),
    )

    response = client.get(verify_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Expired" in html
    assert "Valid" not in html
    assert "1 May 2026" in html
    assert "Łukasz Żółć" in html


@pytest.mark.django_db
def test_it_says_expired_once_the_expiry_has_passed_before_the_sweep_ran(
    client, holder
):
    make_certificate(holder, expires_at=dt.datetime(2026, 6, 1, 11, 0, tzinfo=dt.UTC))

    html = client.get(verify_url()).content.decode()

    assert "Expired" in html
    assert "Valid" not in html


@pytest.mark.django_db
def test_it_says_revoked_without_the_reason(client, holder):
    make_certificate(
        holder,
        status=Certificate.Status.REVOKED,
        revoked_at=dt.datetime(2026, 4, 15, 10, 0, tzinfo=dt.UTC),
        revoked_by=RepFactory(full_name="Rita Revoker"),
        revoked_reason="Shared quiz answers in the team chat",
    )

    response = client.get(verify_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Revoked" in html
    assert "Valid" not in html
    assert "15 April 2026" in html
    assert "Shared quiz answers" not in html
    assert "Rita Revoker" not in html


@pytest.mark.django_db
def test_it_shows_dates_on_the_holders_calendar(client):
    holder = RepFactory(full_name="Aroha Ngata", time_zone="Pacific/Auckland")
    make_certificate(holder, issued_at=dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC))

    html = client.get(verify_url()).content.decode()

    assert "3 March 2026" in html


@pytest.mark.django_db
def test_it_shows_nothing_private(client, holder):
    certificate = make_certificate(holder)

    html = client.get(verify_url()).content.decode()

    for private in (
        holder.email,
        "Secret Squirrels",
        "Backfilled from the 2025 spreadsheet",
        certificate.serial,
        reverse("person_detail", args=[holder.pk]),
    ):
        assert private not in html


@pytest.mark.django_db
def test_it_prints_markup_in_a_name_as_text(client):
    holder = RepFactory(full_name='<font color="red">Eve</font>')
    make_certificate(holder)

    html = client.get(verify_url()).content.decode()

    assert "&lt;font color=&quot;red&quot;&gt;Eve&lt;/font&gt;" in html
    assert '<font color="red">' not in html


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_code(client, holder):
    make_certificate(holder)

    for code in ("no-such-code", CODE.upper(), CODE[:-1], CODE + "x", "x" * 300):
        response = client.get(verify_url(code))

        assert response.status_code == 404
        html = response.content.decode()
        for word in ("Valid", "Expired", "Revoked", "Łukasz Żółć"):
            assert word not in html
        assert "No certificate has this verification code" in html


@pytest.mark.django_db
def test_it_does_the_same_work_for_known_and_unknown_codes(client, holder):
    make_certificate(holder)
    client.get(verify_url("warm-up"))  # first-request setup is not what we compare

    with CaptureQueriesContext(connection) as known:
        assert client.get(verify_url()).status_code == 200
    with CaptureQueriesContext(connection) as unknown:
        assert client.get(verify_url("Zz" + CODE[2:])).status_code == 404

    assert len(known) == len(unknown) == 1
    shape = [
        query["sql"].replace(CODE, "?").replace("Zz" + CODE[2:], "?") for query in known
    ]
    assert shape == [query["sql"].replace("Zz" + CODE[2:], "?") for query in unknown]


@pytest.mark.django_db
def test_it_keeps_search_engines_and_shared_caches_away(client, holder):
    make_certificate(holder)

    found = client.get(verify_url())
    missing = client.get(verify_url("no-such-code"))

    assert '<meta name="robots" content="noindex, nofollow">' in found.content.decode()
    assert found["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in found["Cache-Control"]
    assert "max-age=60" in found["Cache-Control"]
    assert "public" not in found["Cache-Control"]
    assert "no-store" in missing["Cache-Control"]
    assert missing["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.django_db
def test_it_limits_each_address_per_minute(client, holder, settings, time_machine):
    settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE = 3
    make_certificate(holder)

    statuses = [
        client.get(verify_url(code)).status_code for code in (CODE, "unknown-1", CODE)
    ]
    limited = client.get(verify_url())

    assert statuses == [200, 404, 200]
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) == 60
    html = limited.content.decode()
    assert "Too many verification requests" in html
    assert "Łukasz Żółć" not in html and "Valid" not in html
    assert "no-store" in limited["Cache-Control"]
    assert client.get(verify_url("unknown-2")).status_code == 429

    other_address = client.get(verify_url(), REMOTE_ADDR="203.0.113.9")
    assert other_address.status_code == 200

    time_machine.shift(dt.timedelta(seconds=60))
    assert client.get(verify_url()).status_code == 200


@pytest.mark.django_db
def test_it_counts_the_rate_limit_before_looking_anything_up(client, holder, settings):
    settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE = 1
    make_certificate(holder)
    client.get(verify_url("unknown"))

    with CaptureQueriesContext(connection) as queries:
        assert client.get(verify_url()).status_code == 429

    assert len(queries) == 0
