"""Launching, committing and resuming: attempts created at launch and tied to their
version, CMI values checked per field, forged commits refused, completion through
the same service as every step."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from courses.models import LessonCompletion
from courses.scorm.models import ScormAttempt, ScormPage, ScoState
from courses.scorm.services import package_import
from tests.scorm.packages import scorm12_zip, scorm2004_zip

pytestmark = pytest.mark.django_db
Step = Callable[..., ScormPage]


def launch(client: Client, page: ScormPage) -> dict[str, Any]:
    response = client.post(f"/learning/scorm/{page.pk}/launch/")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def commit(
    client: Client, url: str, values: dict[str, str], session: str = "s1"
) -> Any:
    return client.post(
        url,
        json.dumps(values),
        content_type="application/json",
        headers={"X-Scorm-Session": session},
    )


def test_it_creates_the_attempt_at_launch_and_resumes_it(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm12_zip())
    client.force_login(rep_factory(full_name="Ana Lima"))
    first = launch(client, page)
    sco = first["scos"][0]
    assert first["standard"] == "1.2" and first["attempt"] == 1
    assert sco["cmi"]["cmi.core.entry"] == "ab-initio"
    assert sco["cmi"]["cmi.core.student_name"] == "Lima, Ana"
    assert sco["cmi"]["cmi.student_data.mastery_score"] == "80.0000"
    saved = commit(
        client,
        sco["commit_url"],
        {
            "cmi.core.lesson_location": "page-2",
            "cmi.suspend_data": "seen=1",
            "cmi.core.lesson_status": "incomplete",
            "cmi.core.exit": "suspend",
            "cmi.core.session_time": "00:01:30",
        },
    )
    assert saved.json() == {
        "result": True,
        "errorCode": 0,
        "done": False,
        "completed": False,
    }
    again = launch(client, page)
    assert again["attempt"] == 1
    cmi = again["scos"][0]["cmi"]
    assert cmi["cmi.core.entry"] == "resume"
    assert cmi["cmi.core.lesson_location"] == "page-2"
    assert cmi["cmi.suspend_data"] == "seen=1"
    assert ScormAttempt.objects.count() == 1


def test_it_completes_the_step_when_the_sco_passes(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm12_zip())
    rep = rep_factory()
    client.force_login(rep)
    sco = launch(client, page)["scos"][0]
    answer = commit(
        client,
        sco["commit_url"],
        {"cmi.core.score.raw": "90", "cmi.core.lesson_status": "completed"},
    ).json()
    assert answer["done"] and answer["completed"]
    completion = LessonCompletion.objects.get(user=rep, lesson=page)
    assert completion.how == LessonCompletion.How.SCORM
    assert ScormAttempt.objects.get().completed_at is not None


def test_it_fails_a_score_below_the_mastery_score_whatever_the_sco_says(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm12_zip())
    client.force_login(rep_factory())
    sco = launch(client, page)["scos"][0]
    answer = commit(
        client,
        sco["commit_url"],
        {"cmi.core.score.raw": "60", "cmi.core.lesson_status": "passed"},
    ).json()
    assert answer["done"] is False
    state = ScoState.objects.get()
    assert (state.completion_status, state.success_status) == ("completed", "failed")
    assert not LessonCompletion.objects.exists()


def test_it_refuses_values_outside_their_vocabulary_or_too_long(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm12_zip())
    client.force_login(rep_factory())
    sco = launch(client, page)["scos"][0]
    response = commit(
        client,
        sco["commit_url"],
        {
            "cmi.core.lesson_status": "aced",
            "cmi.suspend_data": "x" * 4097,
            "cmi.core.score.raw": "250",
            "cmi.core.session_time": "an hour",
            "cmi.core.lesson_location": "fine",
        },
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {
        "cmi.core.lesson_status",
        "cmi.suspend_data",
        "cmi.core.score.raw",
        "cmi.core.session_time",
    }
    assert errors["cmi.suspend_data"] == "is longer than 4096 characters"
    assert not ScoState.objects.exists()


def test_it_refuses_a_forged_pass_from_a_client_that_never_launched(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm12_zip())
    owner, forger = rep_factory(), rep_factory()
    client.force_login(owner)
    sco = launch(client, page)["scos"][0]
    client.force_login(forger)
    stolen = commit(client, sco["commit_url"], {"cmi.core.lesson_status": "passed"})
    invented = commit(
        client,
        f"/learning/scorm/attempts/never-launched/scos/{sco['id']}/commit/",
        {"cmi.core.lesson_status": "passed"},
    )
    assert stolen.status_code == invented.status_code == 403
    assert not ScoState.objects.exists() and not LessonCompletion.objects.exists()


def test_it_completes_a_multi_sco_package_when_every_sco_is_done(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm12_zip(scos=["Listen", "Answer"], mastery=None))
    client.force_login(rep_factory())
    first, second = launch(client, page)["scos"]
    done = {"cmi.core.lesson_status": "completed"}
    assert commit(client, first["commit_url"], done).json()["completed"] is False
    assert not LessonCompletion.objects.exists()
    assert commit(client, second["commit_url"], done).json()["completed"] is True
    assert LessonCompletion.objects.filter(lesson=page).count() == 1
    html = client.get(page.url).content.decode()
    assert html.count('data-sco-status="') == 2 and ">done</span>" in html


def test_it_passes_2004_by_the_scaled_passing_score(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm2004_zip(passing="0.7"))
    client.force_login(rep_factory())
    sco = launch(client, page)["scos"][0]
    assert sco["cmi"]["cmi.scaled_passing_score"] == "0.7000"
    low = {"cmi.completion_status": "completed", "cmi.score.scaled": "0.5"}
    assert commit(client, sco["commit_url"], low).json()["done"] is False
    high = {"cmi.completion_status": "completed", "cmi.score.scaled": "0.9"}
    assert commit(client, sco["commit_url"], high).json()["completed"] is True
    refused = commit(client, sco["commit_url"], {"cmi.success_status": "maybe"})
    assert refused.json()["errors"] == {
        "cmi.success_status": "must be one of 'passed', 'failed', 'unknown'"
    }


def test_it_counts_each_sessions_time_once(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm2004_zip())
    client.force_login(rep_factory())
    url = launch(client, page)["scos"][0]["commit_url"]
    commit(client, url, {"cmi.session_time": "PT1M"}, session="a")
    commit(client, url, {"cmi.session_time": "PT1M30S"}, session="a")
    commit(client, url, {"cmi.session_time": "PT45S"}, session="b")
    assert ScoState.objects.get().total_seconds == 135


def test_it_keeps_attempts_on_the_version_they_were_started_on(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm12_zip(mastery=None))
    client.force_login(rep_factory())
    old = launch(client, page)["scos"][0]
    package_import(data=scorm12_zip(scos=["New A", "New B"]), package=page.package)
    resumed = launch(client, page)
    assert [sco["title"] for sco in resumed["scos"]] == ["Lesson"]
    commit(client, old["commit_url"], {"cmi.core.lesson_status": "completed"})
    fresh = launch(client, page)
    assert fresh["attempt"] == 2
    assert [sco["title"] for sco in fresh["scos"]] == ["New A", "New B"]
    first, second = ScormAttempt.objects.order_by("number")
    assert first.version.number == 1 and second.version.number == 2


def test_it_refuses_a_session_longer_than_a_day(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm2004_zip())
    client.force_login(rep_factory())
    sco = launch(client, page)["scos"][0]

    response = commit(client, sco["commit_url"], {"cmi.session_time": "P99999999999Y"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"cmi.session_time": "is longer than 24 hours"}
    assert not ScoState.objects.exists()


def test_a_raw_score_beyond_the_maximum_scales_to_one(
    client: Client, rep_factory: Any, make_scorm_step: Step
) -> None:
    page = make_scorm_step(scorm12_zip())
    client.force_login(rep_factory())
    sco = launch(client, page)["scos"][0]

    response = commit(
        client,
        sco["commit_url"],
        {"cmi.core.score.raw": "100", "cmi.core.score.max": "1"},
    )

    assert response.status_code == 200
    assert ScoState.objects.get().score_scaled == 1
