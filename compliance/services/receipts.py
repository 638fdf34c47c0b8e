"""Receipts for submitted declarations: a PDF and an XLSX the HR manager keeps (issue 5, item 7).

A receipt is proof of what was filed, so it is built only from what the declaration stored when
it was submitted (its JSON result, pack versions and the SHA-256 of its input), never from the
current figures. Labels are in Bahasa Indonesia with English in brackets because the document is
shown to Indonesian inspectors whatever language the HR manager uses the product in; that is
also why these labels are not run through gettext.

Both files are deterministic for a given declaration (their creation time is the submission
time), so downloading twice gives the same bytes and the same file hashes.

The PDF uses the core Helvetica font, which needs no font file on the server but only covers
Latin-1: every text goes through `documents.latin1` first (organisation names are user input).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from sqlalchemy.orm import Session, object_session

from compliance.clock import zone_label
from compliance.models.accounts import User
from compliance.models.declarations import Declaration
from compliance.models.organizations import Organization
from compliance.services import NotFound
from compliance.services.audit import record_event
from compliance.services.declarations import get_declaration
from compliance.services.documents import latin1, new_workbook, table_sheet
from compliance.services.quota_wording import (
    QUOTA_STATUS,
    REGIONAL_COLUMNS,
    entity_row,
    people_rows,
    regional_rows,
    regional_table,
)

TITLE = "Tanda Terima Deklarasi Kuota Pekerja Penyandang Disabilitas"
SUBTITLE = "(Receipt for the disability employment quota declaration)"
HASH_LABEL = "SHA-256 data (SHA-256 of the data)"
HASH_NOTE = (
    "SHA-256 dihitung dari masukan kanonik: angka pekerja bulanan dan karyawan yang dihitung. "
    "(Computed from the canonical input: the monthly workforce figures and the employees "
    "counted.)"
)
DECLARATION_STATUS = {"draft": "Draf (Draft)", "submitted": "Disampaikan (Submitted)"}
RESULT_COLUMNS = (
    "Status kuota (Quota status)",
    "Jumlah pekerja (Workers, N)",
    "Wajib (Required)",
    "Dihitung (Counted)",
    "Kekurangan (Gap)",
)


def get_submitted_declaration(session: Session, actor: User, declaration_id: int) -> Declaration:
    """A draft has no receipt: it may still change, so it answers as if it did not exist."""
    declaration = get_declaration(session, actor, declaration_id)
    if not declaration.is_submitted:
        raise NotFound(_("Declaration not found."))
    return declaration


def record_receipt_download(
    session: Session, actor: User, declaration: Declaration, file_format: str
) -> None:
    """Who took a copy of a filing, and which version: no names or figures in the event."""
    record_event(
        session,
        actor,
        "declaration.receipt_downloaded",
        declaration,
        organization_id=declaration.organization_id,
        data={
            "format": file_format,
            "period": declaration.period.label,
            "version": declaration.number,
        },
    )


def _organization(declaration: Declaration) -> Organization:
    session = object_session(declaration)
    organization = session.get(Organization, declaration.organization_id) if session else None
    if organization is None:
        raise NotFound(_("Organisation not found."))
    return organization


def _submitted_at(declaration: Declaration) -> datetime:
    assert declaration.submitted_at is not None, "only submitted declarations have a receipt"
    return declaration.submitted_at.replace(tzinfo=UTC)


def summary_rows(declaration: Declaration) -> list[tuple[str, str]]:
    """The receipt's facts as (label, value), shared by the XLSX summary sheet and the PDF."""
    organization = _organization(declaration)
    data, entity = declaration.data, declaration.data.get("entity", {})
    months = data.get("months") or []
    span = f" ({months[0]} s.d. {months[-1]})" if months else ""
    by = declaration.submitted_by
    rows = [
        ("Nama organisasi (Organisation name)", organization.name),
        ("NIB (Business identification number)", organization.nib),
        ("NPWP (Taxpayer identification number)", organization.npwp),
        ("Periode (Period)", f"{declaration.period.label}{span}"),
        ("Versi (Version)", str(declaration.number)),
        ("Status deklarasi (Declaration status)", DECLARATION_STATUS[declaration.status.value]),
        (
            "Disampaikan pada (Submitted at)",
            zone_label(_submitted_at(declaration), organization.zone),
        ),
        ("Disampaikan oleh (Submitted by)", f"{by.name} <{by.email}>" if by else "-"),
    ]
    if declaration.corrects is not None:
        rows.append(("Mengoreksi versi (Corrects version)", str(declaration.corrects.number)))
        rows.append(("Alasan koreksi (Reason for correction)", declaration.correction_reason or ""))
    rows += people_rows(entity)
    rows.append(("Status kuota (Quota status)", QUOTA_STATUS.get(entity.get("status", ""), "-")))
    rows.append(entity_row())
    rows += regional_rows(data)
    rows += [
        (
            "Paket aturan (Rule pack)",
            f"{p['id']} (berlaku sejak / in force from {p['effective_from']}; "
            f"diverifikasi / verified {p['verified_on']})",
        )
        for p in data.get("packs", [])
    ]
    rows.append((HASH_LABEL, declaration.input_sha256))
    return rows


