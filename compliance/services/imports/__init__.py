"""Bulk import of the roster and the monthly figures: upload, validate all, confirm, write.

The life of an import (`ImportJob.status`): the upload is stored and validated (`validating`);
a file with any error is `invalid` and nothing is written; a clean file is `ready` and waits
for the user's confirmation; the write (`importing`) re-validates against the current data,
then upserts only what differs (`done`). One audit event per import carries the counts, never
personal data, and an import that changed nothing writes none.

Small files run inside the request; large ones are tasks on the queue
(`compliance.integrations.queue`), which commit after every batch so the progress is visible to
any web worker. That makes a crash mid-write leave part of a *validated* file applied, each
batch whole (a roster batch with its consent records); the upsert is idempotent, so importing
the same file again completes it. For the same reason the user may discard an import while it
runs: the committed batches stay, and the worker stops before its next commit (`running`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from compliance.clock import utcnow
from compliance.integrations.queue import enqueue
from compliance.models.accounts import User
from compliance.models.files import FilePurpose
from compliance.models.imports import ImportJob, ImportKind, ImportStatus
from compliance.services import NotFound, ServiceError, settings
from compliance.services.audit import record_event
from compliance.services.billing.plans import check_import_limit
from compliance.services.imports.checks import Errors
from compliance.services.imports.figure_rows import (
    FigureRow,
    WriteCounts,
    validate_figures,
    write_figures,
)
from compliance.services.imports.reading import Table, as_csv, file_format, read_table
from compliance.services.imports.roster_rows import RosterRow, validate_roster
from compliance.services.imports.roster_write import write_roster
from compliance.services.imports.running import ensure_running
from compliance.services.imports.spec import MAX_STORED_ERRORS
from compliance.services.paging import CursorPage, cursor_page
from compliance.services.policy import own_organization_id
from compliance.services.stored_files import delete_file, read_file, store_file

Checkpoint = Callable[[], None]


def _own_organization_id(actor: User) -> int:
    return own_organization_id(actor, _("Only HR managers can import data."))


def legacy_upload(job: ImportJob) -> Path | None:
    """Where an upload checked before migration 0019 lies (the instance folder), if any."""
    return settings().instance_path / job.stored_path if job.stored_path else None


def check_upload_size(size: int) -> None:
    """Refuse a file over IMPORT_MAX_BYTES, naming its real size (the caller reads only one
    byte past the limit, so it passes the size the upload declared, not what it read)."""
    limit = settings().import_max_bytes
    if size > limit:
        raise ServiceError(
            _(
                "The file is %(size)s MB; the largest file accepted is %(max)s MB. "
                "Split it into smaller files.",
                size=f"{size / 1_048_576:.1f}",
                max=f"{limit / 1_048_576:.1f}",
            ),
            field="file",
        )


def start_import(
    session: Session, actor: User, kind: ImportKind, filename: str, data: bytes
) -> ImportJob:
    """Store the upload and create its job; the caller then validates it (here or later)."""
    organization_id = _own_organization_id(actor)
    check_upload_size(len(data))
    if not data:
        raise ServiceError(_("The file is empty."), field="file")
    fmt = file_format(filename, data)
    # Read here to count the rows (which decides inline or background work) and to refuse an
    # unreadable file on the upload form itself. It is stored as the CSV of what was read,
    # which the later passes read several times faster than an XLSX workbook.
    table = read_table(data, fmt)
    total_rows = len(table.rows)
    check_import_limit(session, organization_id, total_rows)
    stored = store_file(
        session, organization_id, FilePurpose.IMPORT, data if fmt == "csv" else as_csv(table)
    )
    job = ImportJob(
        organization_id=organization_id,
        created_by_id=actor.id,
        kind=kind,
        status=ImportStatus.VALIDATING,
        filename=Path(filename).name[:255] or f"upload.{fmt}",
        file_format=fmt,
        file_id=stored.id,
        total_rows=total_rows,
    )
    session.add(job)
    session.flush()
    return job


def get_import(session: Session, actor: User, job_id: int) -> ImportJob:
    job = session.scalar(select(ImportJob).where(ImportJob.id == job_id))
    if job is None or job.organization_id != _own_organization_id(actor):
        raise NotFound(_("Import not found."))
    return job


def list_imports(session: Session, actor: User, limit: int = 20) -> list[ImportJob]:
    organization_id = _own_organization_id(actor)
    return list(
        session.scalars(
            select(ImportJob)
            .where(ImportJob.organization_id == organization_id)
            .order_by(ImportJob.id.desc())
            .limit(limit)
        )
    )


def imports_page(
    session: Session, actor: User, cursor: str | None, limit: int
) -> CursorPage[ImportJob]:
    """The organisation's imports in id order, one cursor page (the API)."""
    query = select(ImportJob).where(ImportJob.organization_id == _own_organization_id(actor))
    return cursor_page(session, query, ImportJob.id, cursor, limit)


