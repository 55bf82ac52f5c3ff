"""A local HubSpot that speaks the documented REST contract, for the real client.

Endpoints, bodies and error answers follow HubSpot's published API reference:
- GET /account-info/v3/details: the documented example response;
- every request needs `Authorization: Bearer <private-app token>`; without a known
  token the answer is 401 with HubSpot's documented error body
  (`status`, `message`, `correlationId`, `category: INVALID_AUTHENTICATION`).
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

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


@dataclass
class HubSpotState:
    tokens: set[str] = field(default_factory=lambda: {"pat-na1-good-token"})
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)


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

    def do_GET(self) -> None:
        state = self.server.state
        state.requests.append(("GET", self.path, dict(self.headers)))
        if not self._authorised():
            return
        if self.path.split("?")[0] == "/account-info/v3/details":
            self._answer(200, ACCOUNT_DETAILS)
            return
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
