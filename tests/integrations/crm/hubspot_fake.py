"""A local HubSpot that speaks the documented REST contract, for the real client.

Endpoints, bodies and error answers follow HubSpot's published API reference:
- GET /account-info/v3/details: the documented example response;
- GET /crm/v3/owners/: `results` of owners (`id`, `email`, `firstName`, `lastName`,
  `userId`, `createdAt`, `updatedAt`, `archived`), `paging.next.after`;
- POST /crm/v3/objects/{deals,calls,meetings,emails}/search: `filterGroups` (the
  `GTE` filter on `hs_lastmodifieddate` that the sync uses), `sorts`, `properties`,
  `limit` (at most 100), `after`; the answer `{"total", "results", "paging"}`, each
  result `{"id", "properties", "createdAt", "updatedAt", "archived"}` with the asked
  properties and the defaults (`hs_object_id`, `createdate`, `hs_lastmodifieddate`);
  at most 10,000 results per query (an `after` past it is a 400);
- GET /crm/v3/objects/{type}?archived=true: archived records with `archivedAt`;
- POST /crm/v4/associations/deals/companies/batch/read (`inputs` of `{"id"}`):
  `results` of `{"from": {"id"}, "to": [{"toObjectId", "associationTypes":
  [{"category", "typeId", "label"}]}]}` (typeId 5 "Primary", 341 unlabeled); a
  deal without a company is in `errors` and the answer is a 207;
- POST /crm/v3/objects/companies/batch/read (`inputs`, `properties`): `results`
  of companies with the asked properties, unknown ids in `errors` (207);
- every request needs `Authorization: Bearer <private-app token>`; without a known
  token the answer is 401 with HubSpot's documented error body
  (`status`, `message`, `correlationId`, `category: INVALID_AUTHENTICATION`);
- rate limits: `rate_limit_next` requests answer 429 with the documented body
  (`errorType: RATE_LIMIT`, `policyName`) and the `X-HubSpot-RateLimit-*` headers.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from lms.lib import clock

# GET /account-info/v3/details, the documented example.
ACCOUNT_DETAILS = {
    "portalId": 12345678,
    "accountType": "STANDARD",
    "timeZone": "US/Eastern",
    "companyCurrency": "USD",
    "additionalCurrencies": ["NZD", "AUD", "EUR"],
    "utcOffset": "-04:00",
    "utcOffsetMilliseconds": -14400000,
    "uiDomain": "app-eu1.hubspot.com",
    "dataHostingLocation": "eu1",
}

UNAUTHORISED = {
    "status": "error",
    "message": (
        "Authentication credentials not found. This API supports OAuth 2.0 "
        "authentication and you can find more details at "
        "https://developers.hubspot.com/docs/methods/auth/oauth-overview"
    ),
    "category": "INVALID_AUTHENTICATION",
}


SEARCH_LIMIT = 10_000
DEFAULT_PROPERTIES = ("hs_object_id", "createdate", "hs_lastmodifieddate")


def stamp(moment: dt.datetime) -> str:
    """HubSpot's way of writing an instant: ISO 8601, milliseconds, Z."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def cursor(position: int) -> str:
    """An opaque paging cursor, as the documented examples show (`NTI1Cg%3D%3D`)."""
    return base64.b64encode(f"{position}\n".encode()).decode()


def offset(after: str | None) -> int:
    if not after:
        return 0
    return int(base64.b64decode(unquote(after)).decode())


def _ms(value: str) -> int:
    return int(dt.datetime.fromisoformat(value).timestamp() * 1000)