def _table(session: Session, job: ImportJob) -> Table:
    # Uploads are stored as CSV; one stored on disk before that keeps its own format.
    legacy = legacy_upload(job)
    fmt = "xlsx" if legacy is not None and legacy.suffix == ".xlsx" else "csv"
    try:
        if job.file_id is not None:
            data = read_file(session, job.file_id)
        elif legacy is not None:
            data = legacy.read_bytes()
        else:
            raise NotFound("the upload is deleted")
    except (NotFound, FileNotFoundError):
        ensure_running(session, job)  # discarded since the worker loaded it: that deleted it
        raise
    return read_table(data, fmt)


def _validate(
    session: Session, job: ImportJob, table: Table
) -> tuple[list[RosterRow] | list[FigureRow], Errors]:
    errors = Errors(MAX_STORED_ERRORS)
    rows: list[RosterRow] | list[FigureRow]
    if job.kind is ImportKind.ROSTER:
        rows = validate_roster(session, job.organization_id, table, errors)
    else:
        rows = validate_figures(session, job.organization_id, table, errors)
    if not table.rows and not errors.count:
        errors.add(0, "", "no_rows")
    job.total_rows = len(table.rows)
    job.error_count = errors.count
    job.errors = [e.as_json() for e in errors.items]
    return rows, errors


def validate_import(session: Session, job: ImportJob) -> ImportJob:
    """Check every row; the job ends `ready` (clean) or `invalid` (with its errors)."""
    try:
        table = _table(session, job)
    except ServiceError as error:
        ensure_running(session, job)
        _fail(job, ImportStatus.INVALID, error.message)
        return job
    _, errors = _validate(session, job, table)
    ensure_running(session, job)  # a discard while checking must not be overwritten
    if errors.count:
        job.status = ImportStatus.INVALID
        delete_upload(job)
        job.finished_at = utcnow()
    else:
        job.status = ImportStatus.READY
    session.flush()
    return job


def confirm_import(session: Session, actor: User, job_id: int) -> ImportJob:
    """The user's go-ahead: only a clean, validated file can be written."""
    job = get_import(session, actor, job_id)
    if job.status is not ImportStatus.READY:
        raise ServiceError(_("This import cannot be confirmed any more."))
    job.status = ImportStatus.IMPORTING
    job.processed_rows = 0
    session.flush()
    return job


def discard_import(session: Session, actor: User, job_id: int) -> ImportJob:
    """Discard an import that is not written yet, or stop one at once while it runs.

    A running import's worker may be alive or dead; either way the job ends here. A live one
    finds out before its next commit (`running.ensure_running`) and stops; the batches it has
    committed stay (validated rows, each with its consent), and `processed_rows` says how many.
    """
    job = get_import(session, actor, job_id)
    if job.status.is_running:
        # Read again under the row lock: a worker committing a batch right now finishes
        # first, so `processed_rows` counts it, and a worker that just ended is not discarded.
        session.refresh(job, with_for_update=True)
    if job.status in (ImportStatus.READY, ImportStatus.VALIDATING, ImportStatus.IMPORTING):
        job.status = ImportStatus.DISCARDED
        job.finished_at = utcnow()
    delete_upload(job)
    session.flush()
    return job


