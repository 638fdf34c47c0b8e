"""Exports prepared by a task: asked for in a request, built in the background, downloaded by
the person who asked, deleted a day later.

Why: an evidence pack of an organisation with thousands of employees takes longer than a
request should (and a national workbook more so); on several machines a worker builds it while
the page says so. The request checks what it can at once (role, the reason for names), so a
refusal still shows on the form; the task builds the file with the same services as before,
as the person who asked and within their reach, and an export that fails says why in words.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.integrations.queue import enqueue
from compliance.models.accounts import Role, User
from compliance.models.exports import Export, ExportKind, ExportStatus
from compliance.models.tenancy import Reach, reach_scope
from compliance.models.types import key_ring
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.inspections.evidence_pack import build_pack
from compliance.services.inspections.organization import check_inspector, checked_reason
from compliance.services.inspections.rollup import export_xlsx, national, province_board

#: A prepared file waits this long for its download (personal files expire).
KEEP = timedelta(days=1)
ZIP = "application/zip"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def request_evidence_pack(
    session: Session,
    actor: User,
    organization_id: int,
    year: int,
    *,
    include_names: bool,
    reason: str | None,
) -> Export:
    check_inspector(actor)
    cleaned = checked_reason(reason) if include_names else None
    return _request(
        session,
        actor,
        ExportKind.EVIDENCE_PACK,
        {
            "organization_id": organization_id,
            "year": year,
            "include_names": include_names,
            "reason": cleaned,
        },
    )


def request_compliance_summary(session: Session, actor: User, province_code: str | None) -> Export:
    if actor.role is not Role.ADMIN:
        raise PermissionDenied("only administrators export the national summary")
    return _request(session, actor, ExportKind.COMPLIANCE_SUMMARY, {"province": province_code})


def _request(session: Session, actor: User, kind: ExportKind, parameters: dict[str, Any]) -> Export:
    export = Export(
        kind=kind,
        requested_by_id=actor.id,
        parameters=parameters,
        expires_at=utcnow() + KEEP,
    )
    session.add(export)
    session.flush()
    enqueue(session, "build_export", export_id=export.id)
    return export


def build_export(session: Session, export_id: int) -> None:
    """The task's work: build the file as the person who asked; the caller commits."""
    export = session.get(Export, export_id)
    if export is None or export.status is not ExportStatus.PREPARING:
        return  # built already (a task run twice), or expired and deleted
    with reach_scope(session, Reach.for_everything()):  # who asked: a worker has no user
        actor = session.get(User, export.requested_by_id)
    if actor is None:
        return
    try:
        with session.begin_nested(), reach_scope(session, actor.reach()):
            filename, mimetype, data = _make(session, actor, export)
    except ServiceError as refusal:  # nothing the attempt wrote stays (its savepoint)
        export.status, export.error = ExportStatus.FAILED, refusal.message[:500]
    else:
        export.filename, export.mimetype = filename, mimetype
        export.content = key_ring().encrypt(data)
        export.status = ExportStatus.READY
    export.finished_at = utcnow()
    session.flush()


def _make(session: Session, actor: User, export: Export) -> tuple[str, str, bytes]:
    p = export.parameters
    if export.kind is ExportKind.EVIDENCE_PACK:
        pack = build_pack(
            session,
            actor,
            int(p["organization_id"]),
            int(p["year"]),
            include_names=bool(p["include_names"]),
            reason=p["reason"],
        )
        return pack.filename, ZIP, pack.data
    code = p.get("province")
    board = province_board(session, code) if code else None
    data = export_xlsx(session, actor, national(session), board, code)
    return f"ringkasan-kuota-{code or 'nasional'}.xlsx", XLSX, data


def get_export(session: Session, actor: User, export_id: int) -> Export:
    """The export, for the person who asked only, until it expires (404 otherwise: another
    person's export and a missing one look the same)."""
    export = session.get(Export, export_id)
    if export is None or export.requested_by_id != actor.id or export.expires_at <= utcnow():
        raise NotFound("no such export")
    return export


def export_file(session: Session, actor: User, export_id: int) -> tuple[Export, bytes]:
    export = get_export(session, actor, export_id)
    if export.status is not ExportStatus.READY:
        raise NotFound("the export is not ready")
    token = session.scalar(select(Export.content).where(Export.id == export.id))
    assert token is not None
    return export, key_ring().decrypt(token)


def delete_expired_exports(session: Session, now: datetime) -> int:
    result = session.execute(delete(Export).where(Export.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)
