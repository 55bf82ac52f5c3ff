"""Evaluations that run at the same moment, from threads against PostgreSQL (row
locks; SQLite has none, so these are skipped there): events arriving together issue
one certificate, and people certified together get distinct serials."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from certificates import services
from certificates.models import Certificate
from certificates.services import certificates_evaluate

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
    start = threading.Barrier(THREADS)
    results: list[list[Certificate]] = []
    errors: list[BaseException] = []

    def evaluate() -> None:
        try:
            start.wait()
            results.append(certificates_evaluate(user_id=org.rep_east.pk))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=evaluate) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(len(issued) for issued in results) == [0] * (THREADS - 1) + [1]
    (certificate,) = Certificate.objects.all()
    assert certificate.events.count() == 1
    assert after_issue == [certificate.pk]


def test_it_gives_different_people_different_serials_at_once(program_kit, org):
    people = [org.rep_east, org.rep_east2, org.rep_west, org.rep_north]
    for person in people:
        program_kit.meet_everything(person)
    start = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def evaluate(user_id: int) -> None:
        try:
            start.wait()
            certificates_evaluate(user_id=user_id)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=evaluate, args=(person.pk,)) for person in people
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert [serial[-6:] for serial in serials] == [
        "000001",
        "000002",
        "000003",
        "000004",
    ]
