"""HubSpot through the maintained client (`hubspot-api-client`), no ORM inside.

The host comes from CRM_HUBSPOT_API_URL (tests point it at the local fake in
tests/integrations/crm/hubspot_fake.py). The access token is only ever handed to
the client: errors are reported with HubSpot's own message, never with the token.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from hubspot import HubSpot
from hubspot.crm.associations.v4.exceptions import (
    ApiException as AssociationsApiException,
)
from hubspot.crm.associations.v4.models import (
    BatchInputPublicFetchAssociationsBatchRequest,
    PublicFetchAssociationsBatchRequest,
)
from hubspot.crm.companies.exceptions import ApiException as CompaniesApiException
from hubspot.crm.companies.models import (
    BatchReadInputSimplePublicObjectId,
    SimplePublicObjectId,
)
from hubspot.crm.objects.exceptions import ApiException as ObjectsApiException
from hubspot.crm.objects.models import PublicObjectSearchRequest
from hubspot.crm.owners.exceptions import ApiException

from integrations.crm.errors import (
    AccessRefused,
    CrmError,
    GarbageAnswer,
    ReauthorisationNeeded,
)

REQUEST_TIMEOUT_SECONDS = 20
PAGE_SIZE = 100  # the documented largest page of the search and list endpoints
# The search endpoints return at most 10,000 results for one query (documented):
# past that, the query starts again from the last modification stamp read.
SEARCH_RESULT_LIMIT = 10_000
RATE_LIMIT_ATTEMPTS = 8
API_EXCEPTIONS = (
    ApiException,
    ObjectsApiException,
    AssociationsApiException,
    CompaniesApiException,
)
# "Deal to primary company" (HUBSPOT_DEFINED): the company a deal is for.
PRIMARY_COMPANY_TYPE_ID = 5
Sleep = Callable[[float], None]


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


def error_message(error: Any) -> str:
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


def hubspot_account(*, access_token: str, sleep: Sleep = time.sleep) -> HubSpotAccount:
    """The account the token belongs to (GET /account-info/v3/details)."""
    api = hubspot_client(access_token=access_token).crm.owners.owners_api
    response = _answer(
        api.api_client.call_api,
        sleep,
        resource_path="/account-info/v3/details",
        method="GET",
        header_params={"Accept": "application/json"},
        response_types_map={200: "object"},
        auth_settings=["oauth2"],
        _return_http_data_only=True,
    )
    try:
        data = json.loads(response.data)
        return HubSpotAccount(
            portal_id=int(data["portalId"]),
            ui_domain=str(data["uiDomain"]),
            currency=str(data.get("companyCurrency") or ""),
            time_zone=str(data.get("timeZone") or ""),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise CrmError(
            "HubSpot answered, but not with account details (no portalId)."
        ) from None


def retry_delay(headers: Any, attempt: int) -> float:
    """How long to wait after a 429: `Retry-After` when given (seconds), else
    exponential from half a second, never more than HubSpot's ten-second window
    (`X-HubSpot-RateLimit-Interval-Milliseconds`)."""
    headers = headers or {}
    retry_after = headers.get("Retry-After")
    if retry_after is not None:
        try:
            return min(max(float(retry_after), 0.0), 60.0)
        except ValueError:
            pass
    window = 10.0
    interval = headers.get("X-HubSpot-RateLimit-Interval-Milliseconds")
    if interval is not None:
        try:
            window = int(interval) / 1000
        except ValueError:
            pass
    return float(min(0.5 * 2**attempt, window))


def _answer(call: Callable[..., Any], sleep: Sleep, **kwargs: Any) -> Any:
    """The raw answer of `call` through the client, waiting out 429s."""
    for attempt in range(RATE_LIMIT_ATTEMPTS):
        try:
            return call(
                _preload_content=False,
                _request_timeout=REQUEST_TIMEOUT_SECONDS,
                **kwargs,
            )
        except API_EXCEPTIONS as error:
            if error.status == 429 and attempt + 1 < RATE_LIMIT_ATTEMPTS:
                sleep(retry_delay(error.headers, attempt))
                continue
            if error.status == 401:
                raise ReauthorisationNeeded(error_message(error)) from None
            if error.status == 403:
                raise AccessRefused(error_message(error)) from None
            raise CrmError(error_message(error)) from None
        except Exception as error:  # the transport: DNS, refused, timeout, TLS
            raise CrmError(
                f"HubSpot could not be reached: {type(error).__name__}"
            ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _page(call: Callable[..., Any], sleep: Sleep, **kwargs: Any) -> dict[str, Any]:
    """One page from `call`, waiting out 429s; the body checked to be a page."""
    response = _answer(call, sleep, **kwargs)
    try:
        body = json.loads(response.data)
    except ValueError:
        raise GarbageAnswer(
            "HubSpot answered with something that is not JSON; the sync "
            "stopped and nothing stored was changed by this page."
        ) from None
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        raise GarbageAnswer(
            "HubSpot answered without a list of results; the sync stopped and "
            "nothing stored was changed by this page."
        )
    return body


def _next_after(body: dict[str, Any]) -> str | None:
    paging = body.get("paging")
    if not isinstance(paging, dict):
        return None
    following = paging.get("next")
    if not isinstance(following, dict) or not following.get("after"):
        return None
    return str(following["after"])


def modified_pages(
    client: HubSpot,
    *,
    object_type: str,
    properties: list[str],
    modified_since_ms: int,
    sleep: Sleep = time.sleep,
) -> Iterator[list[Any]]:
    """Pages of `object_type` modified at or after the stamp, oldest first
    (POST /crm/v3/objects/{type}/search on `hs_lastmodifieddate`)."""
    search = client.crm.objects.search_api.do_search
    since = modified_since_ms
    after: str | None = None
    read = 0  # results read by the current query; `after` itself is opaque
    while True:
        request = PublicObjectSearchRequest(
            filter_groups=[
                {
                    "filters": [
                        {
                            "propertyName": "hs_lastmodifieddate",
                            "operator": "GTE",
                            "value": str(since),
                        }
                    ]
                }
            ],
            sorts=["hs_lastmodifieddate"],
            properties=properties,
            limit=PAGE_SIZE,
            after=after,
        )
        body = _page(
            search, sleep, object_type=object_type, public_object_search_request=request
        )
        results: list[Any] = body["results"]
        yield results
        read += len(results)
        after = _next_after(body)
        if after is None:
            return
        if read + PAGE_SIZE > SEARCH_RESULT_LIMIT:
            last = results[-1] if results else None
            stamp = _stamp_ms(last)
            if stamp is None or stamp <= since:
                raise GarbageAnswer(
                    "HubSpot's search did not move past one modification stamp."
                )
            since, after, read = stamp, None, 0


def _stamp_ms(record: Any) -> int | None:
    try:
        value = record["properties"]["hs_lastmodifieddate"]
        return int(datetime.fromisoformat(value).timestamp() * 1000)
    except (TypeError, KeyError, ValueError):
        return None


def archived_pages(
    client: HubSpot, *, object_type: str, sleep: Sleep = time.sleep
) -> Iterator[list[Any]]:
    """Pages of archived (deleted) `object_type` records
    (GET /crm/v3/objects/{type}?archived=true)."""
    list_page = client.crm.objects.basic_api.get_page
    after: str | None = None
    while True:
        kwargs: dict[str, Any] = {"archived": True, "limit": PAGE_SIZE}
        if after:
            kwargs["after"] = after
        body = _page(list_page, sleep, object_type=object_type, **kwargs)
        yield body["results"]
        after = _next_after(body)
        if after is None:
            return


def owner_pages(client: HubSpot, *, sleep: Sleep = time.sleep) -> Iterator[list[Any]]:
    """Pages of owners (GET /crm/v3/owners/)."""
    list_page = client.crm.owners.owners_api.get_page
    after: str | None = None
    while True:
        kwargs: dict[str, Any] = {"limit": PAGE_SIZE, "archived": False}
        if after:
            kwargs["after"] = after
        body = _page(list_page, sleep, **kwargs)
        yield body["results"]
        after = _next_after(body)
        if after is None:
            return


def _batch(call: Callable[..., Any], sleep: Sleep, **kwargs: Any) -> list[Any]:
    """The `results` of a batch endpoint (200, or 207 with `errors` for inputs
    that have nothing), waiting out 429s."""
    response = _answer(call, sleep, **kwargs)
    try:
        body = json.loads(response.data)
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        raise GarbageAnswer(
            "HubSpot answered a batch read without a list of results; the sync "
            "stopped and nothing stored was changed by this page."
        )
    results: list[Any] = body["results"]
    return results


def deal_company_domains(
    client: HubSpot, *, deal_ids: list[str], sleep: Sleep = time.sleep
) -> dict[str, str]:
    """The `domain` of each deal's company, by deal id: the primary company where
    the deal has several (POST /crm/v4/associations/deals/companies/batch/read,
    then POST /crm/v3/objects/companies/batch/read). Deals without a company, or
    whose company has no domain, are left out."""
    if not deal_ids:
        return {}
    associations = _batch(
        client.crm.associations.v4.batch_api.get_page,
        sleep,
        from_object_type="deals",
        to_object_type="companies",
        batch_input_public_fetch_associations_batch_request=(
            BatchInputPublicFetchAssociationsBatchRequest(
                inputs=[PublicFetchAssociationsBatchRequest(id=i) for i in deal_ids]
            )
        ),
    )
    company_of: dict[str, str] = {}
    for result in associations:
        try:
            deal_id = str(result["from"]["id"])
            targets = [t for t in result["to"] if isinstance(t, dict)]
        except (TypeError, KeyError):
            continue
        primary = [
            t
            for t in targets
            if any(
                isinstance(kind, dict) and kind.get("typeId") == PRIMARY_COMPANY_TYPE_ID
                for kind in t.get("associationTypes") or []
            )
        ]
        chosen = (primary or targets)[:1]
        if chosen and chosen[0].get("toObjectId") is not None:
            company_of[deal_id] = str(chosen[0]["toObjectId"])
    if not company_of:
        return {}
    company_ids = sorted(set(company_of.values()))
    companies = _batch(
        client.crm.companies.batch_api.read,
        sleep,
        batch_read_input_simple_public_object_id=BatchReadInputSimplePublicObjectId(
            inputs=[SimplePublicObjectId(id=i) for i in company_ids],
            properties=["domain"],
            properties_with_history=[],
        ),
    )
    domains: dict[str, str] = {}
    for company in companies:
        if not isinstance(company, dict) or not isinstance(
            company.get("properties"), dict
        ):
            continue
        domain = company["properties"].get("domain")
        if isinstance(domain, str) and domain:
            domains[str(company.get("id"))] = domain
    return {
        deal_id: domains[company_id]
        for deal_id, company_id in company_of.items()
        if company_id in domains
    }
