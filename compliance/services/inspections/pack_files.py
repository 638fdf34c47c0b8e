"""The evidence pack's documents: a summary PDF in Bahasa Indonesia and an XLSX workbook.

Labels are Indonesian with English in brackets whatever the inspector's language, like the
declaration receipt (`services.receipts`), whose result cells are reused so both documents read
the same. Explanation lines carry their legal citation. The PDF draws every name exactly
(`services.pdf`), and lists the nota letters the pack carries with their SHA-256.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, object_session

from compliance.clock import Zone, zone_label
from compliance.labels import Bilingual, both
from compliance.services.declarations.status import PeriodStatus
from compliance.services.documents import new_workbook, table_sheet
from compliance.services.inspections.pack_content import ROSTER_COLUMNS, PackContent
from compliance.services.pdf import new_document
from compliance.services.quota_wording import (
    QUOTA_STATUS,
    REGIONAL_COLUMNS,
    entity_row,
    people_rows,
    regional_rows,
    regional_table,
)
from compliance.services.receipts import (
    DECLARATION_STATUS,
    RESULT_COLUMNS,
    SITE_COLUMNS,
    _result_cells,
    site_rows,
)

TITLE = "Paket Bukti Pemeriksaan Kuota Pekerja Penyandang Disabilitas"
SUBTITLE = "(Evidence pack for the disability employment quota inspection)"
LIVE_NOTE = (
    "Belum ada deklarasi yang disampaikan untuk periode ini: angka dihitung dari data saat ini. "
    "(No declaration was submitted for this period: figures are computed from current data.)"
)


#: The status of record and its follow-up in both languages, as the pages word them.
RECORD_TEXT = Bilingual("record")
FOLLOW_UP_TEXT = Bilingual("follow_up")


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
        ("Sektor (Sector)", both(org.sector)),
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
        (f"Deklarasi versi {d['version']} (Declaration version)", _version_text(d, org.zone))
        for d in content.declarations
    ]
    rows += [
        ("Paket aturan (Rule pack)", f"{p['id']} (berlaku sejak {p['effective_from']})")
        for p in content.data.get("packs", [])
    ]
    return rows


def _version_text(declaration: Mapping[str, Any], zone: Zone) -> str:
    """A declaration version in words: its status, when it was submitted (at the head office,
    with the zone's name) and its receipt number."""
    text = DECLARATION_STATUS.get(str(declaration["status"]), str(declaration["status"]))
    if declaration.get("submitted_at"):
        text += f", {zone_label(datetime.fromisoformat(declaration['submitted_at']), zone)}"
    if declaration.get("receipt_number"):
        text += f"; tanda terima (receipt) {declaration['receipt_number']}"
    return text


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
    org = content.organization
    pdf = new_document(TITLE, content.generated_at, footer=f"{org.name} · {content.year}")
    pdf.heading(TITLE)
    pdf.paragraph(SUBTITLE, size=10)
    pdf.ln(3)
    for label, value in summary_rows(content):
        pdf.row(label, value, label_width=62)
    if not content.is_filed:
        pdf.ln(2)
        pdf.paragraph(LIVE_NOTE)
    if content.letters:
        pdf.ln(3)
        pdf.heading("Nota pemeriksaan (Inspection letters)", size=11)
        for letter in content.letters:
            pdf.row(letter.title, f"{letter.issued}; berkas (file) {letter.path}")
            pdf.mono(f"SHA-256 {letter.sha256}", size=8)
    pdf.ln(3)
    pdf.heading("Penjelasan dan dasar hukum (Explanation and citations)", size=11)
    for number, line in enumerate(_lines(content), start=1):
        pdf.paragraph(f"{number}. {line}")
    return bytes(pdf.output())


def _session(content: PackContent) -> Session:
    session = object_session(content.organization)
    assert session is not None, "a pack is built from a loaded organisation"
    return session


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
        SITE_COLUMNS,
        site_rows(_session(content), content.data),
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
