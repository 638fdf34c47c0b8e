"""Receipts for submitted declarations: a PDF and an XLSX the HR manager keeps (issue 5, item 7).

A receipt is proof of what was filed, so it is built only from what the declaration stored when
it was submitted (its JSON result, pack versions and the SHA-256 of its input), never from the
current figures. Labels are in Bahasa Indonesia with English in brackets because the document is
shown to Indonesian inspectors whatever language the HR manager uses the product in; that is
also why these labels are not run through gettext.

Both files are deterministic for a given declaration (their creation time is the submission
time), so downloading twice gives the same bytes and the same file hashes.

Provenance (issue 17): the receipt's number (`services.receipt_numbers`), who issued it, the
submission time at the head office with its zone's name, the rule packs, the SHA-256 of the
data, and the public verification link, also as a QR code. The PDF draws every name exactly
(`services.pdf`: embedded Unicode fonts).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session, object_session

from compliance.clock import zone_label
from compliance.labels import Bilingual, both
from compliance.models.accounts import User
from compliance.models.declarations import Declaration
from compliance.models.organizations import Organization
from compliance.services import NotFound, settings
from compliance.services.audit import record_event
from compliance.services.declarations import get_declaration
from compliance.services.documents import new_workbook, table_sheet
from compliance.services.pdf import new_document
from compliance.services.quota_wording import (
    QUOTA_STATUS,
    REGIONAL_COLUMNS,
    entity_row,
    pack_rows,
    people_rows,
    regional_rows,
    regional_table,
)
from compliance.services.receipt_numbers import verification_url
from compliance.services.regions import region_name

TITLE = "Tanda Terima Deklarasi Kuota Pekerja Penyandang Disabilitas"
TITLE_SHORT = "Tanda terima"
SUBTITLE = "(Receipt for the disability employment quota declaration)"
HASH_LABEL = "SHA-256 data (SHA-256 of the data)"
HASH_NOTE = (
    "SHA-256 dihitung dari masukan kanonik: angka pekerja bulanan dan karyawan yang dihitung. "
    "(Computed from the canonical input: the monthly workforce figures and the employees "
    "counted.)"
)
DECLARATION_STATUS = Bilingual("declaration_status")
ISSUER = (
    "Diterbitkan oleh (Issued by): Kuota Inklusi, sistem pelaporan kuota pekerja penyandang "
    "disabilitas (UU 8/2016 Pasal 53) (the disability employment quota reporting system)"
)
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
        ("Nomor tanda terima (Receipt number)", declaration.receipt_number or "-"),
        ("Nama organisasi (Organisation name)", organization.name),
        ("NIB (Business identification number)", organization.nib),
        ("NPWP (Taxpayer identification number)", organization.npwp),
        ("Sektor (Sector)", both(organization.sector)),
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
    rows += pack_rows(data)
    rows.append((HASH_LABEL, declaration.input_sha256))
    if declaration.receipt_number:
        rows.append(("Periksa keaslian (Verify at)", _verification_url(declaration)))
    rows.append(("Diterbitkan oleh (Issued by)", f"Kuota Inklusi, {settings().base_url}"))
    return rows


def _verification_url(declaration: Declaration) -> str:
    assert declaration.receipt_number is not None
    return verification_url(declaration.receipt_number, declaration.input_sha256)


#: The per-establishment sheet of a receipt and of an evidence pack: the regency by its name.
SITE_COLUMNS = ("Tempat kerja (Establishment)", "Kab./kota (Regency/city)", *RESULT_COLUMNS)


def site_rows(session: Session, data: dict[str, Any]) -> list[list[Any]]:
    return [
        [
            str(e.get("name", "")),
            region_name(session, e.get("regency_code")),
            *_result_cells(e["result"]),
        ]
        for e in data.get("establishments", [])
    ]


def _session(declaration: Declaration) -> Session:
    session = object_session(declaration)
    assert session is not None, "a receipt is built from a loaded declaration"
    return session


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
        SITE_COLUMNS,
        site_rows(_session(declaration), declaration.data),
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

VERIFY_NOTE = (
    "Keaslian tanda terima ini dapat diperiksa siapa saja dengan nomor dan SHA-256 di atas, "
    "atau dengan memindai kode QR. (Anyone can check this receipt with the number and SHA-256 "
    "above, or by scanning the QR code.)"
)


def receipt_pdf(declaration: Declaration) -> bytes:
    """The receipt on A4: the issuer and the QR code at the top, then the facts, the hash
    on a line of its own (a wrapped hash is easy to mis-copy) and how to verify it."""
    number = declaration.receipt_number or "-"
    pdf = new_document(TITLE, _submitted_at(declaration), footer=f"{TITLE_SHORT} {number}")
    top = pdf.get_y()
    if declaration.receipt_number:
        pdf.qr_code(_verification_url(declaration), pdf.w - pdf.r_margin - 36, top - 4, 36)
    pdf.set_right_margin(pdf.r_margin + 38)
    pdf.paragraph(ISSUER, size=8)
    pdf.ln(2)
    pdf.heading(TITLE, size=13)
    pdf.paragraph(SUBTITLE, size=9)
    pdf.ln(1)
    pdf.paragraph(f"Nomor (Number): {number}", size=11, style="B")
    pdf.set_right_margin(pdf.l_margin)
    pdf.set_y(max(pdf.get_y(), top + 36))
    pdf.ln(3)
    for label, value in summary_rows(declaration):
        if label == HASH_LABEL:
            pdf.paragraph(label, style="B")
            pdf.mono(value)
            continue
        pdf.row(label, value)
    pdf.ln(3)
    pdf.paragraph(HASH_NOTE, size=8, style="I")
    pdf.paragraph(VERIFY_NOTE, size=8, style="I")
    return bytes(pdf.output())
