"""Delivering webhook events: one attempt at a time, in order per endpoint, with back-off.

**Order.** An endpoint's events leave in the order they happened: a worker first claims the
endpoint's *lane* (`claim_lane`, a conditional UPDATE that only one transaction can win, on
SQLite and PostgreSQL alike), then sends its pending deliveries oldest first and stops at the
first one that fails: the later ones wait while the earlier one is retried. A delivery given up
(`dead`) no longer holds the lane back; "send again" puts it back in the queue, ahead of the
pending ones, so it may arrive after events that happened later (the payload's `created_at`
tells the receiver).

**Back-off.** After a failed attempt the next waits `BACKOFF[attempts - 1]` (5 s, 25 s, 2 min,
10 min, 1 h, 6 h): a receiver may be down for about seven hours before the event is given
up. The retries are ours, not the queue's: a scheduled job (`webhook_retries`) works the lanes
with a delivery due, so order and back-off are the same on the in-process queue and on
procrastinate workers.

A lane's claim expires after `LANE_SECONDS`, so a worker killed mid-delivery blocks its
endpoint for two minutes at most; the claim is renewed before every attempt, each of which
ends within about twenty seconds (`integrations.webhooks`: 3 s to connect, 15 s in all).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from enum import Enum

from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, joinedload

from compliance.clock import as_utc
from compliance.integrations import webhooks as http
from compliance.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from compliance.services.webhooks import signing

log = logging.getLogger(__name__)
#: The wait after the n-th failed attempt; one attempt more than waits, then the event is dead.
BACKOFF = (
    timedelta(seconds=5),
    timedelta(seconds=25),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
LANE_SECONDS = 120
#: The delivery log is kept this long (long enough to look into a month's problem).
KEEP_LOG = timedelta(days=30)
USER_AGENT = "KuotaInklusi-Webhooks/1"


class Outcome(Enum):
    DELIVERED = "delivered"
    RETRY = "retry"
    GAVE_UP = "gave_up"


def allow_loopback() -> bool:
    """http on 127.0.0.1/localhost is allowed only when developing or testing."""
    return bool(current_app.debug or current_app.testing)


def claim_lane(session: Session, endpoint_id: int, now: datetime) -> bool:
    """Take (or renew) the endpoint's lane until `now + LANE_SECONDS`; False when another
    worker holds it. The caller commits at once, so the claim is seen by the others."""
    result = session.execute(
        update(WebhookEndpoint)
        .where(
            WebhookEndpoint.id == endpoint_id,
            or_(
                WebhookEndpoint.delivering_until.is_(None),
                WebhookEndpoint.delivering_until < now,
            ),
        )
        .values(delivering_until=now + timedelta(seconds=LANE_SECONDS))
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def renew_lane(session: Session, endpoint_id: int, now: datetime) -> None:
    session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id)
        .values(delivering_until=now + timedelta(seconds=LANE_SECONDS))
        .execution_options(synchronize_session=False)
    )


def release_lane(session: Session, endpoint_id: int) -> None:
    session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id)
        .values(delivering_until=None)
        .execution_options(synchronize_session=False)
    )


def next_due(session: Session, endpoint_id: int, now: datetime) -> WebhookDelivery | None:
    """The endpoint's oldest pending delivery if it may be tried now; None when there is none,
    when the endpoint is disabled, or when the oldest is still waiting out its back-off (the
    later ones wait behind it)."""
    oldest = session.scalar(
        select(WebhookDelivery)
        .join(WebhookDelivery.endpoint)
        .where(
            WebhookDelivery.endpoint_id == endpoint_id,
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookEndpoint.is_active.is_(True),
        )
        .order_by(WebhookDelivery.id)
        .limit(1)
        .options(joinedload(WebhookDelivery.endpoint))
    )
    if oldest is None or (oldest.next_attempt_at is not None and oldest.next_attempt_at > now):
        return None
    return oldest


def attempt(session: Session, delivery: WebhookDelivery, now: datetime) -> Outcome:
    """Send `delivery` once, signed now, and record how it went; the caller commits."""
    endpoint = delivery.endpoint
    payload = delivery.payload.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.SIGNATURE_HEADER: signing.signature(endpoint.secret, _unix(now), payload),
        signing.EVENT_ID_HEADER: delivery.event_id,
        signing.EVENT_TYPE_HEADER: delivery.event_type,
    }
    answer = http.post(endpoint.url, payload, headers, allow_loopback=allow_loopback())
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = answer.status
    if answer.ok:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
        delivery.last_error = delivery.next_attempt_at = None
        return Outcome.DELIVERED
    delivery.last_error = answer.error[:300]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.DEAD, None
        log.warning(
            "webhook given up",
            extra={"delivery_id": delivery.id, "endpoint_id": endpoint.id, "error": answer.error},
        )
        return Outcome.GAVE_UP
    delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    return Outcome.RETRY


def _unix(instant: datetime) -> int:
    """A stored (naive UTC) instant as Unix seconds."""
    return int(as_utc(instant).timestamp())


def lanes_due(session: Session, now: datetime) -> list[int]:
    """Active endpoints with a pending delivery that may be tried now (a retry whose back-off
    has passed, or an event whose task was lost), for the `webhook_retries` job."""
    rows = session.scalars(
        select(WebhookDelivery.endpoint_id)
        .join(WebhookDelivery.endpoint)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookEndpoint.is_active.is_(True),
            or_(WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at <= now),
        )
        .distinct()
        .order_by(WebhookDelivery.endpoint_id)
    )
    return list(rows)


def forget_old_deliveries(session: Session, now: datetime) -> int:
    """Delete deliveries older than `KEEP_LOG` that are over (delivered or dead)."""
    result = session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.status != DeliveryStatus.PENDING,
            WebhookDelivery.created_at < now - KEEP_LOG,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
