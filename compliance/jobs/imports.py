"""Background tasks of the bulk import: validate a large upload, write a confirmed one.

Each task takes only the job id (so a real task library can run it elsewhere), scopes the
session to the job's organisation, calls the import services and commits. A crash marks the
job `failed` in a fresh transaction, so the page stops showing progress and says so. A job the
user discarded while it ran (`ImportStopped`, raised before the next commit) just ends: it is
already discarded, and what it committed before stays.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import select

from compliance.extensions import db
from compliance.models.imports import ImportJob, ImportStatus
from compliance.models.tenancy import Reach, reach_scope
from compliance.services.imports import fail_import, run_import, validate_import
from compliance.services.imports.running import ImportStopped

log = logging.getLogger(__name__)


def _job(job_id: int) -> ImportJob | None:
    with reach_scope(db.session(), Reach.for_everything()):
        return db.session.scalar(select(ImportJob).where(ImportJob.id == job_id))


def validate_in_background(job_id: int) -> None:
    _guarded(job_id, ImportStatus.VALIDATING, lambda job: validate_import(db.session(), job))


def import_in_background(job_id: int) -> None:
    _guarded(
        job_id,
        ImportStatus.IMPORTING,
        lambda job: run_import(db.session(), job, checkpoint=db.session.commit),
    )


def _guarded(job_id: int, expected: ImportStatus, work: Callable[[ImportJob], object]) -> None:
    job = _job(job_id)
    if job is None or job.status is not expected:
        return
    organization_id = job.organization_id
    try:
        with _collector_paused(), reach_scope(db.session(), Reach(organization_id=organization_id)):
            work(job)
            db.session.commit()
    except ImportStopped:
        db.session.rollback()
        log.info("import %s stopped: discarded or ended while it ran", job_id)
    except Exception:
        db.session.rollback()
        job = _job(job_id)
        if job is not None and job.status.is_running:  # not one discarded meanwhile
            fail_import(db.session(), job)
            db.session.commit()
        raise


_pause_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large file is checked and written.

    A 100,000-row file makes a few million objects (cells, checked values, rows to write) that
    live until the task ends and hold no reference cycles; the collector still walks them again
    and again as they pile up, which more than doubled the time to check a file
    (bench/imports.py). Reference counting frees everything as usual meanwhile. The collector
    is process-wide: overlapping tasks count their pauses and the last one turns it back on.
    """
    global _pauses, _was_enabled  # one collector per process
    with _pause_lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
