"""Posting a webhook: the one module that opens connections to URLs our users typed.

A receiver's URL is chosen by a customer, so it must never become a way into our own network
(server-side request forgery): only https, only public addresses. The address is checked where
the connection is made, on the very address connected to (`_connect`), so a name that resolved
to a public address when the endpoint was saved and to 10.0.0.5 now (DNS rebinding) is still
refused. Redirects are not followed (a 3xx is a failed attempt), the connection may take
`CONNECT_TIMEOUT` seconds and each read `READ_TIMEOUT`, the whole exchange once connected
`TOTAL_SECONDS` (a receiver dripping a byte every few seconds is cut off: the lane that keeps an
endpoint's events in order trusts an attempt to end), and at most `MAX_ANSWER_BYTES` of the
answer are read. In debug and test runs, http to 127.0.0.1 or localhost is allowed too, so a
developer (and the test suite) can receive on loopback; every other private address stays
refused even then.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 5.0
TOTAL_SECONDS = 15.0
MAX_ANSWER_BYTES = 4096
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})

#: `socket.getaddrinfo`, replaceable in tests (which never reach a real name server).
Resolver = Callable[..., list[tuple[Any, ...]]]
resolve: Resolver = socket.getaddrinfo


class AddressRefused(ValueError):
    """The URL is not one we post to; the message says why, in English, for the log."""


@dataclass(frozen=True)
class Answer:
    """How one attempt ended: the receiver's status (None without an answer) and, when it is
    not a success, why in a few words."""

    status: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str


def parse(url: str, *, allow_loopback: bool) -> Target:
    """`url` taken apart, or `AddressRefused` when it is not an https URL (or, with
    `allow_loopback`, an http URL on this machine) with a host and nothing else odd."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise AddressRefused(f"not a URL: {exc}") from None
    host = (parts.hostname or "").lower()
    if not host:
        raise AddressRefused("the URL has no host")
    if parts.username or parts.password:
        raise AddressRefused("the URL carries a user name or password")
    loopback = allow_loopback and host in LOOPBACK_NAMES
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise AddressRefused("only https URLs are allowed")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path)


def is_public(address: str) -> bool:
    """An address on the internet: not private, loopback, link-local (the cloud metadata
    service lives there), multicast, reserved or unspecified; IPv4 inside IPv6 is unwrapped."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def addresses(target: Target, *, allow_loopback: bool) -> list[tuple[Any, ...]]:
    """Every address `target`'s host resolves to, or `AddressRefused` when one of them is not
    public (all of them are checked: a name answering with one public and one private address
    could be steered to the private one)."""
    try:
        found = resolve(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise AddressRefused(f"the host {target.host} cannot be found ({exc})") from None
    if not found:
        raise AddressRefused(f"the host {target.host} cannot be found")
    for *_, sockaddr in found:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if allow_loopback and target.host in LOOPBACK_NAMES and ip.is_loopback:
            continue
        if not is_public(str(sockaddr[0])):
            raise AddressRefused(f"the host {target.host} is on a private or local network")
    return found


def check_url(url: str, *, allow_loopback: bool) -> None:
    """Refuse (`AddressRefused`) a URL we would not post to, before it is saved."""
    addresses(parse(url, allow_loopback=allow_loopback), allow_loopback=allow_loopback)


def _connect(target: Target, *, allow_loopback: bool) -> socket.socket:
    """A socket to one of the checked addresses: the address connected to is the one checked."""
    last: OSError | None = None
    for family, kind, proto, _name, sockaddr in addresses(target, allow_loopback=allow_loopback):
        sock = socket.socket(family, kind, proto)
        sock.settimeout(CONNECT_TIMEOUT)
        try:
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            last = exc
            continue
        sock.settimeout(READ_TIMEOUT)
        return sock
    raise last or OSError("no address to connect to")


def _cut(sock: socket.socket, expired: threading.Event) -> None:
    """End an exchange that outlived `TOTAL_SECONDS`: the blocked read returns at once (and
    what was read so far, cut short, must not count as an answer)."""
    expired.set()
    with contextlib.suppress(OSError):  # already closed: the exchange ended meanwhile
        sock.shutdown(socket.SHUT_RDWR)


def _failure(exc: Exception) -> str:
    """What went wrong on an open connection, in the delivery log's words."""
    if isinstance(exc, TimeoutError):
        return "no answer within the time limit"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {exc.reason or exc}"
    return f"connection failed: {type(exc).__name__}"


def post(url: str, body: bytes, headers: dict[str, str], *, allow_loopback: bool) -> Answer:
    """POST `body` to `url` once; never raises for what the network or the receiver does."""
    try:
        target = parse(url, allow_loopback=allow_loopback)
        sock = _connect(target, allow_loopback=allow_loopback)
    except AddressRefused as refused:
        return Answer(None, f"refused: {refused}")
    except TimeoutError:
        return Answer(None, "connection timed out")
    except OSError as exc:
        return Answer(None, f"cannot connect: {exc.strerror or exc}")
    connection = http.client.HTTPConnection(target.host, target.port, timeout=READ_TIMEOUT)
    expired = threading.Event()
    watchdog = threading.Timer(TOTAL_SECONDS, _cut, [sock, expired])
    watchdog.daemon = True
    watchdog.start()
    try:
        if target.scheme == "https":
            context = ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=target.host)
        connection.sock = sock  # already connected (and checked): http.client does not connect
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read(MAX_ANSWER_BYTES)
    except (http.client.HTTPException, OSError) as exc:
        failure: str | None = _failure(exc)
    else:
        failure = None
    finally:
        watchdog.cancel()
        connection.close()
    # Cutting the socket makes the read fail in whichever way it was reading: the deadline is
    # the cause to report, whatever error it surfaced as.
    if expired.is_set():
        return Answer(None, f"no whole answer within {TOTAL_SECONDS:g} seconds")
    if failure is not None:
        return Answer(None, failure)
    if 200 <= response.status < 300:
        return Answer(response.status)
    snippet = answer[:200].decode("utf-8", "replace").strip()
    return Answer(response.status, f"HTTP {response.status}" + (f": {snippet}" if snippet else ""))
