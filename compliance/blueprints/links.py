"""Links: absolute ones that leave the request (e-mails, documents, Stripe), and redirect
targets that come from the request (`?next=`).

They are built from `BASE_URL` only, never from the `Host` (or `X-Forwarded-Host`) the request
claims: otherwise anyone could ask for a password reset with a forged host and the real user
would receive a valid token on the attacker's site (host-header poisoning). Requests for an
unknown host are refused before they reach a view (`TRUSTED_HOSTS`, `Config.allowed_hosts`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import url_for

from compliance.services import settings


def external_url(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint, **values)` as an absolute link on `BASE_URL`."""
    return settings().base_url + url_for(endpoint, **values)


def safe_local_path(target: str | None, default: str) -> str:
    """`target` if it is a plain path on this site, else `default` (no open redirect).

    Browsers drop tabs and newlines and read "\\" as "/", so "/\t/evil.example" or
    "/\\evil.example" would leave the site: only a path without either, without a scheme or a
    host, and not starting with "//", is kept."""
    target = target or ""
    if not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(char.isspace() or ord(char) < 32 for char in target):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target
