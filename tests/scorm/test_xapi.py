"""SCORM in xAPI, through the existing outbox: launched when an attempt starts, passed
or failed for each SCO's result, completed with the step's completion."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from courses.scorm.models import ScormPage
from integrations.models import XapiStatement
from tests.scorm.packages import scorm12_zip

pytestmark = pytest.mark.django_db


def commit(client: Client, url: str, values: dict[str, str]) -> None:
    client.post(url, json.dumps(values), content_type="application/json")


def test_it_records_launched_failed_passed_and_completed(
    client: Client,
    rep_factory: Any,
    make_scorm_step: Callable[..., ScormPage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    page = make_scorm_step(scorm12_zip())
    client.force_login(rep_factory())
    with django_capture_on_commit_callbacks(execute=True):
        client.get(page.url)  # opening the step launches nothing by itself
        sco = client.post(f"/learning/scorm/{page.pk}/launch/").json()["scos"][0]
        url = sco["commit_url"]
        commit(
            client,
            url,
            {"cmi.core.score.raw": "60", "cmi.core.lesson_status": "passed"},
        )
        commit(
            client,
            url,
            {"cmi.core.score.raw": "60", "cmi.core.lesson_status": "passed"},
        )
        commit(
            client,
            url,
            {"cmi.core.score.raw": "85", "cmi.core.lesson_status": "passed"},
        )
    rows = {row.verb: row.statement for row in XapiStatement.objects.all()}
    assert sorted(rows) == ["completed", "failed", "launched", "passed"]
    launched, failed = rows["launched"], rows["failed"]
    passed, completed = rows["passed"], rows["completed"]
    assert launched["object"]["id"].endswith(f"/xapi/activities/scorm/{page.pk}")
    assert launched["object"]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/module"
    )
    assert failed["result"]["score"] == {"scaled": 0.6}
    assert passed["result"]["success"] is True
    assert passed["object"]["id"].endswith(f"/xapi/activities/sco/{sco['id']}")
    assert passed["context"]["contextActivities"]["grouping"][0]["id"].endswith(
        f"/xapi/activities/scorm/{page.pk}"
    )
    assert completed["object"]["id"].endswith(f"/xapi/activities/scorm/{page.pk}")
