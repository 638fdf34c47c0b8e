"""A filing followed by an inspection case, through the services, for the document tests:
a declaration submitted, corrected (with a reason) and submitted again, then a finding (nota
pemeriksaan I) and an escalation (nota II), each of which issues a letter."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import undefer

from compliance.models import Declaration, Role, User
from compliance.models.letters import CaseLetter, LetterKind
from compliance.services.declarations import correct_declaration, submit_declaration
from compliance.services.inspections.cases import escalate_case, open_case
from compliance.services.inspections.evidence_pack import build_pack
from compliance.services.receipts import receipt_pdf
from tests.support.clock import last_year
from tests.support.declarations import fill_year, hr_of, submit_year
from tests.support.factories import Factory, OrgRef, UserRef


@dataclass(frozen=True)
class Filed:
    org: OrgRef
    inspector: UserRef
    first_id: int
    declaration_id: int  # the correction, submitted: the one the case is about
    case_id: int


def file_and_inspect(
    factory: Factory,
    name: str,
    *,
    reason: str = "Koreksi: selisih −2 orang",
    finding: str = "Kurang −2 orang",
    inspector_name: str | None = None,
    inspector_nip: str | None = None,
    escalate: bool = True,
    regency: str = "31.71",
) -> Filed:
    org = factory.org(name=name, regency=regency)
    fill_year(factory, org.id, {org.establishment_ids[0]: 250})
    first_id = submit_year(factory, org.id)
    inspector = factory.user(Role.INSPECTOR, provinces=(regency[:2],))
    after = date(last_year() + 1, 1, 15)
    with _request(factory), factory.session() as session:
        hr = hr_of(session, org.id)
        draft = correct_declaration(session, hr, first_id, reason, today=after)
        submit_declaration(session, hr, draft.id, draft.revision, None, today=after)
        actor = session.get(User, inspector.id)
        if inspector_name:
            actor.name = inspector_name
        actor.nip = inspector_nip
        case = open_case(session, actor, draft.id, finding)
        if escalate:
            escalate_case(session, actor, case.id, None, reason="Perusahaan menolak")
        return Filed(org, inspector, first_id, draft.id, case.id)


def _request(factory: Factory):
    return factory.app.test_request_context(headers={"Accept-Language": "en"})


def receipt_of(factory: Factory, declaration_id: int) -> bytes:
    with factory.session() as session:
        return receipt_pdf(session.get(Declaration, declaration_id))


def letters_of(factory: Factory, case_id: int) -> dict[LetterKind, CaseLetter]:
    with factory.session() as session:
        letters = session.scalars(
            select(CaseLetter)
            .where(CaseLetter.case_id == case_id)
            .options(undefer(CaseLetter.content))
        ).all()
        for letter in letters:
            session.expunge(letter)
        return {letter.kind: letter for letter in letters}


def pack_files(factory: Factory, filed: Filed) -> dict[str, bytes]:
    with _request(factory), factory.session() as session:
        actor = session.get(User, filed.inspector.id)
        pack = build_pack(session, actor, filed.org.id, last_year())
    with zipfile.ZipFile(io.BytesIO(pack.data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
