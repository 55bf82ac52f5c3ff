"""xAPI statements: what each learning event records, the outbox, and an LRS that
fails or hangs (a local stand-in; tests/integrations/test_xapi_ralph.py uses a real
LRS)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import services as certificate_services
from certificates.services import certificate_issue
from coaching.models import Review
from coaching.signals import review_submitted
from courses.quizzes.models import QuizAttempt
from courses.quizzes.signals import quiz_attempt_graded
from courses.services import lesson_complete
from integrations.models import LrsEndpoint, XapiDelivery, XapiStatement
from integrations.xapi import services
from tests.certificates.program_kit import ProgramKit
from tests.integrations.lrs_stand_in import Lrs

pytestmark = pytest.mark.django_db

ADL = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def kit(db: None) -> ProgramKit:
    return ProgramKit()


@pytest.fixture(autouse=True)
def no_certificate_side_jobs(monkeypatch):
    monkeypatch.setattr(certificate_services, "_after_issue", lambda pk: None)


def _statements(user) -> list[dict[str, Any]]:
    return [row.statement for row in XapiStatement.objects.filter(user=user)]


def _verbs(user) -> list[str]:
    return [s["verb"]["id"] for s in _statements(user)]


@pytest.fixture
def lrs():
    made: list[Lrs] = []

    def make(status: int = 200, *, hang: bool = False) -> Lrs:
        made.append(Lrs(status, hang=hang))
        return made[-1]

    yield make
    for server in made:
        server.close()


# What each event records


def test_it_records_launched_and_completed_for_a_lesson(client, kit, org):
    lesson = kit.lessons[0]
    client.force_login(org.rep_east)

    assert client.get(lesson.url).status_code == 200
    assert client.get(lesson.url).status_code == 200  # the same day: one launch
    lesson_complete(user=org.rep_east, lesson=lesson, how="read")

    launched, completed = _statements(org.rep_east)
    assert launched["verb"]["id"] == ADL + "launched"
    assert completed["verb"]["id"] == ADL + "completed"
    assert completed["object"]["id"] == launched["object"]["id"]
    assert completed["object"]["definition"] == {
        "type": "http://adlnet.gov/expapi/activities/lesson",
        "name": {"en-US": "Why discovery"},
    }
    assert completed["context"]["contextActivities"]["parent"][0]["definition"][
        "name"
    ] == {"en-US": "Discovery calls"}
    assert completed["actor"] == {
        "objectType": "Agent",
        "name": "Rae East",
        "mbox": f"mailto:{org.rep_east.email}",
    }
    assert completed["result"] == {"completion": True}


def test_it_records_launched_and_passed_or_failed_for_quiz_attempts(kit, org):
    failed = kit.pass_quiz(org.rep_east, percent=40)
    quiz_attempt_graded.send(sender=QuizAttempt, attempt=failed)
    passed = kit.pass_quiz(org.rep_east, percent=90)
    quiz_attempt_graded.send(sender=QuizAttempt, attempt=passed)

    statements = _statements(org.rep_east)

    assert [s["verb"]["display"]["en-US"] for s in statements] == [
        "launched",
        "failed",
        "launched",
        "passed",
    ]
    assert statements[1]["object"]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/assessment"
    )
    assert statements[3]["result"] == {
        "score": {"scaled": 0.9, "raw": 9.0, "min": 0.0, "max": 10.0},
        "success": True,
        "completion": True,
        "duration": "PT600.00S",
    }
    assert statements[1]["result"]["success"] is False


def test_it_records_a_coach_review_under_the_rep_with_the_coach_as_actor(kit, org):
    review = kit.approve_review(org.rep_east, score="4.00")
    review_submitted.send(sender=Review, review=review)
    self_review = kit.approve_review(org.rep_east, self_review=True)
    review_submitted.send(sender=Review, review=self_review)

    (statement,) = _statements(org.rep_east)

    assert statement["verb"]["id"] == "http://id.tincanapi.com/verb/reviewed"
    assert statement["actor"]["name"] == "Carla Coach"
    assert statement["result"]["success"] is True
    assert statement["result"]["score"] == {"raw": 4.0, "min": 1.0, "max": 5.0}
    (learner,) = statement["context"]["extensions"].values()
    assert learner["mbox"] == f"mailto:{org.rep_east.email}"


def test_it_records_earned_for_a_certificate(kit, org):
    certificate, _ = certificate_issue(user=org.rep_east, program=kit.program, cycle=1)

    (statement,) = _statements(org.rep_east)

    assert statement["verb"]["id"] == "http://id.tincanapi.com/verb/earned"
    assert statement["object"]["definition"]["name"] == {
        "en-US": "Certified Discovery Seller"
    }
    assert certificate.verification_url in statement["context"]["extensions"].values()


def test_it_identifies_people_by_account_when_configured(settings, kit, org):
    settings.XAPI_ACTOR_IDENTIFIER = "account"
    settings.XAPI_ACCOUNT_HOME_PAGE = "https://sso.northwind.example"

    lesson_complete(user=org.rep_east, lesson=kit.lessons[0], how="read")

    (statement,) = _statements(org.rep_east)
    assert statement["actor"] == {
        "objectType": "Agent",
        "name": "Rae East",
        "account": {
            "homePage": "https://sso.northwind.example",
            "name": str(org.rep_east.pk),
        },
    }


def test_it_never_stores_one_event_twice(kit, org):
    attempt = kit.pass_quiz(org.rep_east)
    quiz_attempt_graded.send(sender=QuizAttempt, attempt=attempt)
    quiz_attempt_graded.send(sender=QuizAttempt, attempt=attempt)

    assert _verbs(org.rep_east) == [ADL + "launched", ADL + "passed"]


# Sending


def test_it_sends_each_statement_with_the_lrs_version_and_basic_auth(
    kit, org, lrs, django_capture_on_commit_callbacks
):
    receiver = lrs(200)
    LrsEndpoint.objects.create(
        name="Warehouse",
        url=receiver.url,
        username="onramp",
        password="s3cret",
        version=LrsEndpoint.Version.V2_0,
    )

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=org.rep_east, lesson=kit.lessons[0], how="read")

    (request,) = receiver.requests
    assert request["path"] == "/xAPI/statements"
    assert request["headers"]["x-experience-api-version"] == "2.0.0"
    assert (
        request["headers"]["authorization"]
        == "Basic " + base64.b64encode(b"onramp:s3cret").decode()
    )
    assert request["body"] == XapiStatement.objects.get().statement
    assert XapiDelivery.objects.get().delivered_at is not None


def test_it_keeps_statements_while_the_lrs_fails_and_sends_them_once_later(
    kit, org, lrs, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now(), tick=True)
    receiver = lrs(500)
    endpoint = LrsEndpoint.objects.create(name="LRS", url=receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=org.rep_east, lesson=kit.lessons[0], how="read")
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=org.rep_east, lesson=kit.lessons[1], how="read")
    delivery = XapiDelivery.objects.order_by("pk").first()

    # Each round stops at its first failure; both statements wait.
    assert len(receiver.requests) == 2
    assert delivery.attempts == 1
    assert delivery.last_error == "HTTP 500"
    assert XapiDelivery.objects.filter(delivered_at__isnull=True).count() == 2
    assert services.lrs_send_round(endpoint_id=endpoint.pk) == 0  # not due yet

    receiver.status = 200
    time_machine.shift(services.pause_after(1))
    assert services.lrs_rounds_start() == 1

    assert XapiDelivery.objects.filter(delivered_at__isnull=True).count() == 0
    sent_ids = [r["body"]["id"] for r in receiver.requests[-2:]]
    assert sorted(sent_ids) == sorted(
        str(s) for s in XapiStatement.objects.values_list("statement_id", flat=True)
    )
    time_machine.shift(services.LONGEST_PAUSE)
    assert services.lrs_rounds_start() == 0
    assert len(receiver.requests) == 4  # two refused, then each sent once


def test_it_backs_off_longer_after_each_failure_up_to_six_hours():
    pauses = [services.pause_after(n).total_seconds() for n in (1, 2, 3, 4, 30)]

    assert pauses == [30, 60, 120, 240, 6 * 3600]


def test_a_hanging_lrs_blocks_neither_the_event_nor_another_lrs(
    settings, kit, org, lrs, django_capture_on_commit_callbacks
):
    settings.XAPI_TIMEOUT_SECONDS = 1
    hanging = lrs(hang=True)
    working = lrs(200)
    LrsEndpoint.objects.create(name="Hangs", url=hanging.url)
    LrsEndpoint.objects.create(name="Works", url=working.url)

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=org.rep_east, lesson=kit.lessons[0], how="read")

    # Tasks run in the test process here: the hanging LRS is given up on at the
    # timeout (its delivery says so) and the other still gets the statement.
    assert len(working.requests) == 1
    waiting = XapiDelivery.objects.get(endpoint__name="Hangs")
    assert waiting.delivered_at is None
    assert "Timeout" in waiting.last_error or "timed out" in waiting.last_error


def test_it_refuses_an_lrs_on_a_private_address_unless_allowed(
    settings, kit, org, lrs, django_capture_on_commit_callbacks
):
    settings.XAPI_ALLOW_PRIVATE_NETWORKS = False
    receiver = lrs(200)
    LrsEndpoint.objects.create(name="Internal", url=receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=org.rep_east, lesson=kit.lessons[0], how="read")

    assert receiver.requests == []
    assert "loopback, private" in XapiDelivery.objects.get().last_error


def test_a_new_lrs_gets_every_statement_stored_before(
    client, kit, org, lrs, django_capture_on_commit_callbacks
):
    lesson_complete(user=org.rep_east, lesson=kit.lessons[0], how="read")
    lesson_complete(user=org.rep_west, lesson=kit.lessons[0], how="read")
    receiver = lrs(200)
    client.force_login(org.admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("xapi_lrs:add"),
            {
                "name": "Warehouse",
                "url": receiver.url,
                "username": "onramp",
                "password": "s3cret",
                "version": "1.0.3",
                "active": "on",
            },
        )

    assert response.status_code == 302
    assert len(receiver.requests) == 2
    endpoint = LrsEndpoint.objects.get()
    assert endpoint.password == "s3cret"
    page = client.get(reverse("xapi_lrs:index")).content.decode()
    assert "Warehouse" in page
    assert (
        "s3cret"
        not in client.get(reverse("xapi_lrs:edit", args=[endpoint.pk])).content.decode()
    )


def test_editing_an_lrs_without_a_password_keeps_the_stored_one(client, org):
    endpoint = LrsEndpoint.objects.create(
        name="LRS", url="https://lrs.example.com/xAPI/", password="kept"
    )
    client.force_login(org.admin)

    response = client.post(
        reverse("xapi_lrs:edit", args=[endpoint.pk]),
        {"name": "Renamed", "url": endpoint.url, "version": "1.0.3"},
    )

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.password, endpoint.active) == (
        "Renamed",
        "kept",
        False,
    )


def test_only_enablement_admins_manage_learning_record_stores(client, org):
    from django.contrib.auth.models import Permission

    endpoint = LrsEndpoint.objects.create(name="LRS", url="https://lrs.example.com/")
    urls = [
        reverse("xapi_lrs:index"),
        reverse("xapi_lrs:add"),
        reverse("xapi_lrs:edit", args=[endpoint.pk]),
        reverse("xapi_lrs:waiting", args=[endpoint.pk]),
    ]
    client.force_login(org.rep_east)
    for url in urls:
        response = client.get(url)  # no admin access at all: to sign in
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    # Someone let into the Wagtail admin for another reason is still refused
    # (Wagtail turns the refusal into a redirect to the dashboard).
    org.east_manager.user_permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    client.force_login(org.east_manager)
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    response = client.post(urls[1], {"name": "x", "url": "https://x.example/"})

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert LrsEndpoint.objects.count() == 1


def test_admins_find_learning_record_stores_in_the_settings_menu(client, org):
    client.force_login(org.admin)

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Learning Record Stores" in dashboard
    assert reverse("xapi_lrs:index") in dashboard


def test_the_waiting_list_shows_why_an_lrs_has_not_taken_a_statement(
    client, kit, org, lrs, django_capture_on_commit_callbacks
):
    receiver = lrs(503)
    endpoint = LrsEndpoint.objects.create(name="LRS", url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=org.rep_east, lesson=kit.lessons[0], how="read")
    client.force_login(org.admin)

    index = client.get(reverse("xapi_lrs:index")).content.decode()
    waiting = client.get(reverse("xapi_lrs:waiting", args=[endpoint.pk]))

    assert reverse("xapi_lrs:waiting", args=[endpoint.pk]) in index
    assert waiting.status_code == 200
    assert "HTTP 503" in waiting.content.decode()
    assert str(XapiStatement.objects.get().statement_id) in waiting.content.decode()
