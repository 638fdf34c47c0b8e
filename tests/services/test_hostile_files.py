"""Hostile workbooks and CSV files, performed: each is refused with a clear message, in bounded
time and memory, before the reader builds anything from it (issue 14, item 1).

Without the guard, the first two crash the test process itself: python-calamine asks for a
dense grid of 17 billion cells and the allocator aborts.
"""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
import xlsxwriter

from compliance.services import ServiceError
from compliance.services.imports.reading import read_table
from compliance.services.imports.workbook_guard import MAX_COLUMNS, MAX_ROWS
from tests.support.imports import ROSTER_HEADER, csv_bytes, roster_rows, xlsx_bytes


def _workbook(cells: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    for ref, value in cells.items():
        sheet.write(ref, value)
    book.close()
    return buffer.getvalue()


def _rewrite_sheet(workbook: bytes, change) -> bytes:
    """`workbook` with its first worksheet's XML passed through `change`, zipped as Excel does."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(info.filename, data)
    return out.getvalue()


def _refusal(app, data: bytes, fmt: str = "xlsx") -> str:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        started = time.perf_counter()
        with pytest.raises(ServiceError) as refused:
            read_table(data, fmt)
        assert time.perf_counter() - started < 10  # generous: nothing big is ever built
    assert refused.value.field == "file"
    return refused.value.message


def test_a_cell_at_xfd1048576_is_refused(app):
    data = _workbook({"A1": "employee_number", "XFD1048576": "x"})
    assert len(data) < 10_000
    assert "larger inside than a roster or figures file can be" in _refusal(app, data)


def test_a_dimension_claiming_the_whole_sheet_is_refused(app):
    data = _rewrite_sheet(
        _workbook({"A1": "employee_number", "B2": "x"}),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml),
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert "larger inside" in _refusal(app, data)


def test_a_sheet_that_inflates_like_a_bomb_is_refused_before_it_is_inflated(app):
    padding = b" " * (40 * 1024 * 1024)  # 40 MB of XML whitespace deflates to about 40 KB
    data = _rewrite_sheet(
        _workbook({"A1": "employee_number"}),
        lambda xml: xml.replace(b"<sheetData>", padding + b"<sheetData>"),
    )
    assert len(data) < 200_000
    assert "larger inside" in _refusal(app, data)


def test_cells_without_a_position_are_refused(app):
    data = _rewrite_sheet(
        _workbook({"A1": "employee_number", "B1": "name"}),
        lambda xml: re.sub(rb'<c r="[A-Z]+[0-9]+"', b"<c", xml),
    )
    assert "damaged or protected" in _refusal(app, data)


def test_too_many_columns_is_refused_in_either_format(app):
    wide = {f"{xlsxwriter.utility.xl_col_to_name(c)}1": "x" for c in range(MAX_COLUMNS + 1)}
    assert "larger inside" in _refusal(app, _workbook(wide))
    message = _refusal(app, csv_bytes(ROSTER_HEADER, [["x"] * (MAX_COLUMNS + 1)]), "csv")
    assert (
        message == f"A file may hold at most {MAX_ROWS:,} rows of {MAX_COLUMNS} columns: split it."
    )


def test_too_many_rows_is_refused_while_reading_a_csv(app, monkeypatch):
    monkeypatch.setattr("compliance.services.imports.reading.MAX_ROWS", 5)
    assert "at most 5 rows" in _refusal(app, csv_bytes(ROSTER_HEADER, roster_rows(6, 1)), "csv")


def test_an_ordinary_workbook_still_reads_back(app):
    data = xlsx_bytes(ROSTER_HEADER, roster_rows(3, 1))
    with app.test_request_context():
        table = read_table(data, "xlsx")
    assert table.header == tuple(ROSTER_HEADER)
    assert [number for number, _ in table.rows] == [2, 3, 4]
