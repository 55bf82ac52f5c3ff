"""A person's learning record, downloaded from their account page or read through the
API, as JSON and as xAPI statements."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from certificates import services as certificate_services
from certificates.services import certificate_issue
from coaching.models import Review
from coaching.signals import review_submitted
from courses.quizzes.models import QuizAttempt
from courses.quizzes.signals import quiz_attempt_graded
from integrations import scopes
from integrations.models import XapiStatement
from tests.certificates.program_kit import ProgramKit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_certificate_side_jobs(monkeypatch):
    monkeypatch.setattr(certificate_services, "_after_issue", lambda pk: None)


@pytest.fixture
def history(org, django_capture_on_commit_callbacks):
    """Rae East's history, some of it from before any statement was recorded."""
    kit = ProgramKit()
    with django_capture_on_commit_callbacks(execute=True):
        kit.complete_path(org.rep_east)
    attempt = kit.pass_quiz(org.rep_east, percent=90)
    quiz_attempt_graded.send(sender=QuizAttempt, attempt=attempt)
    review = kit.approve_review(org.rep_east, score="4.00")
    review_submitted.send(sender=Review, review=review)
    kit.approve_review(org.rep_east, self_review=True)  # not a coach's review
    certificate, _ = certificate_issue(user=org.rep_east, program=kit.program, cycle=1)
    kit.complete_path(org.rep_west)  # someone else's
    XapiStatement.objects.filter(verb="completed").delete()  # from before xAPI
    return kit, certificate


def test_the_account_page_offers_both_downloads(client, org):
    client.force_login(org.rep_east)

    page = client.get(reverse("profile")).content.decode()

    assert reverse("my_learning_record") in page
    assert reverse("my_learning_record_xapi") in page


def test_a_person_downloads_their_whole_record_as_json(client, org, history):
    kit, certificate = history
    client.force_login(org.rep_east)

    response = client.get(reverse("my_learning_record"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "onramp-learning-record.json" in response["Content-Disposition"]
    record = json.loads(response.content)
    assert record["person"]["email"] == org.rep_east.email
    assert [c["lesson"] for c in record["lesson_completions"]] == [
        "Why discovery",
        "Questions that open",
        "Discovery calls quiz",
    ]
    assert [c["course"] for c in record["course_completions"]] == ["Discovery calls"]
    (attempt,) = record["quiz_attempts"]
    assert (attempt["percent"], attempt["passed"]) == ("90.00", True)
    (review,) = record["coaching_reviews"]
    assert (review["coach"], review["score"]) == ("Carla Coach", "4.00")
    (held,) = record["certificates"]
    assert held["serial"] == certificate.serial
    assert held["open_badge_credential_url"].endswith(
        reverse("certificate_open_badge", args=[certificate.pk])
    )


def test_the_xapi_export_holds_every_event_once_even_from_before_xapi(
    client, org, history
):
    client.force_login(org.rep_east)

    response = client.get(reverse("my_learning_record_xapi"))

    assert response.status_code == 200
    statements = json.loads(response.content)["statements"]
    verbs = sorted(s["verb"]["display"]["en-US"] for s in statements)
    assert verbs == sorted(
        ["completed"] * 3 + ["launched", "passed", "reviewed", "earned"]
    )
    ids = [s["id"] for s in statements]
    assert len(ids) == len(set(ids))
    recorded = {
        str(i) for i in XapiStatement.objects.values_list("statement_id", flat=True)
    }
    assert recorded & set(ids) == {
        str(i)
        for i in XapiStatement.objects.filter(user=org.rep_east).values_list(
            "statement_id", flat=True
        )
    }
    assert [s["timestamp"] for s in statements] == sorted(
        s["timestamp"] for s in statements
    )


def test_the_downloads_need_a_signed_in_person(client):
    for name in ("my_learning_record", "my_learning_record_xapi"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


# The API


def test_the_api_gives_a_visible_persons_record(api_as, org, history):
    api = api_as(org.east_manager)

    record = api.get(reverse("api_person_learning_record", args=[org.rep_east.pk]))
    statements = api.get(
        reverse("api_person_learning_record_xapi", args=[org.rep_east.pk])
    )

    assert record.status_code == 200
    assert record.json()["person"]["id"] == org.rep_east.pk
    assert len(record.json()["lesson_completions"]) == 3
    assert statements.status_code == 200
    assert len(statements.json()["statements"]) == 7


def test_the_api_hides_people_the_token_holder_may_not_see(api_as, org, history):
    api = api_as(org.emea_manager)

    for name in ("api_person_learning_record", "api_person_learning_record_xapi"):
        response = api.get(reverse(name, args=[org.rep_east.pk]))
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_the_api_needs_the_learning_coaching_and_certificate_scopes(api_as, org):
    url = reverse("api_person_learning_record", args=[org.rep_east.pk])
    everything = [scopes.LEARNING_READ, scopes.COACHING_READ, scopes.CERTIFICATES_READ]

    for missing in everything:
        token_scopes = [s for s in everything if s != missing]
        response = api_as(org.east_manager, token_scopes).get(url)
        assert response.status_code == 403, missing
        assert missing in response.json()["detail"]
    assert api_as(org.east_manager, everything).get(url).status_code == 200
    assert api_as(None).get(url).status_code == 401
