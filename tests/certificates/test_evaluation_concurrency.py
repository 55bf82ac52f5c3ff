"""Evaluations that run at the same moment, from threads against PostgreSQL (row
locks; SQLite has none, so these are skipped there): events arriving together issue
one certificate, and people certified together get distinct serials."""

from __future__ import annotations

import pytest
from django.db import connection

from certificates import services
from certificates.models import Certificate
from certificates.services import certificates_evaluate
from tests.concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks between threads need PostgreSQL; SQLite has none.",
    ),
]

THREADS = 4


@pytest.fixture(autouse=True)
def _reset(reset_without_post_migrate: None) -> None:
    """Each test starts from what the migrations made."""


@pytest.fixture(autouse=True)
def after_issue(monkeypatch):
    issued: list[int] = []
    monkeypatch.setattr(services, "_after_issue", issued.append)
    return issued


def test_it_issues_one_certificate_when_events_arrive_together(
    program_kit, org, after_issue
):
    program_kit.meet_everything(org.rep_east)
    results, errors = at_once(
        [lambda: certificates_evaluate(user_id=org.rep_east.pk)] * THREADS
    )

    assert errors == []
    assert sorted(len(issued) for issued in results) == [0] * (THREADS - 1) + [1]
    (certificate,) = Certificate.objects.all()
    assert certificate.events.count() == 1
    assert after_issue == [certificate.pk]


def test_it_gives_different_people_different_serials_at_once(program_kit, org):
    people = [org.rep_east, org.rep_east2, org.rep_west, org.rep_north]
    for person in people:
        program_kit.meet_everything(person)
    _, errors = at_once(
        [
            lambda user_id=person.pk: certificates_evaluate(user_id=user_id)
            for person in people
        ]
    )

    assert errors == []
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert [serial[-6:] for serial in serials] == [
        "000001",
        "000002",
        "000003",
        "000004",
    ]
