"""Webhook jobs: work an endpoint's lane (the `deliver_webhook` task), retry the lanes whose
back-off has passed, and forget old deliveries.

`work_lane` commits after each attempt: a claim nobody else sees, or an outcome lost with a
crash, would send an event twice or out of order.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.integrations.queue import enqueue
from compliance.jobs.runner import RunCounts, fans_out
from compliance.models.tenancy import Reach, reach_scope
from compliance.services.webhooks import delivery


def work_lane(session: Session, endpoint_id: int, now: datetime | None = None) -> RunCounts:
    """Send the endpoint's due deliveries in order until one fails or none is due; nothing
    when another worker holds the lane (it sends ours too: it reads the lane until empty)."""
    counts = RunCounts()
    with reach_scope(session, Reach.for_everything()):
        claimed = delivery.claim_lane(session, endpoint_id, now or utcnow())
        session.commit()
        if not claimed:
            return counts
        try:
            while (due := delivery.next_due(session, endpoint_id, now or utcnow())) is not None:
                delivery.renew_lane(session, endpoint_id, now or utcnow())
                outcome = delivery.attempt(session, due, now or utcnow())
                session.commit()
                counts.processed += 1
                counts.changed += outcome is delivery.Outcome.DELIVERED
                counts.failed += outcome is delivery.Outcome.GAVE_UP
                if outcome is delivery.Outcome.RETRY:
                    break  # the later events wait behind this one
        finally:
            session.rollback()
            delivery.release_lane(session, endpoint_id)
            session.commit()
    return counts


def retry_webhooks(session: Session, now: datetime, counts: RunCounts) -> None:
    """Work every lane with a delivery due: in this process with the in-process queue, as
    `deliver_webhook` tasks on workers otherwise (a slow receiver must not hold the scheduler)."""
    with reach_scope(session, Reach.for_everything()):
        endpoint_ids = delivery.lanes_due(session, now)
    if fans_out():
        for endpoint_id in endpoint_ids:
            enqueue(session, "deliver_webhook", endpoint_id=endpoint_id)
        session.commit()
        counts.processed += len(endpoint_ids)
        return
    for endpoint_id in endpoint_ids:
        done = work_lane(session, endpoint_id, now)
        counts.processed += done.processed
        counts.changed += done.changed
        counts.failed += done.failed


def forget_old_deliveries(session: Session, now: datetime) -> int:
    return delivery.forget_old_deliveries(session, now)
