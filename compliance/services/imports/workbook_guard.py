"""Opening an uploaded workbook without trusting it.

An XLSX file is a ZIP of XML parts. A 1.6 KB workbook whose only cells are A1 and XFD1048576 (or
whose `<dimension>` claims that range) made the reader allocate a dense grid of 17 billion cells
and killed the worker; a 2 MB sheet that inflates to gigabytes took gigabytes before any row
was counted. So before python-calamine sees a byte, every part is read here with limits checked
*while* reading: the number of parts, each part's size and compression ratio, the total size,
and, in every worksheet, the largest row and column any cell or `<dimension>` names. The parts
are read with zipfile, which stops at the declared size (and whose CRC check fails a part that
claims less than it holds), then packed again, uncompressed, so calamine reads exactly the bytes
that were checked.
"""

from __future__ import annotations

import io
import re
import zipfile

from flask_babel import gettext as _

from compliance.services import ServiceError

#: A template workbook has about a dozen parts and two dozen columns.
MAX_PARTS = 256
MAX_COLUMNS = 64
#: Data rows in one file (the import benchmark's 100,000, twice over).
MAX_ROWS = 200_000
#: What all parts may inflate to, and how much one part may inflate relative to its size.
MAX_INFLATED_BYTES = 192 * 1024 * 1024
MAX_RATIO = 150

_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"([0-9]{1,7})\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?\bref=\"([^\"]*)\"")
_RANGE_END = re.compile(rb"([A-Z]{1,3})?([0-9]{1,7})?$")


def _refuse(message: str) -> ServiceError:
    return ServiceError(message, field="file")


def _damaged() -> ServiceError:
    return _refuse(_("The XLSX file is damaged or protected and cannot be read."))


def _too_big() -> ServiceError:
    return _refuse(
        _(
            "The workbook is larger inside than a roster or figures file can be. Keep only the "
            "Data sheet (at most %(rows)s rows and %(columns)s columns) and save it again.",
            rows=f"{MAX_ROWS:,}",
            columns=MAX_COLUMNS,
        )
    )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_grid(xml: bytes) -> None:
    """Refuse a worksheet naming a cell or range beyond the limits, or cells without a place.

    One pass per pattern, keeping only counters: a sheet of two million cells is scanned
    without a list of two million matches."""
    rows = max_row = max_column = placed = 0
    for match in _CELL_REF.finditer(xml):
        placed += 1
        max_column = max(max_column, _column_number(match.group(1)))
        max_row = max(max_row, int(match.group(2)))
    if sum(1 for _cell in _CELL_TAG.finditer(xml)) != placed:
        raise _damaged()  # calamine would place unnamed cells one after another, unbounded
    for match in _ROW_REF.finditer(xml):
        max_row = max(max_row, int(match.group(1)))
    rows = sum(1 for _row in _ROW_TAG.finditer(xml))
    for ref in _DIMENSION.findall(xml):
        end = _RANGE_END.search(ref.split(b":")[-1])
        if end and end.group(1):
            max_column = max(max_column, _column_number(end.group(1)))
        if end and end.group(2):
            max_row = max(max_row, int(end.group(2)))
    if rows > MAX_ROWS + 1 or max_row > MAX_ROWS + 1 or max_column > MAX_COLUMNS:
        raise _too_big()


def checked_workbook(data: bytes) -> bytes:
    """`data` as a workbook calamine may read: the same parts, checked, stored uncompressed."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        parts = source.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _damaged() from None
    if len(parts) > MAX_PARTS or len({p.filename for p in parts}) != len(parts):
        raise _damaged()
    if sum(p.file_size for p in parts) > MAX_INFLATED_BYTES:
        raise _too_big()
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * part.compress_size:
            raise _too_big()
    output = io.BytesIO()
    try:
        with zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as target:
            for part in parts:
                with source.open(part) as stream:
                    content = stream.read()  # at most the declared size, checked above
                if _WORKSHEET.fullmatch(part.filename):
                    _check_grid(content)
                target.writestr(part.filename, content)
    except (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError, OSError):
        raise _damaged() from None
    return output.getvalue()
