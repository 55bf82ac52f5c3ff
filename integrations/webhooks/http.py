"""Sending one webhook request to the outside world, defensively (pure: no ORM).

- SSRF guard: the host is resolved at send time and every address it resolves to
  must be global (not loopback, private, link-local, carrier-grade NAT, multicast,
  reserved or a cloud metadata address), unless private networks are allowed. The
  request then goes to the address that was checked, so a second DNS answer cannot
  point it elsewhere (DNS rebinding); TLS still verifies the host name.
- 10 seconds in all, no redirects followed, at most 64 KB of the answer read.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.utils.translation import gettext

TIMEOUT_SECONDS = 10.0
MAX_ANSWER_BYTES = 64 * 1024


class TargetRefused(Exception):
    """The URL may not be called; the message says why."""


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    duration_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _refused_address(address: IpAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def resolve(url: str, *, allow_private: bool) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to), or TargetRefused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(
            gettext("Only http and https URLs with a host can be called.")
        )
    if parts.username or parts.password:
        raise TargetRefused(gettext("URLs with a user name or password are refused."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused(gettext("The port is not a number.")) from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise TargetRefused(
            gettext("The host %(host)s does not resolve.") % {"host": parts.hostname}
        ) from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not allow_private:
        refused = [a for a in addresses if _refused_address(a)]
        if refused:
            raise TargetRefused(
                gettext(
                    "%(host)s resolves to %(address)s, a loopback, private, "
                    "link-local or metadata address."
                )
                % {"host": parts.hostname, "address": refused[0]}
            )
    return parts.scheme, parts.hostname, port, str(addresses[0])


def post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    allow_private: bool,
    timeout_seconds: float = TIMEOUT_SECONDS,
) -> Answer:
    """POST the body; never raises for network trouble (it is in the answer)."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        scheme, host, port, address = resolve(url, allow_private=allow_private)
    except TargetRefused as error:
        return Answer(None, elapsed(), str(error))
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default_port = 443 if scheme == "https" else 80
    host_header = host if port == default_port else f"{host}:{port}"
    timeout = urllib3.Timeout(total=timeout_seconds)
    pool: urllib3.HTTPConnectionPool
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    try:
        response = pool.urlopen(
            "POST",
            target,
            body=body,
            headers={"user-agent": "Onramp-Webhooks/1", **headers, "host": host_header},
            redirect=False,
            retries=False,
            preload_content=False,
        )
        response.read(MAX_ANSWER_BYTES)
        response.release_conn()
        return Answer(response.status, elapsed())
    except urllib3.exceptions.HTTPError as error:
        return Answer(None, elapsed(), type(error).__name__ + ": " + str(error)[:200])
    finally:
        pool.close()
