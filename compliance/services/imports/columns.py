"""Checking a whole file a column at a time, for imports of 100,000 rows.

`checks.Cells` checks one cell per method call, which is clear but costs about a second per
100,000-row roster in calls alone (bench/imports.py), and the import checks the file twice (on
upload and again before writing). Here each check runs once over a column, mostly as one
comprehension, and a value that repeats (a date, a category list, an establishment) is parsed
once. The rules and the error codes are the same; the errors are handed to `Errors` in the
order a row-by-row pass would give them (row, then column), so a report reads the same.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from itertools import zip_longest
from typing import Any

from compliance.services.imports.checks import Errors, cell_date
from compliance.services.imports.reading import Table

# (row index, column order, column, code, params): sortable into the report's order.
_Found = tuple[int, int, str, str, dict[str, Any]]


class Sheet:
    """The data rows of a file as columns of stripped text, with checks that collect errors.

    A column the file leaves out reads as empty cells. Call `finish()` after the last check: it
    passes the errors to `Errors` sorted by row.
    """

    def __init__(
        self, table: Table, positions: dict[str, int], order: Sequence[str], errors: Errors
    ) -> None:
        self.lines = [number for number, _cells in table.rows]
        self.size = len(self.lines)
        self._errors = errors
        self._order = {name: index for index, name in enumerate(order)}
        self._found: list[_Found] = []
        self._count = 0
        transposed = list(zip_longest(*(cells for _n, cells in table.rows), fillvalue=""))
        empty = ("",) * self.size
        self._columns: dict[str, Sequence[str]] = {
            name: transposed[index] if index < len(transposed) else empty
            for name, index in positions.items()
        }
        self._empty = empty

    def raw(self, column: str) -> Sequence[str]:
        """The cells as written, unchecked."""
        return self._columns.get(column, self._empty)

    def filled(self, columns: Sequence[str]) -> list[bool]:
        """For each row: is any of `columns` filled in?"""
        return [any(cells) for cells in zip(*(self.raw(c) for c in columns), strict=True)]

    def text(self, column: str, *, required: bool = False, max_length: int = 0) -> list[str]:
        """The column's text; a missing required cell is an error, a too long one reads as ""."""
        values = list(self.raw(column))
        if required:
            for index in [i for i, value in enumerate(values) if not value]:
                self.error(index, column, "required")
        if max_length:
            for index in [i for i, value in enumerate(values) if len(value) > max_length]:
                self.error(index, column, "too_long", max=max_length)
                values[index] = ""
        return values

    def dates(self, column: str, *, required: bool = False) -> list[date | None]:
        """ISO dates (a time after the date is ignored); a wrong one is an error and None."""
        values = self.text(column, required=required)
        parsed: dict[str, date | None] = {"": None}
        wrong: set[str] = set()
        for value in set(values) - {""}:
            try:
                parsed[value] = cell_date(value)
            except ValueError:
                parsed[value] = None
                wrong.add(value)
        if wrong:
            for index in [i for i, value in enumerate(values) if value in wrong]:
                self.error(index, column, "bad_date", value=values[index])
        return [parsed[value] for value in values]

    def choices(
        self,
        column: str,
        allowed: Collection[str],
        *,
        required: bool = False,
        code: str = "unknown_choice",
    ) -> list[str]:
        """Lower-cased codes from `allowed`; a wrong one is an error `code` and reads as ""."""
        values = [value.lower() for value in self.text(column, required=required)]
        wrong = set(values) - set(allowed) - {""}
        if wrong:
            listed = ", ".join(allowed)
            for index in [i for i, value in enumerate(values) if value in wrong]:
                self.error(index, column, code, value=values[index], allowed=listed)
                values[index] = ""
        return values

    def error(self, index: int, column: str, code: str, /, **params: Any) -> None:
        self._count += 1
        self._found.append((index, self._order.get(column, 0), column, code, params))
        if len(self._found) > 20 * self._errors.limit:
            self._trim()

    def finish(self) -> None:
        self._trim()
        self._errors.count += self._count - len(self._found)
        for index, _order, column, code, params in self._found:
            self._errors.add(self.lines[index], column, code, **params)
        self._found, self._count = [], 0

    def _trim(self) -> None:
        """Keep only the errors the report can show: the first `limit` in row order.

        A file of nonsense has an error in every cell; keeping them all would hold millions.
        Any error that ends up among the first `limit` is among the first `limit` of every
        subset it belongs to, so trimming on the way loses none of them.
        """
        self._found.sort(key=lambda found: found[:2])
        del self._found[self._errors.limit - len(self._errors.items) :]
