"""The evidence pack's documents: a summary PDF in Bahasa Indonesia and an XLSX workbook.

Labels are Indonesian with English in brackets whatever the inspector's language, like the
declaration receipt (`services.receipts`), whose helpers for Latin-1 text and result cells are
reused so both documents read the same. Explanation lines carry their legal citation.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from compliance.clock import zone_label
from compliance.services.declarations.status import PeriodStatus
from compliance.services.documents import latin1, new_workbook, table_sheet
from compliance.services.inspections.pack_content import ROSTER_COLUMNS, PackContent
from compliance.services.quota_wording import (
    QUOTA_STATUS,
    REGIONAL_COLUMNS,
    entity_row,
    people_rows,
    regional_rows,
    regional_table,
)
from compliance.services.receipts import RESULT_COLUMNS, _result_cells

TITLE = "Paket Bukti Pemeriksaan Kuota Pekerja Penyandang Disabilitas"
SUBTITLE = "(Evidence pack for the disability employment quota inspection)"
LIVE_NOTE = (
    "Belum ada deklarasi yang disampaikan untuk periode ini: angka dihitung dari data saat ini. "
    "(No declaration was submitted for this period: figures are computed from current data.)"
)


#: The status of record in both languages, as the pages word it (blueprints/standing.py).
RECORD_TEXT = {
    "filed_compliant": "Disampaikan: memenuhi kuota (Filed: compliant)",
    "filed_shortfall": "Disampaikan: kurang dari kuota (Filed: shortfall)",
    "filed_no_obligation": "Disampaikan: tidak ada kewajiban (Filed: no obligation)",
    "filed_insufficient_data": "Disampaikan: data tidak cukup (Filed: insufficient data)",
    "open": "Terbuka: belum jatuh tempo (Open: not due yet)",
    "overdue": "Terlambat: belum disampaikan (Overdue: not filed)",
    "not_obliged": "Tidak wajib (Not obliged)",
}
FOLLOW_UP_TEXT = {
    "accepted": "diterima pengawas (accepted by the inspector)",
    "correction_requested": "koreksi diminta (correction requested)",
    "in_case": "dalam kasus pemeriksaan (in an inspection case)",
    "case_closed": "kasus pemeriksaan ditutup (inspection case closed)",
}


def record_text(record: PeriodStatus) -> str:
    """The status of record with its due date and, where they matter, days late or months."""
    text = f"{RECORD_TEXT[record.key]}; jatuh tempo (due) {record.due_on.isoformat()}"
    if record.follow_up is not None:
        text += f"; {FOLLOW_UP_TEXT[record.follow_up.value]}"
    if record.standing.value == "overdue":
        text += f"; terlambat {record.days_late} hari ({record.days_late} days late)"
    if record.standing.value == "open":
        text += f"; {record.months_complete} dari 12 bulan ({record.months_complete} of 12 months)"
    return text


def summary_rows(content: PackContent) -> list[tuple[str, str]]:
    org, entity = content.organization, content.data.get("entity", {})
    rows = [
        ("Nama organisasi (Organisation)", org.name),
        ("NIB", org.nib),
        ("NPWP", org.npwp),
        ("Sektor (Sector)", org.sector.value),
        ("Periode (Period)", str(content.year)),
        ("Dibuat pada (Generated at)", zone_label(content.generated_at, org.zone)),
        *people_rows(entity),
        ("Status kuota (Quota status)", QUOTA_STATUS.get(entity.get("status", ""), "-")),
        entity_row(),
        *regional_rows(content.data),
        ("Status catatan (Status of record)", record_text(content.record)),
        (
            "Nama pekerja (Names)",
            "disertakan (included)" if content.include_names else "disamarkan (pseudonymised)",
        ),
    ]
    rows += [
        (
            f"Deklarasi versi {d['version']} (Declaration version)",
            f"{d['status']} {d['submitted_at'] or ''}",
        )
        for d in content.declarations
    ]
    rows += [
        ("Paket aturan (Rule pack)", f"{p['id']} (berlaku sejak {p['effective_from']})")
        for p in content.data.get("packs", [])
    ]
    return rows


def _lines(content: PackContent) -> list[str]:
    """The national explanation, then each regional rule's (its duty and sanction included)."""
    entity = content.data.get("entity", {})
    regional = [
        line
        for overlay in content.data.get("overlays") or []
        for line in (
            *overlay.get("lines", []),
            *_unless_in(overlay, "duties"),
            *_unless_in(overlay, "sanctions"),
        )
    ]
    return [
        f"{line.get('text_id', '')} [{line.get('source_id', '')}]"
        for line in (*entity.get("lines", []), *entity.get("warnings", []), *regional)
    ]


def _unless_in(overlay: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """Duties and sanctions not already among the lines (they are when the duty applies)."""
    shown = {line.get("text_id") for line in overlay.get("lines", [])}
    return [line for line in overlay.get(key) or [] if line.get("text_id") not in shown]


def summary_pdf(content: PackContent) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(content.generated_at)
    pdf.set_title(latin1(TITLE))
    pdf.set_author("Kuota Inklusi")
    pdf.set_lang("id")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 7, latin1(TITLE), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, latin1(SUBTITLE), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    for label, value in summary_rows(content):
        pdf.set_font("Helvetica", "B", 9)
        pdf.multi_cell(0, 5, latin1(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(0, 5, latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if not content.is_filed:
        pdf.ln(2)
        pdf.multi_cell(0, 5, latin1(LIVE_NOTE), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(
        0,
        7,
        latin1("Penjelasan dan dasar hukum (Explanation and citations)"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font("Helvetica", "", 9)
    for number, line in enumerate(_lines(content), start=1):
        pdf.multi_cell(0, 5, latin1(f"{number}. {line}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def workbook(content: PackContent) -> bytes:
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    book.set_properties(
        {"title": TITLE, "author": "Kuota Inklusi", "created": content.generated_at}
    )
    bold = book.add_format({"bold": True})
    table_sheet(
        book,
        "Ringkasan (Summary)",
        ("Keterangan (Item)", "Nilai (Value)"),
        summary_rows(content),
        bold,
    )
    table_sheet(
        book,
        "Per tempat kerja (By site)",
        ("Tempat kerja (Establishment)", "Kode kab./kota (Regency code)", *RESULT_COLUMNS),
        [
            [str(e.get("name", "")), str(e.get("regency_code") or ""), *_result_cells(e["result"])]
            for e in content.data.get("establishments", [])
        ],
        bold,
    )
    table_sheet(
        book,
        "Per bulan (By month)",
        ("Bulan (Month)", *RESULT_COLUMNS, "Paket aturan (Rule pack)"),
        [
            [str(m.get("as_of", ""))[:7], *_result_cells(m), str(m.get("pack_id", ""))]
            for m in content.data.get("entity", {}).get("months", [])
        ],
        bold,
    )
    if content.data.get("overlays"):
        table_sheet(
            book,
            "Aturan daerah (Regional rules)",
            REGIONAL_COLUMNS,
            regional_table(content.data),
            bold,
        )
    table_sheet(book, "Daftar pekerja (Roster)", ROSTER_COLUMNS, content.roster, bold)
    book.close()
    return buffer.getvalue()
