"""Admins' province and national summaries: the dashboard's figures rolled up, and as XLSX.

A province's figures are the inspector dashboard's, computed under that province's reach, so
an admin sees exactly what the province's inspectors see. The national table counts each
organisation once per province it has an establishment in (as each province's inspectors do).
Exports are audit events; people counts below five are printed as "<5" in the workbook too.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from compliance.clock import now
from compliance.labels import RECORD_LABELS, REVIEW_LABELS, SECTOR_LABELS
from compliance.models.accounts import User
from compliance.models.inspections import LATEST
from compliance.models.inspections import ComplianceCount as C
from compliance.models.inspections import ComplianceTotal as T
from compliance.models.regions import Province
from compliance.models.tenancy import Reach, reach_scope
from compliance.services.audit import record_event
from compliance.services.documents import new_workbook
from compliance.services.inspections.dashboard import (
    Dashboard,
    dashboard,
    every_ranked,
    overdue_clause,
    suppressed,
)
from compliance.services.inspections.filters import DashboardFilters


@dataclass(frozen=True, slots=True)
class ProvinceRow:
    code: str
    name: str
    organizations: int
    compliant: int
    required: int
    counted: int
    overdue: int


def national(session: Session, *, at: datetime | None = None) -> list[ProvinceRow]:
    """Per province: organisations and overdue declarations from the kept counts of the
    summary rows (one per organisation and province, `ComplianceCount`), compliant, required
    and counted from the running totals: a few hundred rows, not 600,000 counted twice."""
    at = at or now()
    counts: dict[str, list[int]] = {}
    for code, n, late in session.execute(
        select(
            C.province_code,
            func.sum(C.organizations),
            func.sum(case((overdue_clause(at, C), C.organizations), else_=0)),
        ).group_by(C.province_code)
    ):
        if n:  # a province whose last organisation left keeps a zero count until a rebuild
            counts[code] = [int(n), int(late or 0)]
    totals = {
        code: (int(c), int(r), int(k))
        for code, c, r, k in session.execute(
            select(T.area_code, T.compliant, T.required, T.counted).where(
                T.month == LATEST, func.length(T.area_code) == 2
            )
        )
    }
    names = {code: name for code, name in session.execute(select(Province.code, Province.name))}
    return [
        ProvinceRow(code, names.get(code, code), n, *totals.get(code, (0, 0, 0)), late)
        for code, (n, late) in sorted(counts.items())
    ]


def province_board(session: Session, code: str, *, at: datetime | None = None) -> Dashboard:
    """The inspector dashboard of province `code`, as its inspectors see it."""
    reach = Reach(province_codes=frozenset({code}))
    with reach_scope(session, reach):
        return dashboard(session, DashboardFilters(), reach.province_codes, at=at)


ORGANIZATION_HEADER = (
    "Organisasi (Organisation)",
    "NIB",
    "Sektor (Sector)",
    "Periode (Period)",
    "Status",
    "Wajib (Required)",
    "Dihitung (Counted)",
    "Kekurangan (Gap)",
    "Tindak lanjut (Follow-up)",
)


def _organizations_sheet(session: Session, book: Any, bold: Any, code: str, at: datetime) -> None:
    """Every organisation of the province in the dashboard's order, with the status of record
    its inspectors see (`Row.record_key`), people counts suppressed as on the page."""
    sheet = book.add_worksheet("Organisasi (Organisations)")
    sheet.write_row(0, 0, ORGANIZATION_HEADER, bold)
    # Each label translated once, not once per row (a lazy string looks up its locale).
    sectors = {key: str(label) for key, label in SECTOR_LABELS.items()}
    records = {key: str(label) for key, label in RECORD_LABELS.items()}
    reviews = {key: str(label) for key, label in REVIEW_LABELS.items()}
    reach = Reach(province_codes=frozenset({code}))
    with reach_scope(session, reach):
        for index, row in enumerate(every_ranked(session, at, reach.province_codes), start=1):
            sheet.write_row(
                index,
                0,
                (
                    row.name,
                    row.nib,
                    sectors[row.sector],
                    row.due_year,
                    records[row.record_key],
                    suppressed(row.required),
                    suppressed(row.counted),
                    "—" if row.gap < 0 else row.gap,
                    reviews[row.review_outcome] if row.review_outcome else "",
                ),
            )


def export_xlsx(
    session: Session,
    actor: User,
    rows: list[ProvinceRow],
    board: Dashboard | None,
    code: str | None,
    *,
    at: datetime | None = None,
) -> bytes:
    """The national table; with a province, its regencies and every organisation it ranks.

    Streamed: the organisations are read `every_ranked` a batch at a time and each row leaves
    memory for XlsxWriter's temporary file as the next is written (constant_memory), so a
    province of 50,000 organisations costs what a batch costs; only the finished, compressed
    file is held (the export stores it encrypted)."""
    buffer = io.BytesIO()
    book = new_workbook(buffer, streamed=True)
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Nasional (National)")
    sheet.write_row(
        0,
        0,
        (
            "Provinsi (Province)",
            "Organisasi (Organisations)",
            "Memenuhi (Compliant)",
            "Wajib (Required)",
            "Dihitung (Counted)",
            "Terlambat (Overdue)",
        ),
        bold,
    )
    for index, r in enumerate(rows, start=1):
        sheet.write_row(
            index,
            0,
            (
                r.name,
                r.organizations,
                r.compliant,
                suppressed(r.required),
                suppressed(r.counted),
                r.overdue,
            ),
        )
    if board is not None:
        regencies = book.add_worksheet("Kabupaten-Kota (Regencies)")
        # Names only: a reader has no use for the Kemendagri codes (issue 16).
        header = ("Kab./kota (Regency)", "Organisasi", "Wajib", "Dihitung")
        regencies.write_row(0, 0, header, bold)
        for index, a in enumerate(board.regencies, start=1):
            regencies.write_row(
                index,
                0,
                (a.label, a.organizations, suppressed(a.required), suppressed(a.counted)),
            )
    if code is not None:
        _organizations_sheet(session, book, bold, code, at or now())
    book.close()
    record_event(
        session,
        actor,
        "inspection.summary_exported",
        ("Province", code or "national"),
        data={"scope": code or "national"},
    )
    return buffer.getvalue()
