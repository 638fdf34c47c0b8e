"""Logging: readable text in development, one JSON object per line in production."""

from __future__ import annotations

import logging
import sys

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

from compliance.config import Config


class _RequestContextFilter(logging.Filter):
    """Adds the request's method, path and id to every record logged while serving it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.method = request.method
            record.path = request.path
            record.request_id = g.get("request_id", "")
        return True


def init_logging(app: Flask, config: Config) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if config.log_format == "json":
        handler.setFormatter(
            JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", timestamp=True)
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_RequestContextFilter())
    root = logging.getLogger("compliance")
    root.handlers[:] = [handler]
    root.setLevel(config.log_level)
    root.propagate = False
    app.logger.handlers[:] = [handler]
    app.logger.setLevel(config.log_level)
