"""A local Salesforce that speaks the documented REST and OAuth contract, for the
real `simple-salesforce` client and the OAuth web-server flow with PKCE.

It serves HTTPS (a certificate made at start for 127.0.0.1, trusted by the tests
through REQUESTS_CA_BUNDLE), because simple-salesforce only speaks https to an
instance. What it answers follows Salesforce's published REST API and OAuth guides:

- GET /services/oauth2/authorize (`response_type=code`, `client_id`,
  `redirect_uri`, `state`, `code_challenge` with `code_challenge_method=S256`):
  the signed-in user approves at once; a 302 back to `redirect_uri` with `code` and
  `state`;
- POST /services/oauth2/token, form-encoded: `grant_type=authorization_code`
  (`code`, `client_id`, `client_secret`, `redirect_uri`, `code_verifier`, checked
  against the challenge) and `grant_type=refresh_token`; the documented answer
  (`access_token`, `refresh_token` on the first, `instance_url`, `id`,
  `token_type`, `issued_at`, `signature`, `scope`) or a 400 with
  `{"error": "invalid_grant", "error_description": "expired access/refresh token"}`
  (or `invalid code verifier`, `authentication failure`);
- GET /services/data/vXX.X/query?q=… and /queryAll?q=… (deleted records, with
  `IsDeleted`, only through queryAll): `{"totalSize", "done", "records",
  "nextRecordsUrl"}`, every record with `attributes: {type, url}`; batches of
  `batch_size` (2,000 by default, Salesforce's largest) and the rest through
  GET /services/data/vXX.X/query/<locator>-<offset> (Query More Results);
- SOQL: `SELECT <fields> FROM <object> [WHERE <condition> [AND …]] [ORDER BY
  <field> ASC]`, conditions `<field> >= <datetime literal>`, `<field> = <value>`
  and `<field> IN ('a', 'b')`; anything else is a 400 `MALFORMED_QUERY`; a
  parent relationship field (`Account.Website`, through the lookup `AccountId`)
  comes as the parent's object, `{"attributes": {type, url}, "Website": …}`, or
  `null` when the lookup is empty;
- every data answer carries `Sforce-Limit-Info: api-usage=<used>/<limit>`; past
  the limit (or for `limit_exceeded_next` requests) a 403
  `[{"message": "TotalRequests Limit exceeded.", "errorCode":
  "REQUEST_LIMIT_EXCEEDED"}]`;
- an unknown or revoked access token: 401 `[{"message": "Session expired or
  invalid", "errorCode": "INVALID_SESSION_ID"}]`.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import ipaddress
import json
import re
import secrets
import ssl
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CLIENT_ID = "3MVG9lKcPoNINVBIPJjdw1J9LLM82HnFVVX19KY1uA5mu0QqEWhqKpoW3svG3X"
CLIENT_SECRET = "5678471853609579508"
SESSION_EXPIRED = [
    {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}
]
LIMIT_EXCEEDED = [
    {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
]
ORG_ID = "00D5e000000K3mPEAS"


def sf_stamp(moment: dt.datetime) -> str:
    """How Salesforce writes a dateTime in JSON: `2013-01-20T08:12:11.000+0000`."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def _literal(value: str) -> Any:
    value = value.strip()
    if value.startswith("'") and value.endswith("'"):
        return value[1:-1]
    if value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    if re.match(r"^\d{4}-\d{2}-\d{2}T", value):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    raise ValueError(value)


DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")


@functools.lru_cache(maxsize=1_000_000)
def _instant(value: str) -> dt.datetime | str:
    # Parsed once per stamp: a bench's org holds 600,000 records, and every
    # incremental query filters and sorts them all (Salesforce has an index).
    return dt.datetime.fromisoformat(value) if DATETIME.match(value) else value


def _comparable(value: Any) -> Any:
    return _instant(value) if isinstance(value, str) else value


QUERY = re.compile(
    r"^SELECT (?P<fields>[\w., ]+) FROM (?P<object>\w+)"
    r"(?: WHERE (?P<where>.+?))?(?: ORDER BY (?P<order>\w+)(?: ASC)?)?$",
    re.IGNORECASE,
)
CONDITION = re.compile(r"^(?P<field>\w+) (?P<op>>=|=|IN) (?P<value>.+)$", re.IGNORECASE)


class MalformedQuery(Exception):
    pass


