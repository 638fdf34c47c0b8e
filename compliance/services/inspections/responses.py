"""The HR manager's response to a case: a note and documents, on the case's timeline.

Attachments are files under `instance/case_attachments/`, named by a random id (never the
uploaded name), limited in size and to PDF, PNG and JPEG recognised by their first bytes, not
by the name or the browser's claim. Downloading goes through `get_attachment`, which reads the
row within the session's reach: another organisation's attachment is simply not found.

`open_cases_for_organization` is what the HR manager's pages show of the cases still open:
each with its stage and the deadline the company is working to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.accounts import User
from compliance.models.files import FilePurpose
from compliance.models.inspections import CaseAttachment, CaseEventKind, CaseStage, InspectionCase
from compliance.models.organizations import Organization
from compliance.services import NotFound, ServiceError, settings
from compliance.services.audit import record_event
from compliance.services.inspections.cases import add_case_event, get_case
from compliance.services.inspections.review import MAX_MESSAGE
from compliance.services.policy import can_manage_organization, own_organization_id
from compliance.services.stored_files import read_file, store_file

MAX_FILES = 5
#: Magic bytes → content type: only formats a browser shows without running anything.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def legacy_attachment(attachment: CaseAttachment) -> Path | None:
    """Where an attachment sent before migration 0019 lies (the instance folder), if any."""
    if attachment.stored_name is None:
        return None
    return settings().instance_path / "case_attachments" / attachment.stored_name


def _content_type(upload: Upload) -> str:
    for magic, kind in SIGNATURES.items():
        if upload.data.startswith(magic):
            return kind
    raise ServiceError(
        _("%(name)s is not a PDF, PNG or JPEG file.", name=upload.filename), field="files"
    )


def _checked(uploads: list[Upload]) -> list[tuple[Upload, str]]:
    limit = settings().case_attachment_max_bytes
    if len(uploads) > MAX_FILES:
        raise ServiceError(_("Attach at most %(max)d files.", max=MAX_FILES), field="files")
    checked = []
    for upload in uploads:
        if len(upload.data) > limit:
            raise ServiceError(
                _(
                    "%(name)s is larger than %(max)d MB.",
                    name=upload.filename,
                    max=limit // (1024 * 1024),
                ),
                field="files",
            )
        checked.append((upload, _content_type(upload)))
    return checked


def respond_to_case(
    session: Session, actor: User, case_id: int, note: str | None, uploads: list[Upload]
) -> InspectionCase:
    case = get_case(session, case_id)
    if not can_manage_organization(actor, case.organization_id):
        raise NotFound(_("Case not found."))
    if case.stage is CaseStage.CLOSED:
        raise ServiceError(_("This case is closed."))
    text = (note or "").strip()
    if not text:
        raise ServiceError(_("Write a note for the inspector."), field="note")
    if len(text) > MAX_MESSAGE:
        raise ServiceError(_("Use at most %(max)d characters.", max=MAX_MESSAGE), field="note")
    checked = _checked(uploads)
    event = add_case_event(session, case, actor, CaseEventKind.RESPONSE, text)
    for upload, content_type in checked:
        stored = store_file(session, case.organization_id, FilePurpose.CASE_ATTACHMENT, upload.data)
        event.attachments.append(
            CaseAttachment(
                organization_id=case.organization_id,
                filename=Path(upload.filename).name[:255] or "attachment",
                file_id=stored.id,
                content_type=content_type,
                size=len(upload.data),
                sha256=hashlib.sha256(upload.data).hexdigest(),
            )
        )
    session.flush()
    record_event(
        session,
        actor,
        "inspection.case_response",
        case,
        organization_id=case.organization_id,
        data={"attachments": len(checked)},
    )
    return case


def get_attachment(session: Session, attachment_id: int) -> tuple[CaseAttachment, bytes]:
    """The attachment (within the session's reach) and its bytes."""
    attachment = session.scalar(select(CaseAttachment).where(CaseAttachment.id == attachment_id))
    if attachment is None:
        raise NotFound(_("File not found."))
    if attachment.file_id is not None:
        return attachment, read_file(session, attachment.file_id)
    legacy = legacy_attachment(attachment)
    if legacy is None or not legacy.is_file():
        raise NotFound(_("File not found."))
    return attachment, legacy.read_bytes()


def cases_of(session: Session, organization_id: int) -> list[InspectionCase]:
    return list(
        session.scalars(
            select(InspectionCase)
            .where(InspectionCase.organization_id == organization_id)
            .order_by(InspectionCase.id.desc())
        )
    )


@dataclass(frozen=True)
class OpenCase:
    """A case not yet closed, as the HR manager's pages list it."""

    id: int
    stage: CaseStage
    deadline_on: date | None
    #: Calendar days from the organisation's today to the deadline: negative once it passed,
    #: None without a deadline (referred for investigation). Calendar days, not working days:
    #: the deadline is a date, and "in 3 days" must read the same to everyone.
    days_left: int | None


def open_cases_for_organization(session: Session, actor: User) -> list[OpenCase]:
    """The actor's organisation's open cases, the nearest deadline first (then those without)."""
    organization_id = own_organization_id(actor, _("Only HR managers see their cases."))
    organization = session.get(Organization, organization_id)
    assert organization is not None  # the actor belongs to it
    today = organization.today()
    cases = session.scalars(
        select(InspectionCase)
        .where(InspectionCase.organization_id == organization_id)
        .where(InspectionCase.stage != CaseStage.CLOSED)
        .order_by(InspectionCase.id)
    )
    rows = [
        OpenCase(
            c.id,
            c.stage,
            c.deadline_on,
            (c.deadline_on - today).days if c.deadline_on is not None else None,
        )
        for c in cases
    ]
    return sorted(rows, key=lambda c: (c.deadline_on is None, c.deadline_on or date.min, c.id))
