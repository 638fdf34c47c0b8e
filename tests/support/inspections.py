"""Builders for inspection tests: a case at nota pemeriksaan I, written directly."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select

from compliance.models.inspections import CaseEvent, CaseEventKind, CaseStage, InspectionCase
from compliance.models.letters import CaseLetter, LetterKind
from tests.support.clock import today
from tests.support.factories import Factory


def make_case(factory: Factory, organization_id: int, finding: str = "Kurang 2 orang") -> int:
    deadline = today() + timedelta(days=42)
    with factory.session() as session:
        case = InspectionCase(
            organization_id=organization_id,
            finding=finding,
            stage=CaseStage.NOTA_1,
            deadline_on=deadline,
        )
        case.events.append(
            CaseEvent(
                organization_id=organization_id,
                kind=CaseEventKind.OPENED,
                note=finding,
                deadline_on=deadline,
                actor_label="inspector",
            )
        )
        session.add(case)
        session.flush()
        return case.id


def make_attachment(factory: Factory, case_id: int, data: bytes = b"%PDF-1.4\n") -> int:
    """A response with one attached PDF (file and row) on `case_id`."""
    from compliance.models.files import FilePurpose
    from compliance.models.inspections import CaseAttachment
    from compliance.services.stored_files import store_file

    with factory.session() as session:
        case = session.get(InspectionCase, case_id)
        event = CaseEvent(
            organization_id=case.organization_id,
            kind=CaseEventKind.RESPONSE,
            note="Terlampir",
            actor_label="hr",
        )
        case.events.append(event)
        stored = store_file(session, case.organization_id, FilePurpose.CASE_ATTACHMENT, data)
        event.attachments.append(
            CaseAttachment(
                organization_id=case.organization_id,
                filename="rahasia.pdf",
                file_id=stored.id,
                content_type="application/pdf",
                size=len(data),
                sha256=stored.sha256,
            )
        )
        session.flush()
        return event.attachments[0].id


def inspection_world(factory: Factory, organization_id: int) -> dict[str, int]:
    """URL parameters of the inspection routes naming `organization_id`'s objects."""
    case_id = make_case(factory, organization_id)
    with factory.session() as session:
        # The case's nota pemeriksaan I letter (a stand-in PDF: only who may read it matters).
        event_id = session.scalar(select(CaseEvent.id).where(CaseEvent.case_id == case_id))
        content = b"%PDF-1.4 nota rahasia"
        letter = CaseLetter(
            organization_id=organization_id,
            case_id=case_id,
            event_id=event_id,
            kind=LetterKind.NOTA_1,
            number=f"TEST/{case_id}",
            province_code="35",
            year=today().year,
            seq=case_id,
            filename="nota-1.pdf",
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            content=content,
        )
        session.add(letter)
        session.flush()
        letter_id = letter.id
    return {
        "case_id": case_id,
        "attachment_id": make_attachment(factory, case_id),
        "letter_id": letter_id,
    }
