"""Ending imports whose worker died: a restart or a crash must not leave "importing" forever.

The background runner records progress after every batch (`ImportJob.updated_at` moves), and
validation of the largest accepted file takes seconds. A running job untouched for
`STALLED_AFTER` has no worker any more; it is marked failed with a message saying that importing
the same file again completes it, which is true because the write is an idempotent upsert. Run
by the scheduled jobs process (`flask jobs run`). The user need not wait for it: a running
import can be discarded at once (`discard_import`). A worker that was only slow, not dead, finds
its job ended before its next commit and stops without writing more (`running`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.imports import ImportJob, ImportStatus
from compliance.services.imports import mark_failed

STALLED_AFTER = timedelta(minutes=15)


def fail_stalled_imports(session: Session, now: datetime) -> int:
    """Mark running imports without progress since `now - STALLED_AFTER` failed; how many."""
    stalled = session.scalars(
        select(ImportJob).where(
            ImportJob.status.in_([ImportStatus.VALIDATING, ImportStatus.IMPORTING]),
            ImportJob.updated_at < now - STALLED_AFTER,
        )
    ).all()
    for job in stalled:
        mark_failed(job, "interrupted")
    session.flush()
    return len(stalled)
