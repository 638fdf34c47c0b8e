"""Security headers on every response, with a strict Content-Security-Policy.

Pages load scripts and styles only from our own origin (no inline code), so the policy needs no
`unsafe-inline`. HSTS is sent only when the site is served over HTTPS.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

from compliance.config import Config

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_security(app: Flask, config: Config) -> None:
    @app.before_request
    def _request_id() -> None:
        g.request_id = secrets.token_hex(8)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if config.cookie_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            # Pages and downloads (receipts, evidence packs, exports) can hold personal data:
            # never kept in any cache. send_file's own "no-cache" would still let it be stored.
            headers["Cache-Control"] = "no-store"
        return response
