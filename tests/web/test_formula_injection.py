"""Formula injection: a name typed as a spreadsheet formula stays text in every workbook we write.

XlsxWriter turns text starting with "=" into a formula and "http://..." into a link unless told
not to; an organisation, establishment or employee named =HYPERLINK(...) would then become a live
link in a receipt, an evidence pack or an import template (the admin summary holds only
aggregates and region names from reference data).
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from compliance.models import Establishment, Role, User
from compliance.services.inspections.evidence_pack import build_pack
from tests.support.clock import last_year
from tests.support.declarations import fill_recent, submit_year
from tests.support.roster import make_employee
from tests.support.web import login

HOSTILE = '=HYPERLINK("http://evil.example/steal","Klik di sini")'
_FORMULA = re.compile(rb"<f[ >]")


def formulas_and_links(workbook: bytes) -> list[str]:
    """Every worksheet of `workbook` that holds a formula or a hyperlink."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
            and (_FORMULA.search(archive.read(name)) or b"<hyperlink" in archive.read(name))
        ]


def holds_text(workbook: bytes, text: str) -> bool:
    spellings = {text, text.replace('"', "&quot;")}  # XML text may or may not escape quotes
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return any(
            spelling.encode() in archive.read(name)
            for name in archive.namelist()
            for spelling in spellings
        )


@pytest.fixture
def hostile(factory):
    """An organisation, its establishment and an employee all named like a formula, filed."""
    org = factory.org(name=HOSTILE, regency="31.71")
    with factory.session() as session:
        session.get(Establishment, org.establishment_ids[0]).name = HOSTILE
    make_employee(factory, org.id, name=HOSTILE, details=True)
    fill_recent(factory, org.id, {org.establishment_ids[0]: 150})
    return org, submit_year(factory, org.id)


def test_the_receipt_keeps_a_formula_name_as_text(client, hostile):
    org, declaration_id = hostile
    login(client, org.hr_email)
    workbook = client.get(f"/declarations/{declaration_id}/receipt.xlsx").data
    assert holds_text(workbook, HOSTILE)
    assert formulas_and_links(workbook) == []


def test_the_import_template_keeps_a_formula_name_as_text(client, hostile):
    org, _ = hostile
    login(client, org.hr_email)
    workbook = client.get("/imports/template?kind=figures&format=xlsx").data
    assert holds_text(workbook, HOSTILE)
    assert formulas_and_links(workbook) == []


def test_the_evidence_pack_workbook_keeps_formula_names_as_text(app, factory, hostile):
    org, _ = hostile
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    with app.test_request_context(), factory.session() as session:
        actor = session.get(User, inspector.id)
        pack = build_pack(
            session, actor, org.id, last_year(), include_names=True, reason="Nota 1/2026"
        )
    with zipfile.ZipFile(io.BytesIO(pack.data)) as archive:
        workbook = archive.read("bukti.xlsx")
    assert holds_text(workbook, HOSTILE)
    assert formulas_and_links(workbook) == []
