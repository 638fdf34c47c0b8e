"""Mail jobs: try refused messages again (in-process queue), and forget delivered ones."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from compliance.integrations.queue import InProcessQueue, queue_of
from compliance.jobs.runner import RunCounts
from compliance.services import outbox


def retry_mail(session: Session, now: datetime, counts: RunCounts) -> None:
    """Deliver the messages whose back-off has passed, one commit each.

    With procrastinate, the workers retry on their own and this job has nothing to do; with the
    in-process queue (no workers), this is the retry."""
    if not isinstance(queue_of(current_app), InProcessQueue):
        return
    for mail_id in outbox.due_for_retry(session, now):
        outcome = outbox.deliver(session, mail_id, now)
        session.commit()
        counts.processed += 1
        counts.changed += outcome is outbox.Delivery.SENT
        counts.failed += outcome is outbox.Delivery.GAVE_UP


def forget_delivered_mail(session: Session, now: datetime) -> int:
    return outbox.delete_old_mail(session, now)
