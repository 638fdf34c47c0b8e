"""The floor bench/web.py compares pages against: a plain WSGI hello-world, served by gunicorn
with the same settings as the product (`gunicorn --config deploy/gunicorn.conf.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

BODY = b"Hello, world!\n"


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]
