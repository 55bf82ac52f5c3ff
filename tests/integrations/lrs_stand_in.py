"""A stand-in Learning Record Store on 127.0.0.1 for the outbox tests: it records
each request and answers `status`, or, with `hang`, never answers."""

from __future__ import annotations

import http.server
import json
import threading
from typing import Any


class Lrs:
    """A stand-in LRS on 127.0.0.1 answering `status`, or never answering."""

    def __init__(self, status: int = 200, *, hang: bool = False) -> None:
        self.status = status
        self.hang = hang
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()
        lrs = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                if lrs.hang:
                    lrs.release.wait(30)
                    return
                lrs.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": json.loads(body),
                    }
                )
                self.send_response(lrs.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/xAPI/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
