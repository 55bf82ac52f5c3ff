"""A person's whole learning record, for data portability: as JSON and as xAPI
statements (integrations/learning_record.py). The token needs the learning, coaching
and certificate read scopes, and the person must be one its holder may see."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from integrations import scopes
from integrations.api.auth import token_of
from integrations.api.common import ApiView
from integrations.learning_record import learning_record, learning_record_statements
from lms.accounts.models import User

ALSO_NEEDED = (scopes.COACHING_READ, scopes.CERTIFICATES_READ)


class _PersonRecord(ApiView):
    scopes = {"GET": scopes.LEARNING_READ}

    def person(self, request: Request, pk: int) -> User:
        token = token_of(request)
        missing = [scope for scope in ALSO_NEEDED if scope not in token.scopes]
        if missing:
            raise exceptions.PermissionDenied(
                f"This token lacks the scope {missing[0]}."
            )
        person = self.visible_people().filter(pk=pk).first()
        if person is None:
            raise exceptions.NotFound("No such person.")
        return person


class PersonLearningRecord(_PersonRecord):
    @extend_schema(
        summary="A person's whole learning record",
        description="Lesson and course completions, quiz attempts, coaching reviews "
        "of their work and certificates, oldest first. Needs learning:read, "
        "coaching:read and certificates:read.",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, pk: int, *args: Any, **kwargs: Any) -> Response:
        return Response(learning_record(user=self.person(request, pk)))


class PersonLearningRecordStatements(_PersonRecord):
    @extend_schema(
        summary="A person's learning record as xAPI statements",
        description="The same record as xAPI statements in time order, shaped as an "
        "xAPI StatementResult. Needs learning:read, coaching:read and "
        "certificates:read.",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, pk: int, *args: Any, **kwargs: Any) -> Response:
        person = self.person(request, pk)
        return Response({"statements": learning_record_statements(user=person)})
