"""The candidate import as a task: asked for by an officer's upload, run on the queue.

Why a task: a ULD's file may hold thousands of candidates, each checked as a form would be and
written with its consent; on a worker that does not hold a web process for minutes. The check
and the all-or-nothing write are `candidate_import.import_candidates`, unchanged; this module
keeps the file (encrypted) until the task read it, and the outcome for the officer's page.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, undefer

from compliance.clock import utcnow
from compliance.integrations.queue import enqueue
from compliance.models.accounts import User
from compliance.models.candidate_imports import CandidateImport, CandidateImportStatus
from compliance.models.tenancy import Reach, reach_scope
from compliance.models.types import key_ring
from compliance.services import NotFound, ServiceError
from compliance.services.imports.reading import file_format
from compliance.services.imports.spec import RowError
from compliance.services.registry.candidate_import import ImportReport, import_candidates
from compliance.services.registry.candidates import officer_regencies


class _Refused(Exception):
    """The file has errors: leave the savepoint, and with it everything the check wrote."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__()
        self.report = report


def request_candidate_import(
    session: Session, actor: User, filename: str, content: bytes
) -> CandidateImport:
    """Keep the upload and queue its import; what can be refused at once is (role, format)."""
    officer_regencies(actor)
    file_format(filename, content)
    upload = CandidateImport(
        requested_by_id=actor.id,
        filename=filename[:255],
        content=key_ring().encrypt(content),
    )
    session.add(upload)
    session.flush()
    enqueue(session, "import_candidates", import_id=upload.id)
    return upload


def run_candidate_import(session: Session, import_id: int) -> None:
    """The task's work: check the file and write it whole, or keep its errors. The caller
    commits; a second run of the same task finds the import done and does nothing."""
    upload = session.get(CandidateImport, import_id, options=[undefer(CandidateImport.content)])
    if upload is None or upload.status is not CandidateImportStatus.CHECKING:
        return
    with reach_scope(session, Reach.for_everything()):  # who asked: a worker has no user
        actor = session.get(User, upload.requested_by_id)
    if actor is None or upload.content is None:
        return
    content = key_ring().decrypt(upload.content)
    try:
        with session.begin_nested(), reach_scope(session, actor.reach()):
            report = import_candidates(session, actor, upload.filename, content)
            if not report.is_clean:
                raise _Refused(report)
    except _Refused as refused:
        report = refused.report
    except ServiceError as refusal:  # the officer lost the region meanwhile, for example
        error = RowError(0, "", "service", {"text": refusal.message})
        report = ImportReport(0, 0, [error], 1)
    upload.rows, upload.created, upload.error_count = (
        report.rows,
        report.created,
        report.error_count,
    )
    upload.errors = [error.as_json() for error in report.errors]
    upload.status = (
        CandidateImportStatus.IMPORTED if report.is_clean else CandidateImportStatus.REFUSED
    )
    upload.content, upload.finished_at = None, utcnow()
    session.flush()


def get_candidate_import(session: Session, actor: User, import_id: int) -> CandidateImport:
    """The officer's own upload (404 for anyone else's, as for a missing one)."""
    upload = session.get(CandidateImport, import_id)
    if upload is None or upload.requested_by_id != actor.id:
        raise NotFound("no such import")
    return upload
