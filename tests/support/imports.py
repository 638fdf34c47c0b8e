"""Builders of import files (CSV and XLSX) for the import tests and the benchmark."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import xlsxwriter

from compliance.clock import today_in
from compliance.services.imports.spec import ROSTER_COLUMNS


def _years(offset: int, month_day: str) -> str:
    """A date `offset` years from this year (by the clock tests freeze), as a file holds it."""
    return f"{today_in().year + offset}-{month_day}"


def consent_cells() -> tuple[str, ...]:
    """Consent given by the employee in writing in January of last year (text version 2026-11)."""
    return ("employee", "", "written", _years(-1, "01-10"), "2026-11")


def details_cells() -> tuple[str, ...]:
    """Two categories, evidence dated two years ago and valid for three more years."""
    return (
        "sensory;physical",
        "pembaca layar",
        "kpd",
        "KPD-1",
        _years(-2, "06-01"),
        _years(3, "06-01"),
    )


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
    start: str | None = None,
) -> tuple[object, ...]:
    """One roster line in ROSTER_COLUMNS order; employed since January two years ago."""
    core = (number, name, establishment, "permanent", start or _years(-2, "01-15"), "")
    return (
        core
        + (consent_cells() if consent else ("",) * 5)
        + (details_cells() if details else ("",) * 6)
    )


def roster_rows(count: int, establishment: object, **kwargs: object) -> list[tuple[object, ...]]:
    return [
        roster_row(f"E{i:06d}", establishment, name=f"Pegawai {i}", **kwargs) for i in range(count)
    ]  # type: ignore[arg-type]


ROSTER_HEADER = ROSTER_COLUMNS
