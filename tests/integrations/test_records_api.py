from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent, CertificationProgram
from coaching.models import Comment, Review, Submission, Take
from dashboards.models import SalesOutcome
from integrations.models import WebhookDelivery
from integrations.webhooks.services import webhook_create
from tests.coaching.conftest import make_rubric

OUTCOMES = "/api/v1/outcomes/"


def _row(email, month="2026-03", **fields):  # type: ignore[no-untyped-def]
    return {
        "email": email,
        "month": month,
        "opportunities": 12,
        "deals_won": 3,
        "revenue": 18500.5,
        "quota": "20000",
        **fields,
    }


def test_outcomes_are_upserted_with_the_csv_rules(org, api_as):
    api = api_as(org.east_manager, ["outcomes:write"])
    rows = [
        _row(org.rep_east.email),
        _row(org.rep_east2.email, first_deal_date="2026-03-09"),
    ]
    response = api.post(OUTCOMES, {"rows": rows})
    assert response.status_code == 200, response.content
    assert response.json() == {"imported": 2, "created": 2, "updated": 0}
    again = api.post(OUTCOMES, {"rows": [_row(org.rep_east.email, deals_won=5)]})
    assert again.json() == {"imported": 1, "created": 0, "updated": 1}
    outcome = SalesOutcome.objects.get(user=org.rep_east)
    assert outcome.deals_won == 5 and outcome.revenue == Decimal("18500.50")
    assert (
        outcome.month == dt.date(2026, 3, 1) and outcome.imported_by == org.east_manager
    )


@pytest.mark.parametrize(
    ("rows", "row", "words"),
    [
        ([_row("REP"), _row("REP", deals_won=20)], 1, "deals_won cannot be more"),
        ([_row("REP"), _row("NORTH")], 1, "is in your teams"),
        ([_row("REP"), _row("REP")], 1, "already on line"),
        ([_row("REP", month="2026-13")], 0, "YYYY-MM"),
    ],
)
def test_bad_rows_import_nothing_and_are_named(org, api_as, rows, row, words):
    names = {"REP": org.rep_east.email, "NORTH": org.rep_north.email}
    rows = [{**r, "email": names[r["email"]]} for r in rows]
    response = api_as(org.east_manager, ["outcomes:write"]).post(
        OUTCOMES, {"rows": rows}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["row"] == row and words in e["message"] for e in errors), errors
    assert not SalesOutcome.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"rows": []},
        {"rows": [{"email": "x@y.z"}]},
        {"rows": [], "extra": 1},
        {"rows": "no"},
    ],
)
def test_malformed_outcome_bodies_are_problems(org, api_as, body):
    response = api_as(org.admin, ["outcomes:write"]).post(OUTCOMES, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_outcomes_import_is_announced(
    org, api_as, receiver, django_capture_on_commit_callbacks
):
    webhook_create(owner=org.admin, url=receiver.url, events=["outcomes.imported"])
    webhook_create(
        owner=org.emea_manager, url=receiver.url, events=["outcomes.imported"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        api_as(org.east_manager, ["outcomes:write"]).post(
            OUTCOMES, {"rows": [_row(org.rep_east.email)]}
        )
    assert receiver.events() == ["outcomes.imported"]  # not to EMEA's manager
    assert WebhookDelivery.objects.get().payload["data"]["people"] == [org.rep_east.pk]


@pytest.fixture
def review(org):  # type: ignore[no-untyped-def]
    rubric = make_rubric()
    submission = Submission.objects.create(
        kind="call",
        rep=org.rep_east,
        title="Pricing call",
        rubric=rubric,
        state="reviewed",
    )
    take = Take.objects.create(submission=submission, number=1)
    review = Review.objects.create(
        take=take,
        reviewer=org.east_coach,
        state=Review.State.SUBMITTED,
        outcome="approved",
        score=Decimal("3.50"),
        passed=True,
        submitted_at=timezone.now(),
    )
    for criterion in rubric.criteria.all():
        review.scores.create(criterion=criterion, level=4)
    Comment.objects.create(
        take=take, review=review, author=org.east_coach, text="Good", start_seconds=1
    )
    Review.objects.create(
        take=take,
        reviewer=org.rep_east,
        is_self_review=True,
        state=Review.State.SUBMITTED,
        submitted_at=timezone.now(),
    )
    return review


@pytest.mark.parametrize(
    ("who", "count"),
    [("admin", 1), ("east_manager", 1), ("region_manager", 1), ("emea_manager", 0)],
)
def test_reviews_list_submitted_coach_reviews_the_token_may_see(
    org, review, api_as, who, count
):
    body = api_as(org[who], ["coaching:read"]).get("/api/v1/reviews/").json()
    assert len(body["results"]) == count
    if count:
        found = body["results"][0]
        assert found["score"] == 3.5 and found["comment_count"] == 1
        assert found["person"] == org.rep_east.pk and len(found["scores"]) >= 1


@pytest.mark.parametrize(
    ("who", "count"), [("admin", 1), ("east_manager", 1), ("emea_manager", 0)]
)
def test_certificates_carry_the_verification_url(org, api_as, who, count):
    program = CertificationProgram.objects.create(title="Certified Discovery Seller")
    certificate = Certificate.objects.create(
        program=program,
        user=org.rep_east,
        serial="CERT-2026-000001",
        verification_code="abc123verify",
        holder_name="Rae East",
        program_title=program.title,
    )
    CertificateEvent.objects.create(certificate=certificate, action="issued")
    body = api_as(org[who], ["certificates:read"]).get("/api/v1/certificates/").json()
    assert len(body["results"]) == count
    if count:
        assert body["results"][0]["verification_url"].endswith("/verify/abc123verify/")
        assert body["results"][0]["status"] == "active"


def test_each_resource_needs_its_scope(org, api_as):
    api = api_as(org.admin, ["people:read"])
    for url in (
        "/api/v1/reviews/",
        "/api/v1/certificates/",
        "/api/v1/assignments/",
        "/api/v1/webhooks/",
    ):
        assert api.get(url).status_code == 403, url
    assert api.post(OUTCOMES, {"rows": []}).status_code == 403


def test_rate_limits_answer_429_with_retry_after(org, api_as, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    api = api_as(org.admin, ["people:read"])
    assert [api.get("/api/v1/teams/").status_code for _ in range(3)] == [200] * 3
    limited = api.get("/api/v1/teams/")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert limited["Content-Type"] == "application/problem+json"
    other = api_as(org.east_manager, ["people:read"])
    assert other.get("/api/v1/teams/").status_code == 200  # per token
