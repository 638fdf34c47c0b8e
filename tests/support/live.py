"""The test app served on loopback by werkzeug in a thread of this process, for tests that
talk to it over real HTTP (the browser, the API client written from the OpenAPI document).

pytest-flask's own `live_server` forks, which breaks PostgreSQL connection pools and cannot
see the test's data in an in-memory database; a thread shares both."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from flask import Flask
from werkzeug.serving import make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def buffered(app: WSGIApplication) -> WSGIApplication:
    """`app` with each response body read whole and its iterator closed at once.

    werkzeug's development server closes a response's iterator after draining the request
    socket; when the browser has already dropped the connection (it cancels font requests it
    no longer needs), that read raises first and the iterator, a static file's handle, is never
    closed: a ResourceWarning, which the suite treats as an error. Test pages are small."""

    def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return serve


@contextmanager
def serving(app: Flask, port: int = 0) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (`port`, or a free one) while the block runs; yields its URL."""
    server = make_server("127.0.0.1", port, buffered(app), threaded=True)
    # A short poll interval: shutdown() waits for the serving loop's next poll.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
