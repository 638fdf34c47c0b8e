"""Generating the published import templates (XLSX with XlsxWriter, and plain CSV).

The templates are made for the organisation that downloads them: its establishments and the
employment types its sector reports become drop-down lists, so most mistakes cannot be typed
in the first place. The CSV is the header row alone, for people who build files in scripts.
"""

from __future__ import annotations

import csv
import io

import xlsxwriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.imports import ImportKind
from compliance.models.organizations import Establishment, Organization
from compliance.models.people import ConsentGiver, ConsentMethod
from compliance.quota.vocab import EvidenceType
from compliance.services.consent import CONSENT_TEXTS
from compliance.services.documents import new_workbook
from compliance.services.imports.reading import DATA_SHEET
from compliance.services.imports.spec import ROSTER_COLUMNS
from compliance.services.imports.template_texts import COLUMN_HELP, INSTRUCTIONS, TYPE_HELP
from compliance.services.workforce import employment_types_for

_DATE_COLUMNS = {"start_date", "end_date", "consent_date", "evidence_date", "evidence_expires_on"}
_ROWS = 5000  # how far down the drop-down lists and formats reach


def template_columns(session: Session, organization_id: int, kind: ImportKind) -> list[str]:
    if kind is ImportKind.ROSTER:
        return list(ROSTER_COLUMNS)
    organization = session.get(Organization, organization_id)
    assert organization is not None
    return ["establishment", "month", *(t.value for t in employment_types_for(organization.sector))]


def template_csv(session: Session, organization_id: int, kind: ImportKind) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow(template_columns(session, organization_id, kind))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def template_xlsx(session: Session, organization_id: int, kind: ImportKind) -> bytes:
    columns = template_columns(session, organization_id, kind)
    organization = session.get(Organization, organization_id)
    assert organization is not None
    establishments = session.scalars(
        select(Establishment.name)
        .where(Establishment.organization_id == organization_id, Establishment.closed_at.is_(None))
        .order_by(Establishment.name)
    ).all()
    lists = {
        "establishment": list(establishments),
        "employment_type": [t.value for t in employment_types_for(organization.sector)],
        "consent_given_by": [g.value for g in ConsentGiver],
        "consent_method": [m.value for m in ConsentMethod],
        "consent_text_version": list(CONSENT_TEXTS),
        "evidence_type": [t.value for t in EvidenceType],
    }
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    _instructions(book, kind, columns, bold, wrap)
    data = book.add_worksheet(DATA_SHEET)
    hidden = book.add_worksheet("Lists")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    text_format = book.add_format({"num_format": "@"})
    for index, name in enumerate(columns):
        data.write_string(0, index, name, bold)
        ind, eng = COLUMN_HELP.get(name, TYPE_HELP)
        data.write_comment(0, index, f"{ind}\n\n{eng}", {"x_scale": 2.5, "y_scale": 2})
        if name in _DATE_COLUMNS:
            data.set_column(index, index, 14, date_format)
        elif name in {"month", "employee_number", "consent_text_version"}:
            data.set_column(index, index, 16, text_format)
        else:
            data.set_column(index, index, 18)
        values = lists.get(name)
        if values:
            hidden.write_column(0, index, values)
            letter = xlsxwriter.utility.xl_col_to_name(index)
            data.data_validation(
                1,
                index,
                _ROWS,
                index,
                {
                    "validate": "list",
                    "source": f"=Lists!${letter}$1:${letter}${len(values)}",
                    "error_type": "warning",
                },
            )
        elif name not in {"establishment", "month"} and kind is ImportKind.FIGURES:
            data.data_validation(
                1, index, _ROWS, index, {"validate": "integer", "criteria": ">=", "value": 0}
            )
    data.freeze_panes(1, 0)
    data.activate()
    hidden.hide()
    book.close()
    return buffer.getvalue()


def _instructions(
    book: xlsxwriter.Workbook,
    kind: ImportKind,
    columns: list[str],
    bold: object,
    wrap: object,
) -> None:
    sheet = book.add_worksheet("Petunjuk - Instructions")
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 2, 60, wrap)
    texts = INSTRUCTIONS[kind.value]
    sheet.write_row(0, 1, ["Bahasa Indonesia", "English"], bold)
    row = 1
    for ind, eng in zip(texts["id"], texts["en"], strict=True):
        sheet.write_row(row, 1, [ind, eng])
        row += 1
    row += 1
    sheet.write_row(row, 0, ["Kolom / Column", "Keterangan", "Description"], bold)
    for name in columns:
        row += 1
        ind, eng = COLUMN_HELP.get(name, TYPE_HELP)
        sheet.write_row(row, 0, [name, ind, eng])
