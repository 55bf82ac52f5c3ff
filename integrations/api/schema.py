"""The OpenAPI schema: every operation documents the problem details it can answer
with, so that generated clients and schemathesis know every response."""

from __future__ import annotations

from typing import Any

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "row": {"type": "integer"},
                    "message": {"type": "string"},
                },
                "required": ["message"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

_ALWAYS = {
    "400": "Bad input (unknown fields or parameters, wrong values).",
    "401": "No token, or a token that is unknown, revoked or expired.",
    "403": "The token lacks the scope this operation needs.",
    "405": "Method not allowed.",
    "406": "Only JSON is served.",
    "429": "Too many requests for this token: see Retry-After.",
}
_WITH_ID = {"404": "Nothing with this id that the token may see."}
_WRITES = {"415": "Only JSON bodies are accepted."}


def only_api_v1(endpoints: list[Any]) -> list[Any]:
    """drf-spectacular preprocessing hook: the schema is the API's, not Wagtail's."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def add_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
        PROBLEM_SCHEMA
    )
    reference = {"$ref": "#/components/schemas/Problem"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            wanted = dict(_ALWAYS)
            if "{" in path:
                wanted.update(_WITH_ID)
            if method in ("post", "put", "patch"):
                wanted.update(_WRITES)
                wanted["422"] = "The request is well-formed but cannot be done."
            if "schema" in path:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in wanted.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/problem+json": {"schema": reference}},
                    },
                )
    return result
