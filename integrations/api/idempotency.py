"""`Idempotency-Key` for writes: the same key with the same request gets the first
answer again (with `Idempotent-Replayed: true`) and writes nothing more; the same key
with another request is refused."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from integrations.api.auth import token_of
from integrations.api.problems import problem
from integrations.models import IdempotentRequest

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="Any unique string (e.g. a UUID) up to 255 characters: a retry with "
    "the same key and body gets the first answer and changes nothing.",
)


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(
        f"{request.method} {request.path}\n{body}".encode()
    ).hexdigest()


def idempotent(request: Request, write: Callable[[], Response]) -> Response:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return write()
    if not key.strip() or len(key) > 255 or not key.isprintable():
        raise ValidationError(
            {"Idempotency-Key": ["Give 1 to 255 printable characters."]}
        )
    token = token_of(request)
    fingerprint = _fingerprint(request)
    earlier = IdempotentRequest.objects.filter(token=token, key=key).first()
    if earlier is None:
        try:
            with transaction.atomic():
                response = write()
                if response.status_code < 300:
                    IdempotentRequest.objects.create(
                        token=token,
                        key=key,
                        request_hash=fingerprint,
                        status_code=response.status_code,
                        response=response.data,
                    )
            return response
        except IntegrityError:  # the same key, a moment ago, in another request
            earlier = IdempotentRequest.objects.filter(token=token, key=key).first()
            if earlier is None:
                raise
    if earlier.request_hash != fingerprint:
        return problem(
            422, "This Idempotency-Key was already used for a different request."
        )
    return Response(
        earlier.response,
        status=earlier.status_code,
        headers={"Idempotent-Replayed": "true"},
    )