@dataclass
class HubSpotState:
    tokens: set[str] = field(default_factory=lambda: {"pat-na1-good-token"})
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    owners: list[dict[str, Any]] = field(default_factory=list)
    # object type -> id -> record as HubSpot stores it
    objects: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {
            t: {} for t in ("deals", "calls", "meetings", "emails", "companies")
        }
    )
    # deal id -> [(company id, association type ids)]
    deal_companies: dict[str, list[tuple[str, list[int]]]] = field(default_factory=dict)
    rate_limit_next: int = 0
    garbage_for: str | None = None
    # Scopes the private app was not given: calls needing them answer 403.
    scopes_missing: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_owner(self, owner_id: str, email: str, first: str, last: str) -> None:
        now = stamp(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC))
        self.owners.append(
            {
                "id": owner_id,
                "email": email,
                "type": "PERSON",
                "firstName": first,
                "lastName": last,
                "userId": int(owner_id) + 1000,
                "userIdIncludingInactive": int(owner_id) + 1000,
                "createdAt": now,
                "updatedAt": now,
                "archived": False,
            }
        )

    def put(
        self,
        object_type: str,
        object_id: str,
        properties: dict[str, Any],
        *,
        modified: dt.datetime,
        created: dt.datetime | None = None,
    ) -> None:
        created = created or modified
        self.objects[object_type][object_id] = {
            "id": object_id,
            "properties": {
                **properties,
                "hs_object_id": object_id,
                "createdate": properties.get("createdate", stamp(created)),
                "hs_lastmodifieddate": stamp(modified),
            },
            "createdAt": stamp(created),
            "updatedAt": stamp(modified),
            "archived": False,
        }

    def put_deal(
        self,
        deal_id: str,
        *,
        owner: str,
        amount: str | None,
        created: dt.datetime,
        closed: dt.datetime | None,
        won: bool,
        modified: dt.datetime,
        currency: str | None = "USD",
        stage: str | None = None,
    ) -> None:
        properties: dict[str, Any] = {
            "dealname": f"Deal {deal_id}",
            "amount": amount,
            "createdate": stamp(created),
            "closedate": stamp(closed) if closed else None,
            "dealstage": stage
            or (("closedwon" if won else "closedlost") if closed else "qualifiedtobuy"),
            "hs_is_closed": "true" if closed else "false",
            "hs_is_closed_won": "true" if closed and won else "false",
            "hubspot_owner_id": owner,
        }
        if currency is not None:
            properties["deal_currency_code"] = currency
        self.put("deals", deal_id, properties, modified=modified, created=created)

    def put_activity(
        self,
        object_type: str,
        activity_id: str,
        *,
        owner: str,
        at: dt.datetime,
        modified: dt.datetime,
    ) -> None:
        self.put(
            object_type,
            activity_id,
            {"hs_timestamp": stamp(at), "hubspot_owner_id": owner},
            modified=modified,
            created=at,
        )

    def put_company(
        self, company_id: str, *, name: str, domain: str | None, modified: dt.datetime
    ) -> None:
        self.put(
            "companies", company_id, {"name": name, "domain": domain}, modified=modified
        )

    def associate(self, deal_id: str, company_id: str, *, primary: bool = True) -> None:
        """Deal to company: unlabeled (341), and "primary" (5) when it is."""
        types = [5, 341] if primary else [341]
        self.deal_companies.setdefault(deal_id, []).append((company_id, types))

    def archive(self, object_type: str, object_id: str, at: dt.datetime) -> None:
        record = self.objects[object_type][object_id]
        record["archived"] = True
        record["archivedAt"] = stamp(at)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def _answer(self, status: int, body: Any, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ")
        if header.startswith("Bearer ") and token in self.server.state.tokens:
            return True
        self._answer(401, {**UNAUTHORISED, "correlationId": str(uuid.uuid4())})
        return False

    def _rate_limited(self) -> bool:
        state = self.server.state
        with state.lock:
            if state.rate_limit_next <= 0:
                return False
            state.rate_limit_next -= 1
        self._answer(
            429,
            {
                "status": "error",
                "message": "You have reached your secondly limit.",
                "errorType": "RATE_LIMIT",
                "correlationId": str(uuid.uuid4()),
                "policyName": "SECONDLY",
                "requestId": str(uuid.uuid4()),
            },
            {
                "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
                "X-HubSpot-RateLimit-Max": "100",
                "X-HubSpot-RateLimit-Remaining": "0",
                "X-HubSpot-RateLimit-Secondly": "10",
                "X-HubSpot-RateLimit-Secondly-Remaining": "0",
            },
        )
        return True

    def _missing_scope(self, scope: str) -> bool:
        """Answer 403 as HubSpot does when the app lacks `scope` (MISSING_SCOPES)."""
        if scope not in self.server.state.scopes_missing:
            return False
        self._answer(
            403,
            {
                "status": "error",
                "message": "This app hasn't been granted all required scopes to "
                "make this call. Read more about required scopes here: "
                "https://developers.hubspot.com/scopes.",
                "correlationId": str(uuid.uuid4()),
                "errors": [
                    {
                        "message": "One or more of the following scopes are required.",
                        "context": {"requiredGranularScopes": [scope]},
                    }
                ],
                "links": {"scopes": "https://developers.hubspot.com/scopes"},
                "category": "MISSING_SCOPES",
            },
        )
        return True

    def _garbage(self, object_type: str) -> bool:
        if self.server.state.garbage_for != object_type:
            return False
        raw = b"<html><body>502 Bad Gateway</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)
        return True

    def _paged(self, items: list[Any], after: str | None, limit: int) -> dict[str, Any]:
        start = offset(after)
        page = items[start : start + limit]
        body: dict[str, Any] = {"results": page}
        if start + limit < len(items):
            following = cursor(start + limit)
            body["paging"] = {
                "next": {"after": following, "link": f"?after={following}"}
            }
        return body

    def do_GET(self) -> None:
        state = self.server.state
        state.requests.append(("GET", self.path, dict(self.headers)))
        if not self._authorised() or self._rate_limited():
            return
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        limit = min(int(query.get("limit", 100)), 100)
        if url.path == "/account-info/v3/details":
            self._answer(200, ACCOUNT_DETAILS)
            return
        if url.path.rstrip("/") == "/crm/v3/owners":
            self._answer(200, self._paged(state.owners, query.get("after"), limit))
            return
        parts = url.path.strip("/").split("/")
        if parts[:3] == ["crm", "v3", "objects"] and len(parts) == 4:
            object_type = parts[3]
            if object_type in state.objects:
                if self._garbage(object_type):
                    return
                archived = query.get("archived", "").lower() == "true"
                with state.lock:
                    items = [
                        r
                        for r in state.objects[object_type].values()
                        if r["archived"] == archived
                    ]
                items.sort(key=lambda r: int(r["id"]) if r["id"].isdigit() else 0)
                self._answer(200, self._paged(items, query.get("after"), limit))
                return
        self._not_found()

    def do_POST(self) -> None:
        state = self.server.state
        state.requests.append(("POST", self.path, dict(self.headers)))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self._authorised() or self._rate_limited():
            return
        parts = urlsplit(self.path).path.strip("/").split("/")
        if parts == "crm v4 associations deals companies batch read".split():
            if not self._missing_scope("crm.objects.companies.read"):
                self._deal_companies(json.loads(raw or b"{}"))
            return
        if parts == "crm v3 objects companies batch read".split():
            self._companies(json.loads(raw or b"{}"))
            return
        if (
            parts[:3] != ["crm", "v3", "objects"]
            or len(parts) != 5
            or parts[4] != "search"
            or parts[3] not in state.objects
        ):
            self._not_found()
            return
        object_type = parts[3]
        if self._garbage(object_type):
            return
        request = json.loads(raw or b"{}")
        since = None
        for group in request.get("filterGroups") or []:
            for condition in group.get("filters") or []:
                if (
                    condition.get("propertyName") == "hs_lastmodifieddate"
                    and condition.get("operator") == "GTE"
                ):
                    since = int(condition["value"])
        limit = min(int(request.get("limit") or 10), 100)
        after = request.get("after")
        if after is not None and offset(after) >= SEARCH_LIMIT:
            self._answer(
                400,
                {
                    "status": "error",
                    "message": "The maximum number of results for a search is 10000.",
                    "correlationId": str(uuid.uuid4()),
                    "category": "VALIDATION_ERROR",
                },
            )
            return
        wanted = set(request.get("properties") or []) | set(DEFAULT_PROPERTIES)
        with state.lock:
            records = [
                r
                for r in state.objects[object_type].values()
                if not r["archived"]
                and (
                    since is None
                    or _ms(r["properties"]["hs_lastmodifieddate"]) >= since
                )
            ]
        records.sort(key=lambda r: (r["properties"]["hs_lastmodifieddate"], r["id"]))
        shaped = [
            {
                **r,
                "properties": {k: v for k, v in r["properties"].items() if k in wanted},
            }
            for r in records
        ]
        body = self._paged(shaped, after, limit)
        body["total"] = len(shaped)
        self._answer(200, body)

    def _batch_answer(self, results: list[Any], errors: list[Any]) -> None:
        """200 when every input was found, else 207 with `numErrors` and `errors`."""
        now = stamp(clock.now())
        body: dict[str, Any] = {
            "status": "COMPLETE",
            "results": results,
            "startedAt": now,
            "completedAt": now,
        }
        if errors:
            body["numErrors"] = len(errors)
            body["errors"] = errors
        self._answer(207 if errors else 200, body)

    def _deal_companies(self, request: dict[str, Any]) -> None:
        labels = {5: "Primary", 341: None}
        results, errors = [], []
        for item in request.get("inputs") or []:
            deal_id = str(item.get("id"))
            companies = self.server.state.deal_companies.get(deal_id)
            if not companies:
                errors.append(
                    {
                        "status": "error",
                        "category": "OBJECT_NOT_FOUND",
                        "subCategory": "crm.associations.NO_ASSOCIATIONS_FOUND",
                        "message": f"No company is associated with deal {deal_id}.",
                        "context": {"fromObjectId": [deal_id]},
                    }
                )
                continue
            results.append(
                {
                    "from": {"id": deal_id},
                    "to": [
                        {
                            "toObjectId": int(company_id),
                            "associationTypes": [
                                {
                                    "category": "HUBSPOT_DEFINED",
                                    "typeId": type_id,
                                    "label": labels[type_id],
                                }
                                for type_id in types
                            ],
                        }
                        for company_id, types in companies
                    ],
                }
            )
        self._batch_answer(results, errors)

    def _companies(self, request: dict[str, Any]) -> None:
        wanted = set(request.get("properties") or []) | set(DEFAULT_PROPERTIES)
        stored = self.server.state.objects["companies"]
        results, errors = [], []
        for item in request.get("inputs") or []:
            company = stored.get(str(item.get("id")))
            if company is None or company["archived"]:
                errors.append(
                    {
                        "status": "error",
                        "category": "OBJECT_NOT_FOUND",
                        "message": "Could not get some COMPANY objects, they may "
                        "be deleted or not exist. Check that ids are valid.",
                        "context": {"ids": [str(item.get("id"))]},
                    }
                )
                continue
            results.append(
                {
                    **company,
                    "properties": {
                        k: v for k, v in company["properties"].items() if k in wanted
                    },
                }
            )
        self._batch_answer(results, errors)

    def _not_found(self) -> None:
        self._answer(
            404,
            {
                "status": "error",
                "message": "Resource not found",
                "correlationId": str(uuid.uuid4()),
                "category": "OBJECT_NOT_FOUND",
            },
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: HubSpotState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class HubSpotFake:
    """Started and stopped by the `hubspot_fake` fixture."""

    def __init__(self) -> None:
        self.state = HubSpotState()
        self._server = _Server(self.state)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> HubSpotFake:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
