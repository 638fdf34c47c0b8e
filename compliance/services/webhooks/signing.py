"""Webhook signatures, in Stripe's scheme: `Kuota-Signature: t=<unix time>,v1=<hex HMAC>`.

The HMAC-SHA256, under the endpoint's secret, covers `"<t>.<body>"`: the receiver recomputes
it over the raw body it received (before parsing the JSON), compares in constant time, and
refuses a `t` more than `TOLERANCE_SECONDS` away from its own clock, so a captured request
cannot be replayed later. Each attempt is signed afresh with its own `t`. `verify` is the
reference a receiver can copy (the README shows it; the tests' receiver uses it).
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "Kuota-Signature"
EVENT_ID_HEADER = "Kuota-Event-Id"
EVENT_TYPE_HEADER = "Kuota-Event-Type"
TOLERANCE_SECONDS = 300


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Kuota-Signature` value for `body` sent at `timestamp` (Unix seconds)."""
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def verify(
    secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """Whether `header` signs `body` with `secret`, within `tolerance` seconds of `now`.

    Several `v1=` values may appear (a receiver rotating secrets checks each); any may match."""
    parts = [item.split("=", 1) for item in header.split(",") if "=" in item]
    stamps = [value for key, value in parts if key.strip() == "t"]
    macs = [value.strip() for key, value in parts if key.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not macs:
        return False
    timestamp = int(stamps[0])
    if abs(now - timestamp) > tolerance:
        return False
    expected = _mac(secret, timestamp, body)
    return any(hmac.compare_digest(expected, mac) for mac in macs)
