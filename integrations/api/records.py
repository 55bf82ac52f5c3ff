"""Coaching reviews, certificates and the sales outcomes import."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Prefetch, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from certificates.models import Certificate
from coaching.models import CriterionScore, Review
from dashboards.importing import outcomes_import
from integrations import scopes
from integrations.api.common import (
    PERSON,
    TEAM,
    UPDATED_SINCE,
    ApiView,
    StrictSerializer,
)
from integrations.api.idempotency import IDEMPOTENCY_KEY, idempotent
from integrations.api.learning import DECIMAL, PersonScoped
from integrations.api.problems import problem
from integrations.models import version_of


class CriterionScoreSerializer(serializers.Serializer):
    criterion = serializers.CharField(source="criterion.name")
    weight = serializers.IntegerField(source="criterion.weight")
    level = serializers.IntegerField()


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="take.submission.rep_id")
    reviewer = serializers.IntegerField(source="reviewer_id")
    submission = serializers.IntegerField(source="take.submission_id")
    submission_title = serializers.CharField(source="take.submission.title")
    kind = serializers.CharField(source="take.submission.kind")
    take = serializers.IntegerField(source="take.number")
    rubric = serializers.CharField(source="take.submission.rubric.name")
    outcome = serializers.CharField()
    score = serializers.DecimalField(**DECIMAL, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    submitted_at = serializers.DateTimeField()
    comment_count = serializers.IntegerField()
    scores = CriterionScoreSerializer(many=True, source="ordered_scores")


@extend_schema(parameters=[PERSON, TEAM, UPDATED_SINCE])
class ReviewList(PersonScoped):
    """Submitted coaching reviews (not self-reviews), with rubric scores and the
    number of comments."""

    scopes = {"GET": scopes.COACHING_READ}
    serializer_class = ReviewSerializer
    person_field = "take__submission__rep"
    updated_field = "submitted_at"

    def records(self) -> QuerySet[Review]:
        return (
            Review.objects.filter(state=Review.State.SUBMITTED, is_self_review=False)
            .select_related("take__submission__rubric")
            .annotate(comment_count=Count("comments"))
            .prefetch_related(
                Prefetch(
                    "scores",
                    queryset=CriterionScore.objects.select_related(
                        "criterion"
                    ).order_by("criterion__sort_order", "pk"),
                    to_attr="ordered_scores",
                )
            )
        )


class CertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="user_id")
    program = serializers.IntegerField(source="program_id")
    program_title = serializers.CharField()
    holder_name = serializers.CharField()
    serial = serializers.CharField()
    cycle = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Certificate.Status.choices)
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    verification_url = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()
    version = serializers.SerializerMethodField()

    def get_verification_url(self, certificate: Certificate) -> str:
        return settings.SITE_URL + reverse(
            "certificate_verify", args=[certificate.verification_code]
        )

    @extend_schema_field(serializers.IntegerField())
    def get_version(self, certificate: Certificate) -> int:
        return version_of(getattr(certificate, "updated_at"))  # noqa: B009


def certificates_annotated(
    certificates: QuerySet[Certificate],
) -> QuerySet[Certificate]:
    """With `updated_at`: issued, or revoked if later (expiry is a status change
    that the expiry job records as an event)."""
    return certificates.annotate(
        updated_at=Greatest(F("issued_at"), Coalesce("revoked_at", "issued_at"))
    )


@extend_schema(parameters=[PERSON, TEAM, UPDATED_SINCE])
class CertificateList(PersonScoped):
    """Certificates of every cycle, with status and the public verification URL."""

    scopes = {"GET": scopes.CERTIFICATES_READ}
    serializer_class = CertificateSerializer
    updated_field = "updated_at"

    def records(self) -> QuerySet[Certificate]:
        return certificates_annotated(Certificate.objects.all())


class OutcomeRowSerializer(StrictSerializer):
    email = serializers.EmailField()
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="YYYY-MM", max_length=7)
    opportunities = serializers.IntegerField(min_value=0, max_value=10**9)
    deals_won = serializers.IntegerField(min_value=0, max_value=10**9)
    revenue = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, coerce_to_string=False
    )
    quota = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, coerce_to_string=False
    )
    first_deal_date = serializers.DateField(required=False, allow_null=True)


class OutcomesSerializer(StrictSerializer):
    rows = OutcomeRowSerializer(many=True, allow_empty=False, max_length=10_000)


class OutcomesResultSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


def _as_csv(rows: list[dict[str, Any]]) -> bytes:
    """The rows as the CSV file the UI's import takes, so that both are checked by
    the same rules."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "email",
            "month",
            "opportunities",
            "deals_won",
            "revenue",
            "quota",
            "first_deal_date",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row["email"],
                row["month"],
                row["opportunities"],
                row["deals_won"],
                f"{row['revenue']:f}",
                f"{row['quota']:f}",
                row["first_deal_date"].isoformat()
                if row.get("first_deal_date")
                else "",
            ]
        )
    return out.getvalue().encode()


@extend_schema(
    parameters=[IDEMPOTENCY_KEY],
    request=OutcomesSerializer,
    responses={200: OutcomesResultSerializer},
    description="Monthly sales outcomes, upserted by e-mail and month with the rules "
    "of the CSV import: all rows or none; a month already imported for a person is "
    "replaced. Errors name the row (0-based).",
)
class OutcomesUpsert(ApiView):
    scopes = {"POST": scopes.OUTCOMES_WRITE}
    serializer_class = OutcomesSerializer

    def post(self, request: Request) -> Response:
        return idempotent(request, lambda: self._upsert(request))

    def _upsert(self, request: Request) -> Response:
        data = OutcomesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = data.validated_data["rows"]
        plan = outcomes_import(importer=self.viewer, data=_as_csv(rows))
        if not plan.ok:
            return problem(
                422,
                "Nothing was imported: fix these rows.",
                errors=[
                    {"row": max(line - 2, 0), "message": message}
                    for line, message in plan.parsed.errors
                ],
            )
        return Response(
            {
                "imported": len(plan.parsed.rows),
                "created": plan.new_count,
                "updated": plan.update_count,
            }
        )
