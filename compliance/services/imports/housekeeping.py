"""Ending imports whose worker died, and deleting uploads nobody confirmed.

An upload nobody confirms (checked, then forgotten) would keep its personal data for ever:
after `UNCONFIRMED_FOR` it is deleted and its import discarded (`expire_unconfirmed_imports`),
with an audit event in the organisation's history saying so, never what the file held.

A restart or a crash must not leave "importing" forever either.

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

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from compliance.models.imports import ImportJob, ImportStatus
from compliance.services.audit import record_event
from compliance.services.imports import delete_upload, mark_failed

STALLED_AFTER = timedelta(minutes=15)
UNCONFIRMED_FOR = timedelta(hours=24)


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


def expire_unconfirmed_imports(session: Session, now: datetime) -> int:
    """Discard checked imports left unconfirmed since `now - UNCONFIRMED_FOR` and delete their
    uploads (and any other upload kept that long, as an invalid file's); how many."""
    stale = session.scalars(
        select(ImportJob)
        .where(
            ImportJob.updated_at < now - UNCONFIRMED_FOR,
            or_(ImportJob.file_id.is_not(None), ImportJob.stored_path.is_not(None)),
            ImportJob.status.not_in([ImportStatus.VALIDATING, ImportStatus.IMPORTING]),
        )
        .order_by(ImportJob.id)
    ).all()
    for job in stale:
        if job.status is ImportStatus.READY:
            job.status = ImportStatus.DISCARDED
            job.finished_at = now
        delete_upload(job)
        # In the organisation's history; the kind of file only, nothing it held.
        record_event(
            session,
            None,
            "import.upload_expired",
            job,
            organization_id=job.organization_id,
            data={"kind": job.kind.value},
        )
    session.flush()
    return len(stale)
