"""Stopping a background import the user discarded: the worker reads its job again per batch.

A discard is only a status change made by a web request; a worker on another thread or
machine learns of it by reading the job's row. It does so before every commit, inside the
transaction about to be committed and with the row locked (`FOR UPDATE` on PostgreSQL; SQLite
serialises writers anyway). A discard committed first is seen, and the batch in hand is rolled
back with the rest of the transaction; a discard arriving later waits for that commit and then
reads the count it made. So nothing is written after a discard, and the number of saved rows
the user is shown is exactly what was saved.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.imports import ImportJob


class ImportStopped(Exception):
    """The job is no longer running (the user discarded it, or housekeeping ended it).

    Not an error: the worker rolls back what it had not committed yet and leaves the job as
    it is, without marking it failed.
    """


def ensure_running(session: Session, job: ImportJob) -> None:
    """Raise `ImportStopped` unless the stored job is still validating or importing.

    Reads the status column itself, not the `job` object the worker holds, which still says
    what the job was when the worker loaded it.
    """
    status = session.scalar(
        select(ImportJob.status).where(ImportJob.id == job.id).with_for_update()
    )
    if status is None or not status.is_running:
        raise ImportStopped(f"import {job.id} is {status}, no longer running")
