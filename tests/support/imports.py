"""Builders of import files (CSV and XLSX) for the import tests and the benchmark."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import xlsxwriter

from compliance.services.imports.spec import ROSTER_COLUMNS

CONSENT = ("employee", "", "written", "2025-01-10", "2026-11")
DETAILS = ("sensory;physical", "pembaca layar", "kpd", "KPD-1", "2024-06-01", "2029-06-01")


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, list(header))
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, ["" if v is None else v for v in row])
    book.close()
    return buffer.getvalue()


def roster_row(
    number: str,
    establishment: object,
    *,
    name: str = "Sari Dewi",
    consent: bool = True,
    details: bool = True,
    start: str = "2024-01-15",
) -> tuple[object, ...]:
    """One roster line in ROSTER_COLUMNS order."""
    core = (number, name, establishment, "permanent", start, "")
    return core + (CONSENT if consent else ("",) * 5) + (DETAILS if details else ("",) * 6)


def roster_rows(count: int, establishment: object, **kwargs: object) -> list[tuple[object, ...]]:
    return [
        roster_row(f"E{i:06d}", establishment, name=f"Pegawai {i}", **kwargs) for i in range(count)
    ]  # type: ignore[arg-type]


ROSTER_HEADER = ROSTER_COLUMNS
