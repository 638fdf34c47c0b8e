"""Reading an uploaded CSV or XLSX file into a header and rows of text.

Both formats end up as the same thing, tuples of stripped strings, so validation has one code
path. XLSX is read with python-calamine (TOOLING.md: about 7x faster than openpyxl); its typed
cells are turned back into the text a user would have typed (a date as YYYY-MM-DD, a whole
number without ".0"). CSV files from Indonesian Excel often use ";" and a BOM; both are handled.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from compliance.services import ServiceError
from compliance.services.imports.workbook_guard import MAX_COLUMNS, MAX_ROWS, checked_workbook

FORMATS = ("csv", "xlsx")
#: The sheet the published XLSX template puts the data in.
DATA_SHEET = "Data"
_XLSX_MAGIC = b"PK\x03\x04"
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    #: (row number as the user sees it in the file, cells) for every non-blank row.
    rows: list[tuple[int, tuple[str, ...]]]


def file_format(filename: str, data: bytes) -> str:
    """ "csv" or "xlsx" from the name, checked against the content; anything else is refused."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "csv" and data.startswith(_UTF16_MARKS):
        raise ServiceError(
            _(
                "This CSV file is saved as UTF-16 (Excel's 'Unicode Text'). Save it again as "
                "'CSV UTF-8 (Comma delimited)' and upload that file."
            ),
            field="file",
        )
    if suffix == "xlsx" and data.startswith(_XLSX_MAGIC):
        return "xlsx"
    if suffix == "csv" and not data.startswith(_XLSX_MAGIC) and b"\x00" not in data[:4096]:
        return "csv"
    raise ServiceError(
        _("Upload a CSV or XLSX file (an Excel workbook saved as .xlsx)."), field="file"
    )


def read_table(data: bytes, fmt: str) -> Table:
    cells = _read_xlsx(data) if fmt == "xlsx" else _read_csv(data)
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[str, ...]]] = []
    for number, row in cells:
        if not any(row):
            continue
        if header is None:
            header = tuple(cell.lower() for cell in row)
            continue
        if len(rows) == MAX_ROWS or len(row) > MAX_COLUMNS:
            raise ServiceError(
                _(
                    "A file may hold at most %(rows)s rows of %(columns)s columns: split it.",
                    rows=f"{MAX_ROWS:,}",
                    columns=MAX_COLUMNS,
                ),
                field="file",
            )
        rows.append((number, row))
    if header is None:
        raise ServiceError(_("The file is empty."), field="file")
    return Table(header, rows)


def as_csv(table: Table) -> bytes:
    """`table` as a CSV file that reads back as the same table, row numbers included.

    An upload is stored this way: a later pass (validation, then the write) reads CSV several
    times faster than it reads XLSX. Blank rows stay as empty lines, so a row keeps the number
    it has in the user's file.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    line = 0
    for number, cells in [(0, table.header), *table.rows]:
        target = number or line + 1
        writer.writerows([()] * (target - line - 1))
        writer.writerow(cells)
        line = target
    return out.getvalue().encode()


def _read_csv(data: bytes) -> Iterator[tuple[int, tuple[str, ...]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(
            _("Save the CSV file with the UTF-8 encoding (Excel: 'CSV UTF-8')."), field="file"
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, tuple(map(str.strip, row))
    except csv.Error:
        raise ServiceError(_("The CSV file is damaged and cannot be read."), field="file") from None


def _read_xlsx(data: bytes) -> Iterator[tuple[int, tuple[str, ...]]]:
    try:
        # Checked part by part first (workbook_guard): a hostile file must not size the grid.
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(checked_workbook(data)))
        names = workbook.sheet_names
        sheet = workbook.get_sheet_by_name(DATA_SHEET if DATA_SHEET in names else names[0])
        rows = sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError):
        raise ServiceError(
            _("The XLSX file is damaged or protected and cannot be read."), field="file"
        ) from None
    for number, row in enumerate(rows, start=1):
        # Most cells are text: the type check is cheaper than a call per cell.
        yield number, tuple([c.strip() if type(c) is str else _cell_text(c) for c in row])


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta | time):
        return str(value)
    return str(value).strip()
