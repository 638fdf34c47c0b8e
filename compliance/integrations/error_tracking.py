"""Error tracking with Sentry, when `SENTRY_DSN` is set; nothing at all otherwise.

An error report must not carry the personal data the error happened near: a roster upload, a
name typed in a form, disability categories in a local variable. So the SDK is told to send no
personal data (its default, kept), no local variables and no request bodies, and every
event passes `scrub` before it leaves: request data, cookies, headers other than a few harmless
ones, the query string and the user are dropped, and breadcrumbs keep their category only.
What remains says where it broke (the exception, its stack of file names and lines, the route).
"""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.flask import FlaskIntegration

from compliance.config import Config

#: Request headers an error report may keep.
KEPT_HEADERS = {"User-Agent", "Accept-Language", "Content-Type", "Content-Length"}


def scrub(event: dict[str, Any], _hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """The event without personal data (see the module docstring)."""
    request = event.get("request")
    if isinstance(request, dict):
        headers = request.get("headers") or {}
        event["request"] = {
            "method": request.get("method"),
            "url": str(request.get("url", "")).split("?", 1)[0],
            "headers": {k: v for k, v in dict(headers).items() if k in KEPT_HEADERS},
        }
    event.pop("user", None)
    event.pop("extra", None)
    crumbs = event.get("breadcrumbs")
    if isinstance(crumbs, dict) and isinstance(crumbs.get("values"), list):
        crumbs["values"] = [
            {
                "category": c.get("category"),
                "timestamp": c.get("timestamp"),
                "level": c.get("level"),
            }
            for c in crumbs["values"]
            if isinstance(c, dict)
        ]
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    return event


def init_error_tracking(config: Config) -> None:
    if not config.sentry_dsn:
        return
    sentry_sdk.init(
        dsn=config.sentry_dsn,
        environment=config.sentry_environment,
        integrations=[FlaskIntegration()],
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub,  # type: ignore[arg-type]
        before_send_transaction=scrub,  # type: ignore[arg-type]
        traces_sample_rate=0.0,
    )
