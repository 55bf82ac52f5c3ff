"""Bearer tokens and scopes for the REST API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from integrations.models import ApiToken
from integrations.tokens import api_token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer onr_…`. The token itself is never logged."""

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        token = api_token_authenticate(raw.strip())
        if token is None:
            raise exceptions.AuthenticationFailed(
                "The token is unknown, revoked or expired, or its person is no "
                "longer active."
            )
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}


class HasScope(permissions.BasePermission):
    """The view's `scopes` maps an HTTP method (or "*") to the scope it needs."""

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        scopes: dict[str, str] = getattr(view, "scopes", {})
        needed = scopes.get(request.method or "", scopes.get("*"))
        if needed is None:
            return False
        if needed not in token.scopes:
            self.message = f"This token lacks the scope {needed}."
            return False
        return True


def token_of(request: Request) -> ApiToken:
    assert isinstance(request.auth, ApiToken)
    return request.auth
