"""Absolute links that leave the request: in e-mails, documents and redirects to Stripe.

They are built from `BASE_URL` only, never from the `Host` (or `X-Forwarded-Host`) the request
claims: otherwise anyone could ask for a password reset with a forged host and the real user
would receive a valid token on the attacker's site (host-header poisoning). Requests for an
unknown host are refused before they reach a view (`TRUSTED_HOSTS`, `Config.allowed_hosts`).
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from compliance.services import settings


def external_url(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint, **values)` as an absolute link on `BASE_URL`."""
    return settings().base_url + url_for(endpoint, **values)
