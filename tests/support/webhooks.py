"""A webhook receiver on loopback: a real HTTP server in a thread, as a customer would run.

It answers `refuse` requests with 503 and then 200, and keeps what it received (the raw body
and headers) so a test can check signatures and order the way a receiver would.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    port: int = 0
    refuse: int = 0
    refused: int = 0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hooks/kuota") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def types(self) -> list[str]:
        return [r.json["type"] for r in self.received]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with receiver.lock:
                if receiver.refused < receiver.refuse:
                    receiver.refused += 1
                    status, answer = 503, b"busy, try later"
                else:
                    receiver.received.append(Received(self.path, dict(self.headers), body))
                    status, answer = 200, b"ok"
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: pytest shows stderr of failed tests only, and this is noise there."""

    return Handler


@contextmanager
def running_receiver(refuse: int = 0) -> Iterator[Receiver]:
    receiver = Receiver(refuse=refuse)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="webhook-receiver", daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
