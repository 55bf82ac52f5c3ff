from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from integrations.scopes import SCOPES
from integrations.tokens import api_token_create


class Api:
    """A test client that speaks to the API with a bearer token."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params, headers=self.headers)

    def post(self, url: str, data: Any = None, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return self.client.post(
            url,
            data if data is not None else {},
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def patch(self, url: str, data: Any):  # type: ignore[no-untyped-def]
        return self.client.patch(
            url, data, content_type="application/json", headers=self.headers
        )

    def delete(self, url: str):  # type: ignore[no-untyped-def]
        return self.client.delete(url, headers=self.headers)


def make_token(user: Any, scopes: list[str] | None = None, **kwargs: Any) -> str:
    service = kwargs.pop("service", user.is_enablement_admin)
    return api_token_create(
        user=user,
        name="test",
        scopes=scopes or [s for s in SCOPES if service or s != "scim"],
        service=service,
        **kwargs,
    ).secret


@pytest.fixture
def api_as():  # type: ignore[no-untyped-def]
    """api_as(user, scopes=None) -> Api; api_as(None) is anonymous."""

    def make(user: Any, scopes: list[str] | None = None) -> Api:
        return Api(make_token(user, scopes) if user is not None else None)

    return make
