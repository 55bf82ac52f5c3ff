"""A local Slack Web API and a local Teams webhook, speaking the published contracts.

The tests run them in a thread (tests/automation/conftest.py); the offline demo runs
them beside the web server (`manage.py chat_fakes`, started by `bin/run
--offline-chat`), where every e-mail is a Slack member and each message received is
handed to a listener that prints it. Nothing here is used to reach the real services.

Slack (https://docs.slack.dev/reference/methods/, "Rate limits"): every method is
POST https://slack.com/api/<method> with `Authorization: Bearer <token>`, form or
JSON arguments; the answer is HTTP 200 with `{"ok": true, ...}` or
`{"ok": false, "error": "<code>"}`; a rate-limited call is HTTP 429 with
`Retry-After: <seconds>` and `{"ok": false, "error": "ratelimited"}`.
- auth.test: `url`, `team`, `user`, `team_id`, `user_id`, `bot_id`;
- users.lookupByEmail (`email`): `user` (id, team_id, name, real_name, tz,
  profile.email) or `users_not_found`;
- conversations.open (`users`): `channel.id` of the DM (a "D…" id);
- chat.postMessage (`channel`, `text`, `blocks`): `channel`, `ts`, `message`;
  a `channel_not_found` for an unknown channel;
- an unknown token: `invalid_auth`; none: `not_authed`.

Teams (Microsoft Learn, "Create an Incoming Webhook" and "Send Adaptive Cards using
an Incoming Webhook"): POST JSON `{"type": "message", "attachments": [{"contentType":
"application/vnd.microsoft.card.adaptive", "content": <AdaptiveCard>}]}`; an
incoming webhook answers 200 with the body "1", a Workflows webhook 202; a body that
is not a valid card answers 400.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# The bot token the offline demo connects with; only the local fake accepts it.
OFFLINE_DEMO_TOKEN = "xoxb-onramp-offline-demo"

# What a fake keeps of the calls and messages it received: the latest ones, as
# many as this (the offline demo runs for as long as one likes; tests look at a
# handful). Older ones are forgotten.
KEPT = 1000

# Called with each message the fake accepted: a Slack message (channel, the
# member's e-mail, text, blocks) or a Teams card and the webhook path it came to.
SlackListener = Callable[[dict[str, Any]], None]
TeamsListener = Callable[[str, dict[str, Any]], None]


@dataclass
class SlackState:
    tokens: set[str] = field(default_factory=lambda: {"xoxb-good-token"})
    # e-mail -> Slack member id
    members: dict[str, str] = field(default_factory=dict)
    # Every e-mail is a member (the offline demo): an id is made up on first look-up.
    everyone: bool = False
    listener: SlackListener | None = None
    # method name -> Retry-After seconds of the next calls answered "ratelimited"
    ratelimited: dict[str, list[int]] = field(default_factory=dict)
    kept: int = KEPT
    calls: deque[tuple[str, dict[str, Any]]] = field(init=False)
    posted: deque[dict[str, Any]] = field(init=False)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.calls = deque(maxlen=self.kept)
        self.posted = deque(maxlen=self.kept)

    def member(self, email: str, member_id: str) -> None:
        self.members[email.lower()] = member_id

    def email_of(self, dm_channel: str) -> str | None:
        return next(
            (e for e, m in self.members.items() if "D" + m[1:] == dm_channel), None
        )


class _SlackHandler(BaseHTTPRequestHandler):
    server: _SlackServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def _answer(
        self, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def _arguments(self) -> dict[str, Any]:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return dict(json.loads(raw or b"{}"))
        query = parse_qs(urlsplit(self.path).query)
        query.update(parse_qs(raw.decode()))
        return {name: values[-1] for name, values in query.items()}

    def do_POST(self) -> None:
        state = self.server.state
        method = urlsplit(self.path).path.removeprefix("/api/")
        arguments = self._arguments()
        with state.lock:
            state.calls.append((method, arguments))
            waits = state.ratelimited.get(method)
            wait = waits.pop(0) if waits else None
        if wait is not None:
            self._answer(
                429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}
            )
            return
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            self._answer(200, {"ok": False, "error": "not_authed"})
            return
        if header.removeprefix("Bearer ") not in state.tokens:
            self._answer(200, {"ok": False, "error": "invalid_auth"})
            return
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            self._answer(200, {"ok": False, "error": "unknown_method"})
            return
        self._answer(200, handler(state, arguments))

    do_GET = do_POST

    def _auth_test(
        self, state: SlackState, arguments: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://northwind.slack.com/",
            "team": "Northwind Analytics",
            "user": "onramp",
            "team_id": "T012AB3C4",
            "user_id": "U0ONRAMP1",
            "bot_id": "B0ONRAMP1",
        }

    def _users_lookupByEmail(
        self, state: SlackState, arguments: dict[str, Any]
    ) -> dict[str, Any]:
        email = str(arguments.get("email", "")).lower()
        with state.lock:
            if state.everyone and "@" in email and email not in state.members:
                state.members[email] = f"U{len(state.members) + 1:08d}"
            member = state.members.get(email)
        if member is None:
            return {"ok": False, "error": "users_not_found"}
        return {
            "ok": True,
            "user": {
                "id": member,
                "team_id": "T012AB3C4",
                "name": email.split("@")[0],
                "deleted": False,
                "real_name": email.split("@")[0].title(),
                "tz": "America/New_York",
                "profile": {"email": email},
            },
        }

    def _conversations_open(
        self, state: SlackState, arguments: dict[str, Any]
    ) -> dict[str, Any]:
        users = arguments.get("users")
        users = users if isinstance(users, str) else ",".join(users or [])
        if not users or any(u not in state.members.values() for u in users.split(",")):
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0][1:]}}

    def _chat_postMessage(
        self, state: SlackState, arguments: dict[str, Any]
    ) -> dict[str, Any]:
        channel = str(arguments.get("channel", ""))
        if not channel.startswith("D"):
            return {"ok": False, "error": "channel_not_found"}
        blocks = arguments.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        message = {"channel": channel, "text": arguments.get("text"), "blocks": blocks}
        with state.lock:
            state.posted.append(message)
            email = state.email_of(channel)
        if state.listener is not None:
            state.listener({**message, "email": email})
        ts = f"{time.time():.6f}"
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "message": {"type": "message", "text": message["text"], "ts": ts},
        }


class _SlackServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: SlackState, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _SlackHandler)
        self.state = state


@dataclass
class TeamsState:
    # "incoming" answers 200 "1"; "workflows" answers 202.
    flavour: str = "workflows"
    fail_next: list[int] = field(default_factory=list)
    listener: TeamsListener | None = None
    kept: int = KEPT
    posted: deque[dict[str, Any]] = field(init=False)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.posted = deque(maxlen=self.kept)


class _TeamsHandler(BaseHTTPRequestHandler):
    server: _TeamsServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def _answer(
        self, status: int, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        state = self.server.state
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with state.lock:
            failure = state.fail_next.pop(0) if state.fail_next else None
        if failure is not None:
            self._answer(
                failure,
                b"Too many requests" if failure == 429 else b"Error",
                {"Retry-After": "1"} if failure == 429 else None,
            )
            return
        try:
            body = json.loads(raw)
            (attachment,) = body["attachments"]
            assert body["type"] == "message"
            assert (
                attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
            )
            card = attachment["content"]
            assert card["type"] == "AdaptiveCard" and card["body"]
        except (ValueError, KeyError, TypeError, AssertionError):
            self._answer(400, b"Bad payload: not an Adaptive Card message")
            return
        with state.lock:
            state.posted.append(card)
        if state.listener is not None:
            state.listener(urlsplit(self.path).path, card)
        if state.flavour == "incoming":
            self._answer(200, b"1")
        else:
            self._answer(202, b"")


class _TeamsServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: TeamsState, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _TeamsHandler)
        self.state = state


class _Fake:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class SlackFake(_Fake):
    def __init__(self, state: SlackState | None = None, *, port: int = 0) -> None:
        self.state = state or SlackState()
        super().__init__(_SlackServer(self.state, port))

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def methods(self) -> list[str]:
        return [method for method, _ in self.state.calls]


class TeamsFake(_Fake):
    def __init__(self, state: TeamsState | None = None, *, port: int = 0) -> None:
        self.state = state or TeamsState()
        super().__init__(_TeamsServer(self.state, port))

    @property
    def webhook_url(self) -> str:
        return self.url + "/workflows/abc123/triggers/manual/paths/invoke"