def run_import(
    session: Session, job: ImportJob, checkpoint: Checkpoint | None = None
) -> WriteCounts:
    """Write a confirmed import. `checkpoint` runs after every batch (the background runner
    commits there, so the progress shows); a request passes nothing and commits once.

    Before each checkpoint and before the end, the job is read again: once it was discarded
    (or ended by housekeeping), `running.ImportStopped` is raised and nothing more is written.
    """
    assert job.status is ImportStatus.IMPORTING
    # Validated again: keeping the checked rows from the first pass (pickled beside the upload)
    # was measured slower than checking the file again, and this also catches what changed
    # meanwhile (a colleague closed an establishment, an employee withdrew consent...).
    rows, errors = _validate(session, job, _table(session, job))
    if errors.count:
        ensure_running(session, job)
        job.status = ImportStatus.INVALID
        delete_upload(job)
        job.finished_at = utcnow()
        session.flush()
        return WriteCounts(0, 0, 0)

    def progress(done: int) -> None:
        job.processed_rows = done
        session.flush()
        ensure_running(session, job)  # discarded meanwhile: this batch is not committed
        if checkpoint is not None:
            checkpoint()

    if job.kind is ImportKind.ROSTER:
        counts = write_roster(
            session, job.organization_id, job.created_by_id, cast(list[RosterRow], rows), progress
        )
    else:
        counts = write_figures(
            session, job.organization_id, job.created_by_id, cast(list[FigureRow], rows), progress
        )
    ensure_running(session, job)
    job.created_count, job.updated_count = counts.created, counts.updated
    job.unchanged_count, job.processed_rows = counts.unchanged, job.total_rows
    job.status, job.finished_at = ImportStatus.DONE, utcnow()
    delete_upload(job)
    if counts.created or counts.updated:
        actor = session.get(User, job.created_by_id) if job.created_by_id else None
        record_event(
            session,
            actor,
            f"import.{job.kind.value}_imported",
            job,
            organization_id=job.organization_id,
            data={
                "rows": job.total_rows,
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "format": job.file_format,
            },
        )
    session.flush()
    return counts


def fail_import(session: Session, job: ImportJob) -> None:
    """Mark a job that crashed (the runner logs the exception; the user sees a generic text)."""
    mark_failed(job, "failed")
    session.flush()


def mark_failed(job: ImportJob, code: str) -> None:
    """End `job` as failed with the message `code` from `spec.MESSAGES`."""
    _fail(job, ImportStatus.FAILED, "")
    job.errors = [{"row": 0, "column": "", "code": code, "params": {}}]


def _fail(job: ImportJob, status: ImportStatus, message: str) -> None:
    job.status = status
    job.error_count = max(job.error_count, 1)
    job.errors = [{"row": 0, "column": "", "code": "", "params": {"text": message}}]
    job.finished_at = utcnow()
    delete_upload(job)


def delete_upload(job: ImportJob) -> None:
    """The upload holds personal data: it is kept only while the import may still need it."""
    if job.file_id is not None:
        session = object_session(job)
        assert session is not None
        delete_file(session, job.file_id)
        job.file_id = None
    legacy = legacy_upload(job)
    if legacy is not None:
        legacy.unlink(missing_ok=True)
        job.stored_path = None


def runs_inline(job: ImportJob) -> bool:
    """Small files are checked and written inside the request; larger ones by a task."""
    return job.total_rows <= settings().import_inline_rows


def check_soon(session: Session, job: ImportJob) -> ImportJob:
    """Validate a new upload now when it is small, else queue the check (it runs once the
    job commits): the page and the API start imports alike."""
    if runs_inline(job):
        return validate_import(session, job)
    enqueue(session, "validate_import", job_id=job.id)
    return job


def write_soon(session: Session, actor: User, job_id: int) -> ImportJob:
    """Confirm and write: inside the request when small, else by a queued task."""
    job = confirm_import(session, actor, job_id)
    if runs_inline(job):
        run_import(session, job)
    if job.status is ImportStatus.IMPORTING:
        enqueue(session, "run_import", job_id=job.id)
    return job