def receipt_filename(declaration: Declaration, file_format: str) -> str:
    label = "".join(c for c in declaration.period.label if c.isalnum() or c in "-_")
    return f"tanda-terima-deklarasi-{label}-v{declaration.number}.{file_format}"


# --- XLSX ------------------------------------------------------------------------------------


def _cell(value: Any) -> float | str:
    """Engine numbers are stored as decimal strings; a spreadsheet wants them as numbers."""
    if value is None:
        return ""
    try:
        return float(Decimal(str(value)))
    except ArithmeticError:
        return str(value)


def _result_cells(result: dict[str, Any]) -> list[float | str]:
    keys = ("denominator", "required", "counted", "gap")
    return [QUOTA_STATUS.get(result.get("status", ""), "-"), *(_cell(result.get(k)) for k in keys)]


def receipt_xlsx(declaration: Declaration) -> bytes:
    """A summary sheet, then the per-month and per-establishment results, from the stored JSON."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    book.set_properties(
        {"title": TITLE, "author": "Kuota Inklusi", "created": _submitted_at(declaration)}
    )
    bold = book.add_format({"bold": True})
    summary = book.add_worksheet("Ringkasan (Summary)")
    summary.write_string(0, 0, TITLE, bold)
    summary.write_string(1, 0, SUBTITLE)
    for index, (label, value) in enumerate(summary_rows(declaration), start=3):
        summary.write_string(index, 0, label, bold)
        summary.write_string(index, 1, value)
    summary.write_string(index + 2, 0, HASH_NOTE)
    summary.set_column(0, 0, 42)
    summary.set_column(1, 1, 72)

    entity = declaration.data.get("entity", {})
    table_sheet(
        book,
        "Per bulan (By month)",
        ("Bulan (Month)", *RESULT_COLUMNS, "Paket aturan (Rule pack)"),
        [
            [str(m.get("as_of", ""))[:7], *_result_cells(m), str(m.get("pack_id", ""))]
            for m in entity.get("months", [])
        ],
        bold,
    )
    table_sheet(
        book,
        "Per tempat kerja (By site)",
        ("Tempat kerja (Establishment)", "Kode kab./kota (Regency code)", *RESULT_COLUMNS),
        [
            [str(e.get("name", "")), str(e.get("regency_code") or ""), *_result_cells(e["result"])]
            for e in declaration.data.get("establishments", [])
        ],
        bold,
    )
    if declaration.data.get("overlays"):
        table_sheet(
            book,
            "Aturan daerah (Regional rules)",
            REGIONAL_COLUMNS,
            regional_table(declaration.data),
            bold,
        )
    book.close()
    return buffer.getvalue()


# --- PDF -------------------------------------------------------------------------------------


def _height(pdf: FPDF, width: float, text: str) -> float:
    height = pdf.multi_cell(width, 6, text, dry_run=True, output=MethodReturnValue.HEIGHT)
    assert isinstance(height, int | float)
    return float(height)


def _row(pdf: FPDF, label_width: float, label: str, value: str) -> None:
    """A label beside its value. A row that does not fit starts a new page whole: split by a
    page break, the label's bottom on the old page would push the next row off the new one."""
    value_width = pdf.epw - label_width
    pdf.set_font("Helvetica", "B", 9)
    label_height = _height(pdf, label_width, label)
    pdf.set_font("Helvetica", "", 9)
    value_height = _height(pdf, value_width, value)
    if pdf.get_y() + max(label_height, value_height) > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font("Helvetica", "B", 9)
    pdf.multi_cell(label_width, 6, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(value_width, 6, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), top + label_height))


def receipt_pdf(declaration: Declaration, *, compress: bool = True) -> bytes:
    """The summary on one A4 page. `compress=False` leaves the text searchable in the bytes."""
    pdf = FPDF(format="A4")
    pdf.set_compression(compress)
    pdf.set_creation_date(_submitted_at(declaration))
    pdf.set_title(latin1(TITLE))
    pdf.set_author("Kuota Inklusi")
    pdf.set_creator("Kuota Inklusi")
    pdf.set_lang("id")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 7, latin1(TITLE), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, latin1(SUBTITLE), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    label_width = 70.0
    for label, value in summary_rows(declaration):
        pdf.set_font("Helvetica", "B", 9)
        if label == HASH_LABEL:
            # 64 hex digits do not fit beside the label: give the hash a whole line so it is
            # never wrapped (a wrapped hash is easy to mis-copy).
            pdf.cell(0, 6, latin1(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("Courier", "", 9)
            pdf.cell(0, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            continue
        _row(pdf, label_width, latin1(label), latin1(value))
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(0, 5, latin1(HASH_NOTE), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
