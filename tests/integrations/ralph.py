"""A real Learning Record Store for the xAPI tests: Ralph (`ralph-malph` on PyPI)
with its file-system backend, started as a subprocess on a free port and stopped
after.

Ralph's dependencies (FastAPI, pydantic 2 pins, uvicorn...) live in a virtualenv of
their own so they never meet Onramp's: `$RALPH_VENV`, by default `.venv-ralph/` at
the repository root. When it is missing, the first test that needs Ralph makes it
(`python -m venv` + `pip install "ralph-malph[cli,lrs]~=5.1" requests`, about a
minute); where PyPI cannot be reached the tests are skipped with the reason.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RALPH_REQUIREMENT = "ralph-malph[cli,lrs]~=5.1"
USERNAME = "onramp"
PASSWORD = "lrs-secret"
START_TIMEOUT = 90.0


_SERVE = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]))
"""


class RalphUnavailable(Exception):
    pass


def ralph_venv() -> Path:
    venv = Path(os.environ.get("RALPH_VENV") or ROOT / ".venv-ralph")
    ralph = venv / "bin" / "ralph"
    if ralph.exists():
        return venv
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", str(venv)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", RALPH_REQUIREMENT, "requests"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.SubprocessError, OSError) as error:
        raise RalphUnavailable(
            f"Ralph could not be installed in {venv}: {error}"
        ) from error
    return venv


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Ralph:
    """One Ralph LRS on 127.0.0.1, its statements kept under `folder`."""

    def __init__(self, folder: Path) -> None:
        venv = ralph_venv()
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/xAPI/"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "fs").mkdir(exist_ok=True)
        env = {
            "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
            "HOME": str(folder),
            "RALPH_AUTH_FILE": str(folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
        }
        ralph = str(venv / "bin" / "ralph")
        subprocess.run(
            [ralph, "auth", "-u", USERNAME, "-p", PASSWORD, "-s", "all", "-M",
             "mailto:lrs@example.org", "-w"],
            env=env, check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        self.log = (folder / "ralph.log").open("wb")
        # What `ralph runserver -b fs` does, in one process (runserver adds a
        # reloader), with one change: Ralph 5.1's file-system LRS writes its
        # statements file with "create", which refuses every write after the first
        # ("already exists and overwrite is not allowed"), so it appends instead.
        env["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = str(folder / "fs")
        self.process = subprocess.Popen(
            [str(venv / "bin" / "python"), "-c", _SERVE, str(self.port)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait_until_up(folder)

    def _wait_until_up(self, folder: Path) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RalphUnavailable(
                    "Ralph stopped at start: "
                    + (folder / "ralph.log").read_text()[-2000:]
                )
            try:
                self.get_statements()
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        self.stop()
        raise RalphUnavailable("Ralph did not answer within 90 seconds.")

    def _request(self, path: str) -> Any:
        token = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            headers={
                "Authorization": f"Basic {token}",
                "X-Experience-API-Version": "1.0.3",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def get_statements(self) -> list[dict[str, Any]]:
        """Every statement Ralph holds, through `GET /xAPI/statements`."""
        statements: list[dict[str, Any]] = []
        path = "/xAPI/statements?limit=500"
        while path:
            page = self._request(path)
            statements.extend(page["statements"])
            path = page.get("more") or ""
        return statements

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
