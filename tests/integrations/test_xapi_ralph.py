"""xAPI statements arrive in a real LRS: Ralph, started by the test as a subprocess
(tests/integrations/ralph.py), read back with `GET /xAPI/statements`."""

from __future__ import annotations

import pytest
from django.utils import timezone

from certificates import services as certificate_services
from certificates.services import certificate_issue
from courses.quizzes.models import QuizAttempt
from courses.quizzes.signals import quiz_attempt_graded
from courses.services import lesson_complete
from integrations.models import LrsEndpoint, XapiDelivery, XapiStatement
from integrations.xapi import services
from tests.certificates.program_kit import ProgramKit
from tests.integrations import ralph as ralph_lrs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_certificate_side_jobs(monkeypatch):
    monkeypatch.setattr(certificate_services, "_after_issue", lambda pk: None)


def _ours(ralph, statement_ids) -> list[dict]:
    wanted = {str(s) for s in statement_ids}
    return [s for s in ralph.get_statements() if s["id"] in wanted]


@pytest.mark.parametrize("version", ["1.0.3", "2.0.0"])
def test_statements_arrive_in_ralph_once_each(
    ralph, org, version, django_capture_on_commit_callbacks
):
    kit = ProgramKit()
    LrsEndpoint.objects.create(
        name="Ralph",
        url=ralph.base_url,
        username=ralph_lrs.USERNAME,
        password=ralph_lrs.PASSWORD,
        version=version,
    )

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=org.rep_east, lesson=kit.lessons[0], how="read")
        attempt = kit.pass_quiz(org.rep_east, percent=90)
        quiz_attempt_graded.send(sender=QuizAttempt, attempt=attempt)
        certificate_issue(user=org.rep_east, program=kit.program, cycle=1)

    ids = list(XapiStatement.objects.values_list("statement_id", flat=True))
    assert XapiDelivery.objects.filter(delivered_at__isnull=True).count() == 0
    stored = _ours(ralph, ids)
    assert sorted(s["verb"]["display"]["en-US"] for s in stored) == [
        "completed",
        "earned",
        "launched",
        "passed",
    ]
    passed = next(s for s in stored if s["verb"]["display"]["en-US"] == "passed")
    assert passed["actor"]["mbox"] == f"mailto:{org.rep_east.email}"
    assert passed["result"]["score"]["scaled"] == 0.9

    # The answer was lost on the way back: the statement is sent again, and Ralph
    # still holds it once.
    XapiDelivery.objects.update(delivered_at=None, next_attempt_at=timezone.now())
    assert services.lrs_rounds_start() == 1
    assert XapiDelivery.objects.filter(delivered_at__isnull=True).count() == 0
    assert len(_ours(ralph, ids)) == 4


def test_ralph_refusing_our_credentials_keeps_the_statements(
    ralph, org, django_capture_on_commit_callbacks
):
    kit = ProgramKit()
    LrsEndpoint.objects.create(
        name="Ralph", url=ralph.base_url, username="onramp", password="wrong"
    )

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=org.rep_east, lesson=kit.lessons[0], how="read")

    delivery = XapiDelivery.objects.get()
    assert delivery.delivered_at is None
    assert delivery.last_status_code == 401
    assert _ours(ralph, [delivery.statement.statement_id]) == []
