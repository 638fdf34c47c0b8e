"""Pieces shared by the workbooks the product generates (receipts, evidence packs, summaries).

Workbooks are made with XlsxWriter by `new_workbook` only, where text always stays text, and put
each table on its own sheet with a bold, frozen header (`table_sheet`). PDFs start in
`services.pdf`, which owns the fonts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO, Any

import xlsxwriter


def new_workbook(output: IO[bytes], *, streamed: bool = False) -> xlsxwriter.Workbook:
    """Every workbook we write. XlsxWriter would turn text starting with "=" into a live formula
    and "http://..." into a link: a name like =HYPERLINK("http://x","klik") would become one in
    a receipt or an evidence pack (formula injection). Here text is always written as text.

    `streamed`: XlsxWriter's constant_memory mode, each row flushed to a temporary file once
    the next begins, so a sheet of 50,000 rows costs one row of memory (each sheet must then
    be written top to bottom, one after the other); otherwise every cell stays in memory."""
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    if streamed:  # in_memory would override constant_memory
        return xlsxwriter.Workbook(output, {**options, "constant_memory": True})
    return xlsxwriter.Workbook(output, {**options, "in_memory": True})


def table_sheet(
    book: Any,
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    bold: Any,
    *,
    width: int = 24,
) -> None:
    """A worksheet holding one table: the header in bold and frozen, then one row per item."""
    sheet = book.add_worksheet(name)
    sheet.write_row(0, 0, header, bold)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    sheet.set_column(0, len(header) - 1, width)
    sheet.freeze_panes(1, 0)