@dataclass
class SalesforceState:
    api_version: str = "62.0"
    batch_size: int = 2000
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    access_tokens: set[str] = field(default_factory=set)
    refresh_tokens: set[str] = field(default_factory=set)
    # code -> (client_id, redirect_uri, code_challenge)
    codes: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    # sObject name -> Id -> record fields (IsDeleted among them)
    objects: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    locators: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    api_used: int = 0
    api_limit: int = 15_000
    limit_exceeded_next: int = 0
    garbage_for: str | None = None
    # sObjects this org does not have (INVALID_TYPE), e.g. ForecastingQuota
    # without Collaborative Forecasts
    unsupported: set[str] = field(default_factory=set)
    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def grant(self) -> str:
        """A refresh token as if the flow had run before (tests that only sync)."""
        token = f"5Aep861{secrets.token_urlsafe(24)}"
        self.refresh_tokens.add(token)
        return token

    def expire_sessions(self) -> None:
        self.access_tokens.clear()

    def revoke(self) -> None:
        self.access_tokens.clear()
        self.refresh_tokens.clear()

    def put(self, sobject: str, record_id: str, **values: Any) -> None:
        self.objects.setdefault(sobject, {})[record_id] = {
            "Id": record_id,
            "IsDeleted": False,
            **values,
        }

    def put_user(self, user_id: str, email: str, first: str, last: str) -> None:
        self.put(
            "User",
            user_id,
            Email=email,
            FirstName=first,
            LastName=last,
            IsActive=True,
            SystemModstamp=sf_stamp(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)),
        )

    def put_opportunity(
        self,
        opportunity_id: str,
        *,
        owner: str,
        amount: float | str | None,
        created: dt.datetime,
        closed: dt.date | None,
        won: bool,
        modified: dt.datetime,
        currency: str | None = "USD",
        stage: str | None = None,
        account: str | None = None,
    ) -> None:
        self.put(
            "Opportunity",
            opportunity_id,
            OwnerId=owner,
            AccountId=account,
            Amount=amount,
            CurrencyIsoCode=currency,
            CreatedDate=sf_stamp(created),
            CloseDate=(closed or (created + dt.timedelta(days=30)).date()).isoformat(),
            StageName=stage
            or (("Closed Won" if won else "Closed Lost") if closed else "Prospecting"),
            IsClosed=closed is not None,
            IsWon=closed is not None and won,
            SystemModstamp=sf_stamp(modified),
        )

    def put_account(self, account_id: str, *, name: str, website: str | None) -> None:
        self.put(
            "Account",
            account_id,
            Name=name,
            Website=website,
            SystemModstamp=sf_stamp(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)),
        )

    def put_task(
        self,
        task_id: str,
        *,
        owner: str,
        subtype: str,
        at: dt.datetime,
        modified: dt.datetime,
    ) -> None:
        self.put(
            "Task",
            task_id,
            OwnerId=owner,
            TaskSubtype=subtype,
            ActivityDate=at.date().isoformat(),
            CompletedDateTime=sf_stamp(at),
            CreatedDate=sf_stamp(at),
            SystemModstamp=sf_stamp(modified),
        )

    def put_event(
        self, event_id: str, *, owner: str, at: dt.datetime, modified: dt.datetime
    ) -> None:
        self.put(
            "Event",
            event_id,
            OwnerId=owner,
            StartDateTime=sf_stamp(at),
            CreatedDate=sf_stamp(at),
            SystemModstamp=sf_stamp(modified),
        )

    def put_quota(
        self,
        quota_id: str,
        *,
        owner: str,
        amount: str | float,
        start: dt.date,
        modified: dt.datetime,
        currency: str = "USD",
    ) -> None:
        self.put(
            "ForecastingQuota",
            quota_id,
            QuotaOwnerId=owner,
            QuotaAmount=amount,
            CurrencyIsoCode=currency,
            StartDate=start.isoformat(),
            SystemModstamp=sf_stamp(modified),
        )

    def delete(self, sobject: str, record_id: str, at: dt.datetime) -> None:
        """Into the recycle bin: IsDeleted, and SystemModstamp moves."""
        record = self.objects[sobject][record_id]
        record["IsDeleted"] = True
        record["SystemModstamp"] = sf_stamp(at)

    def run(self, soql: str, *, include_deleted: bool) -> list[dict[str, Any]]:
        match = QUERY.match(soql.strip())
        if match is None:
            raise MalformedQuery(soql)
        fields = [f.strip() for f in match["fields"].split(",")]
        sobject = match["object"]
        conditions = []
        for part in re.split(r" AND ", match["where"] or "", flags=re.IGNORECASE):
            if not part:
                continue
            cond = CONDITION.match(part.strip())
            if cond is None:
                raise MalformedQuery(part)
            op = cond["op"].upper()
            try:
                if op == "IN":
                    inner = cond["value"].strip()
                    if not (inner.startswith("(") and inner.endswith(")")):
                        raise MalformedQuery(part)
                    value: Any = [_literal(v) for v in inner[1:-1].split(",")]
                else:
                    value = _literal(cond["value"])
            except ValueError:
                raise MalformedQuery(part) from None
            conditions.append((cond["field"], op, value))
        with self.lock:
            rows = list(self.objects.get(sobject, {}).values())
        selected = []
        for row in rows:
            if row["IsDeleted"] and not include_deleted:
                continue
            keep = True
            for name, op, value in conditions:
                have = _comparable(row.get(name))
                if op == ">=":
                    keep = have is not None and have >= value
                elif op == "=":
                    keep = have == value
                else:
                    keep = have in value
                if not keep:
                    break
            if keep:
                selected.append(row)
        if match["order"]:
            order = match["order"]
            selected.sort(key=lambda r: (_comparable(r.get(order)) or "", r["Id"]))
        return [self._shaped(sobject, row, fields) for row in selected]

    def _attributes(self, sobject: str, record_id: str) -> dict[str, str]:
        return {
            "type": sobject,
            "url": f"/services/data/v{self.api_version}/sobjects/{sobject}/{record_id}",
        }

    def _shaped(
        self, sobject: str, row: dict[str, Any], fields: list[str]
    ) -> dict[str, Any]:
        """A record as the REST API answers it; a parent relationship field
        (`Account.Website`) as the parent's object with its attributes, or null
        when the lookup (`AccountId`) is empty."""
        shaped: dict[str, Any] = {"attributes": self._attributes(sobject, row["Id"])}
        for name in fields:
            if "." not in name:
                shaped[name] = row.get(name)
                continue
            relationship, parent_field = name.split(".", 1)
            parent_id = row.get(f"{relationship}Id")
            parent = self.objects.get(relationship, {}).get(parent_id or "")
            if parent is None:
                shaped[relationship] = None
                continue
            shaped.setdefault(
                relationship,
                {"attributes": self._attributes(relationship, parent["Id"])},
            )[parent_field] = parent.get(parent_field)
        return shaped


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def _answer(
        self, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    @property
    def state(self) -> SalesforceState:
        return self.server.state

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.state.requests.append(("GET", url.path))
        if url.path == "/services/oauth2/authorize":
            self._authorize({k: v[-1] for k, v in parse_qs(url.query).items()})
            return
        prefix = f"/services/data/v{self.state.api_version}/"
        if not url.path.startswith(prefix):
            self._answer(
                404,
                [{"errorCode": "NOT_FOUND", "message": "The requested resource "
                  "does not exist"}],
            )  # fmt: skip
            return
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.state.access_tokens:
            self._answer(401, SESSION_EXPIRED)
            return
        with self.state.lock:
            self.state.api_used += 1
            over = self.state.api_used > self.state.api_limit
            if self.state.limit_exceeded_next > 0:
                self.state.limit_exceeded_next -= 1
                over = True
            usage = {
                "Sforce-Limit-Info": f"api-usage={self.state.api_used}/"
                f"{self.state.api_limit}"
            }
        if over:
            self._answer(403, LIMIT_EXCEEDED, usage)
            return
        resource = url.path.removeprefix(prefix).rstrip("/")
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if resource in ("query", "queryAll") and "q" in query:
            asked = QUERY.match(query["q"].strip())
            if asked is not None and asked["object"] in self.state.unsupported:
                self._answer(
                    400,
                    [{"message": f"sObject type '{asked['object']}' is not "
                                 "supported.",
                      "errorCode": "INVALID_TYPE"}],
                    usage,
                )  # fmt: skip
                return
            try:
                rows = self.state.run(
                    query["q"], include_deleted=resource == "queryAll"
                )
            except MalformedQuery as error:
                self._answer(
                    400,
                    [{"message": f"unexpected token: {error}",
                      "errorCode": "MALFORMED_QUERY"}],
                    usage,
                )  # fmt: skip
                return
            sobject = QUERY.match(query["q"].strip())["object"]  # type: ignore[index]
            if self.state.garbage_for == sobject:
                raw = b"<html><body>Service unavailable</body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
                return
            locator = f"01g{secrets.token_hex(6)}"
            with self.state.lock:
                self.state.locators[locator] = rows
            self._answer(200, self._batch(locator, 0), usage)
            return
        if resource.startswith(("query/", "queryAll/")):
            locator, _, start = resource.split("/", 1)[1].partition("-")
            if locator in self.state.locators and start.isdigit():
                self._answer(200, self._batch(locator, int(start)), usage)
                return
            self._answer(
                400,
                [{"message": "invalid query locator",
                  "errorCode": "INVALID_QUERY_LOCATOR"}],
                usage,
            )  # fmt: skip
            return
        self._answer(
            404,
            [{"errorCode": "NOT_FOUND", "message": "The requested resource does "
              "not exist"}],
            usage,
        )  # fmt: skip

    def _batch(self, locator: str, start: int) -> dict[str, Any]:
        rows = self.state.locators[locator]
        end = start + self.state.batch_size
        body: dict[str, Any] = {
            "totalSize": len(rows),
            "done": end >= len(rows),
            "records": rows[start:end],
        }
        if end < len(rows):
            body["nextRecordsUrl"] = (
                f"/services/data/v{self.state.api_version}/query/{locator}-{end}"
            )
        else:
            with self.state.lock:
                self.state.locators.pop(locator, None)
        return body

    def _authorize(self, params: dict[str, str]) -> None:
        if (
            params.get("response_type") != "code"
            or params.get("client_id") != self.state.client_id
            or params.get("code_challenge_method", "S256") != "S256"
            or not params.get("code_challenge")
            or not params.get("redirect_uri")
        ):
            self._answer(400, {"error": "invalid_request"})
            return
        code = f"aPrx{secrets.token_urlsafe(24)}"
        with self.state.lock:
            self.state.codes[code] = (
                params["client_id"],
                params["redirect_uri"],
                params["code_challenge"],
            )
        back = (
            params["redirect_uri"]
            + "?"
            + urlencode(
                {
                    "code": code,
                    **({"state": params["state"]} if "state" in params else {}),
                }
            )
        )
        self.send_response(302)
        self.send_header("Location", back)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        self.state.requests.append(("POST", url.path))
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if url.path != "/services/oauth2/token":
            self._answer(404, [{"errorCode": "NOT_FOUND", "message": "Not found"}])
            return
        if (
            form.get("client_id") != self.state.client_id
            or form.get("client_secret") != self.state.client_secret
        ):
            self._answer(
                400,
                {"error": "invalid_client", "error_description": "invalid client "
                 "credentials"},
            )  # fmt: skip
            return
        grant = form.get("grant_type")
        if grant == "authorization_code":
            with self.state.lock:
                issued = self.state.codes.pop(form.get("code", ""), None)
            if issued is None or issued[1] != form.get("redirect_uri"):
                self._invalid_grant("authentication failure")
                return
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if challenge != issued[2]:
                self._invalid_grant("invalid code verifier")
                return
            refresh: str | None = self.state.grant()
        elif grant == "refresh_token":
            if form.get("refresh_token") not in self.state.refresh_tokens:
                self._invalid_grant("expired access/refresh token")
                return
            refresh = None
        else:
            self._answer(
                400,
                {"error": "unsupported_grant_type",
                 "error_description": "grant type not supported"},
            )  # fmt: skip
            return
        access = f"00D5e000000K3mP!{secrets.token_urlsafe(32)}"
        self.state.access_tokens.add(access)
        body = {
            "access_token": access,
            "signature": base64.b64encode(secrets.token_bytes(32)).decode(),
            "scope": "refresh_token api",
            "instance_url": self.server.url,
            "id": f"{self.server.url}/id/{ORG_ID}/0055e000001AbCdAAK",
            "token_type": "Bearer",
            "issued_at": "1278448832702",
        }
        if refresh is not None:
            body["refresh_token"] = refresh
        self._answer(200, body)

    def _invalid_grant(self, description: str) -> None:
        self._answer(400, {"error": "invalid_grant", "error_description": description})


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    # Valid for any instant a run may start at (ONRAMP_TEST_NOW moves Python's
    # clock, not the one OpenSSL checks certificates against).
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2099, 12, 31, tzinfo=dt.UTC))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: SalesforceState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"https://{host!s}:{port}"


class SalesforceFake:
    """Started and stopped by the `salesforce_fake` fixture; `ca_bundle` is the
    certificate to trust."""

    def __init__(self) -> None:
        self.state = SalesforceState()
        self._directory = tempfile.TemporaryDirectory()
        cert, key = _certificate(Path(self._directory.name))
        self.ca_bundle = str(cert)
        self._server = _Server(self.state)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return self._server.url

    def start(self) -> SalesforceFake:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._directory.cleanup()
