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

#: A template workbook has about a dozen parts and at most 23 columns (the registry's).
MAX_PARTS = 256
MAX_COLUMNS = 32
#: Data rows in one file, in either format (the import benchmark's 100,000, and half again).
MAX_ROWS = 150_000
#: What all parts may inflate to, and how much one part may inflate relative to its size.
MAX_INFLATED_BYTES = 192 * 1024 * 1024
MAX_RATIO = 150

# The grid is checked by searches that start with a literal (which the regex engine finds at
# memchr speed) and by byte counts, never a Python step per cell: a 100,000-row sheet has two
# million cells. A cell may name at most column AF (32) and row 199,999, a range (`<dimension>`,
# merged cells) the same: calamine sizes its grid by the largest of them.
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_CELL_BEYOND_COLUMNS = re.compile(rb' r="(?:[A-Z]{3}|[B-Z][A-Z]|A[G-Z])[0-9]')
_CELL_BEYOND_ROWS = re.compile(rb' r="[A-Z]{0,3}(?:[2-9][0-9]{5}|[0-9]{7,})"')
_RANGE = re.compile(rb' ref="([^"]*)"')
_RANGE_END = re.compile(rb"(?:[A-Z]{1,3})?(?:[0-9]{1,6})?")
_PREFIXED_CELL = re.compile(rb"<\w+:c[\s/>]")
#: Every way a cell tag can start, and the one way Excel and XlsxWriter write a placed cell.
_CELL_STARTS = (b"<c ", b"<c>", b"<c/>", b"<c\t", b"<c\n", b"<c\r")
_PLACED_CELL = b'<c r="'
_ODD_SEPARATORS = (b'\tr="', b'\nr="', b'\rr="')


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


def _range_too_big(ref: bytes) -> bool:
    """Whether a range like A1:XFD1048576 reaches past column AF or row 199,999."""
    for corner in ref.split(b":"):
        if _RANGE_END.fullmatch(corner) is None:
            return True  # not a cell reference at all
        letters = corner.rstrip(b"0123456789")
        digits = corner[len(letters) :]
        if (
            len(letters) > 2
            or (len(letters) == 2 and letters > b"AF")
            or int(digits or 0) > 199_999
        ):
            return True
    return False


def _check_grid(xml: bytes) -> None:
    """Refuse a worksheet naming a cell or range beyond the limits, or cells without a place
    (calamine would put them one after another, as wide as the attacker likes)."""
    if any(separator in xml for separator in _ODD_SEPARATORS) or _PREFIXED_CELL.search(xml):
        raise _damaged()
    if sum(xml.count(start) for start in _CELL_STARTS) != xml.count(_PLACED_CELL):
        raise _damaged()
    if _CELL_BEYOND_COLUMNS.search(xml) or _CELL_BEYOND_ROWS.search(xml):
        raise _too_big()
    if any(_range_too_big(ref) for ref in _RANGE.findall(xml)):
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
