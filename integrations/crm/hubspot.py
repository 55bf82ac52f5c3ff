"""HubSpot through the maintained client (`hubspot-api-client`), no ORM inside.

The host comes from CRM_HUBSPOT_API_URL (tests point it at the local fake in
tests/integrations/crm/hubspot_fake.py). The access token is only ever handed to
the client: errors are reported with HubSpot's own message, never with the token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from hubspot import HubSpot
from hubspot.crm.owners.exceptions import ApiException

REQUEST_TIMEOUT_SECONDS = 20


class CrmError(Exception):
    """The CRM refused or could not be reached; the message is shown as is."""


@dataclass(frozen=True)
class HubSpotAccount:
    portal_id: int
    ui_domain: str
    currency: str
    time_zone: str

    @property
    def name(self) -> str:
        return f"HubSpot account {self.portal_id} ({self.ui_domain})"


def hubspot_client(*, access_token: str) -> HubSpot:
    return HubSpot(access_token=access_token, host=settings.CRM_HUBSPOT_API_URL)


def error_message(error: ApiException) -> str:
    """HubSpot's error body (`{"status": "error", "message", "category", …}`) in
    one line: the answer code, the category and HubSpot's message."""
    category = message = ""
    try:
        body = json.loads(error.body or "")
    except ValueError:
        body = None
    if isinstance(body, dict):
        category = str(body.get("category") or "")
        message = str(body.get("message") or "")
    parts = [f"HubSpot answered {error.status}"]
    if category:
        parts.append(category)
    return ": ".join(parts) + (f": {message}" if message else f" {error.reason}")


def hubspot_account(*, access_token: str) -> HubSpotAccount:
    """The account the token belongs to (GET /account-info/v3/details)."""
    api = hubspot_client(access_token=access_token).crm.owners.owners_api
    try:
        data: Any = api.api_client.call_api(
            "/account-info/v3/details",
            "GET",
            header_params={"Accept": "application/json"},
            response_types_map={200: "object"},
            auth_settings=["oauth2"],
            _return_http_data_only=True,
            _request_timeout=REQUEST_TIMEOUT_SECONDS,
        )
    except ApiException as error:
        raise CrmError(error_message(error)) from None
    except Exception as error:  # the transport: DNS, refused, timeout, TLS
        raise CrmError(
            f"HubSpot could not be reached: {type(error).__name__}"
        ) from None
    try:
        return HubSpotAccount(
            portal_id=int(data["portalId"]),
            ui_domain=str(data["uiDomain"]),
            currency=str(data.get("companyCurrency") or ""),
            time_zone=str(data.get("timeZone") or ""),
        )
    except (KeyError, TypeError, ValueError):
        raise CrmError(
            "HubSpot answered, but not with account details (no portalId)."
        ) from None
