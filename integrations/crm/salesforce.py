"""Salesforce through the maintained client (`simple-salesforce`), no ORM inside.

The OAuth 2.0 web-server flow with PKCE (authorize URL, code exchange, refresh) is
the one part simple-salesforce does not do; it is two form POSTs to the token
endpoint of CRM_SALESFORCE_LOGIN_URL (tests point it at the local fake in
tests/integrations/crm/salesforce_fake.py). Everything else, queries and
queryMore, goes through the client.

Secrets (client secret, refresh and access tokens) are only ever sent to
Salesforce: errors carry Salesforce's `error`/`errorCode` and message, never a
credential.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import (
    SalesforceError,
    SalesforceExpiredSession,
    SalesforceRefusedRequest,
)

from integrations.crm.errors import (
    CrmError,
    GarbageAnswer,
    ObjectUnavailable,
    ReauthorisationNeeded,
)

REQUEST_TIMEOUT_SECONDS = 30
LIMIT_ATTEMPTS = 6
Sleep = Callable[[float], None]


def pkce_pair() -> tuple[str, str]:
    """A code verifier (RFC 7636: 43–128 characters) and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        .rstrip(b"=")
        .decode()
    )
    return verifier, challenge


def authorize_url(
    *, client_id: str, redirect_uri: str, state: str, code_challenge: str
) -> str:
    """Where the admin's browser goes to let Onramp read the org."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": "api refresh_token",
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
    )
    return f"{settings.CRM_SALESFORCE_LOGIN_URL}/services/oauth2/authorize?{query}"


@dataclass(frozen=True)
class Grant:
    access_token: str
    instance_url: str
    refresh_token: str | None


def _token_request(form: dict[str, str]) -> Grant:
    try:
        response = requests.post(
            f"{settings.CRM_SALESFORCE_LOGIN_URL}/services/oauth2/token",
            data=form,
            headers={"Accept": "application/json"},
            timeout=REQUEST_TIMEOUT_SECONDS,
        )
    except requests.RequestException as error:
        raise CrmError(
            f"Salesforce could not be reached: {type(error).__name__}"
        ) from None
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise GarbageAnswer(
            f"Salesforce's token endpoint answered {response.status_code} without JSON."
        )
    if response.status_code != 200:
        code = str(body.get("error") or "")
        description = str(body.get("error_description") or "")
        message = f"Salesforce answered {response.status_code}: {code}" + (
            f": {description}" if description else ""
        )
        if code == "invalid_grant":
            raise ReauthorisationNeeded(message)
        raise CrmError(message)
    try:
        instance_url = str(body["instance_url"])
        access_token = str(body["access_token"])
    except KeyError:
        raise GarbageAnswer(
            "Salesforce's token answer has no access token or instance URL."
        ) from None
    if urlsplit(instance_url).scheme != "https":
        raise GarbageAnswer("Salesforce's instance URL is not https.")
    refresh = body.get("refresh_token")
    return Grant(
        access_token, instance_url.rstrip("/"), str(refresh) if refresh else None
    )


def token_exchange(
    *, client_id: str, client_secret: str, code: str, verifier: str, redirect_uri: str
) -> Grant:
    """The authorization code and the PKCE verifier for tokens."""
    return _token_request(
        {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
    )


def token_refresh(*, client_id: str, client_secret: str, refresh_token: str) -> Grant:
    """A new access token; `ReauthorisationNeeded` when the refresh token is
    expired or revoked (`invalid_grant`)."""
    return _token_request(
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": client_id,
            "client_secret": client_secret,
        }
    )


def _error_message(error: SalesforceError) -> str:
    content = error.content
    parts = [f"Salesforce answered {error.status}"]
    if isinstance(content, list) and content and isinstance(content[0], dict):
        code = str(content[0].get("errorCode") or "")
        message = str(content[0].get("message") or "")
        if code:
            parts.append(code)
        if message:
            parts.append(message)
    return ": ".join(parts)


def _error_code(error: SalesforceError) -> str:
    content = error.content
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return str(content[0].get("errorCode") or "")
    return ""


def _limit_exceeded(error: SalesforceError) -> bool:
    return _error_code(error) == "REQUEST_LIMIT_EXCEEDED"


def _query_more(client: Salesforce, *, url: str) -> Any:
    return client.query_more(url, identifier_is_url=True)


class SalesforceOrg:
    """A session on one org: an access token got from the refresh token when first
    needed and again when Salesforce says the session expired (401
    INVALID_SESSION_ID). `on_refresh_token` is told of a rotated refresh token."""

    def __init__(
        self,
        credentials: dict[str, Any],
        *,
        sleep: Sleep = time.sleep,
        on_refresh_token: Callable[[str], None] | None = None,
    ) -> None:
        self.credentials = credentials
        self.sleep = sleep
        self.on_refresh_token = on_refresh_token
        self._client: Salesforce | None = None
        self.api_usage: tuple[int, int] | None = None

    def _connect(self) -> Salesforce:
        grant = token_refresh(
            client_id=self.credentials["client_id"],
            client_secret=self.credentials["client_secret"],
            refresh_token=self.credentials["refresh_token"],
        )
        if grant.refresh_token and grant.refresh_token != self.credentials.get(
            "refresh_token"
        ):
            self.credentials["refresh_token"] = grant.refresh_token
            if self.on_refresh_token is not None:
                self.on_refresh_token(grant.refresh_token)
        self._client = Salesforce(
            instance_url=grant.instance_url,
            session_id=grant.access_token,
            version=self.credentials["api_version"],
        )
        return self._client

    def _call(self, call: Callable[[Salesforce], Any]) -> Any:
        """One request: a refresh after an expired session (once), backoff on
        REQUEST_LIMIT_EXCEEDED, and the usage read from Sforce-Limit-Info."""
        refreshed = False
        for attempt in range(LIMIT_ATTEMPTS):
            client = self._client or self._connect()
            try:
                answer = call(client)
            except SalesforceExpiredSession as error:
                if refreshed:
                    raise ReauthorisationNeeded(_error_message(error)) from None
                refreshed = True
                self._client = None
                continue
            except SalesforceRefusedRequest as error:
                if _limit_exceeded(error) and attempt + 1 < LIMIT_ATTEMPTS:
                    self.sleep(float(min(2**attempt, 60)))
                    continue
                raise CrmError(_error_message(error)) from None
            except SalesforceError as error:
                if _error_code(error) == "INVALID_TYPE":
                    raise ObjectUnavailable(_error_message(error)) from None
                raise CrmError(_error_message(error)) from None
            except ValueError:
                raise GarbageAnswer(
                    "Salesforce answered with something that is not JSON; the sync "
                    "stopped and nothing stored was changed by this page."
                ) from None
            except requests.RequestException as error:
                raise CrmError(
                    f"Salesforce could not be reached: {type(error).__name__}"
                ) from None
            usage = client.api_usage.get("api-usage")
            if usage is not None:
                self.api_usage = (usage.used, usage.total)
            self._check_usage()
            return answer
        raise AssertionError("unreachable")  # pragma: no cover

    def _check_usage(self) -> None:
        if self.api_usage is None:
            return
        used, total = self.api_usage
        if total and used >= total * settings.CRM_SALESFORCE_API_SHARE:
            raise CrmError(
                f"Salesforce API usage is {used}/{total} (Sforce-Limit-Info): the "
                "sync stopped to leave the rest of the org's daily allowance to its "
                "other integrations; it goes on from here at the next sync."
            )

    def pages(self, soql: str, *, include_deleted: bool = False) -> Iterator[list[Any]]:
        """The records of `soql` one batch at a time (query, then queryMore by
        `nextRecordsUrl`), never all at once."""
        body = self._call(lambda c: c.query(soql, include_deleted=include_deleted))
        while True:
            if not isinstance(body, dict) or not isinstance(body.get("records"), list):
                raise GarbageAnswer(
                    "Salesforce answered without a list of records; the sync "
                    "stopped and nothing stored was changed by this page."
                )
            yield body["records"]
            following = body.get("nextRecordsUrl")
            if body.get("done", True) or not following:
                return
            body = self._call(functools.partial(_query_more, url=str(following)))

    def organisation(self) -> dict[str, Any]:
        """Id and Name of the org (SELECT … FROM Organization)."""
        for page in self.pages("SELECT Id, Name FROM Organization"):
            for record in page:
                if isinstance(record, dict) and record.get("Name"):
                    return record
        raise GarbageAnswer("Salesforce answered, but not with the organisation.")
