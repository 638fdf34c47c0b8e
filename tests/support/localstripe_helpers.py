"""Billing test helpers: headcounts, locally signed Stripe events, and the localstripe server."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from compliance.models import Establishment, WorkforceFigure
from compliance.quota import EmploymentType
from tests.support.factories import Factory

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK_SECRET = "whsec_test_secret"
API_KEY = "sk_test_kuota"
_ids = itertools.count(1)


def set_headcount(factory: Factory, organization_id: int, workers: int) -> None:
    """Record `workers` permanent workers at the head office in October 2026."""
    with factory.session() as session:
        head_office = session.scalar(
            select(Establishment.id).where(
                Establishment.organization_id == organization_id, Establishment.is_head_office
            )
        )
        session.add(
            WorkforceFigure(
                organization_id=organization_id,
                establishment_id=head_office,
                month=date(2026, 10, 1),
                employment_type=EmploymentType.PERMANENT,
                headcount=workers,
            )
        )


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header, made as Stripe makes it."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def event(kind: str, obj: dict[str, Any], *, created: int, event_id: str | None = None) -> bytes:
    body = {
        "id": event_id or f"evt_test_{next(_ids)}",
        "object": "event",
        "type": kind,
        "created": created,
        "livemode": False,
        "data": {"object": obj},
    }
    return json.dumps(body).encode()


def post_event(client: FlaskClient, payload: bytes, signature: str | None = None) -> TestResponse:
    headers = {"Stripe-Signature": signature if signature is not None else sign(payload)}
    return client.post(
        "/billing/webhook", data=payload, headers=headers, content_type="application/json"
    )


def subscription(customer: str, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": extra.pop("id", "sub_test_1"),
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": False,
        "metadata": {"plan": "medium", "interval": "month"},
        "items": {"data": [{"current_period_end": 1_800_000_000}]},
        **extra,
    }


# --- the fake Stripe server ------------------------------------------------------------------


def localstripe_port() -> int:
    """scripts/test runs one fake per test run (SQLite and PostgreSQL run side by side)."""
    return int(os.environ.get("LOCALSTRIPE_PORT", "8420"))


def localstripe_answers(port: int | None = None) -> bool:
    port = port or localstripe_port()
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def stop_localstripe() -> None:
    subprocess.run([str(ROOT / "scripts" / "localstripe"), "stop"], check=True)


def start_localstripe() -> str:
    """Start scripts/localstripe (idempotent) and return its base URL."""
    out = subprocess.run(
        [str(ROOT / "scripts" / "localstripe")], check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def register_webhook(base: str, url: str, secret: str = WEBHOOK_SECRET) -> None:
    """Point localstripe's webhook (one fixed id, so each test replaces the last) at `url`."""
    data = urllib.parse.urlencode({"url": url, "secret": secret}).encode()
    url = f"{base}/_config/webhooks/kuota_tests"
    urllib.request.urlopen(url, data=data, timeout=5).close()  # noqa: S310  (loopback)
