"""Cell-level checks shared by both import formats, collecting errors instead of raising.

A form stops at its first error; an import must report every wrong cell of every row at once,
so these helpers append to an error list and return None for a cell that failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.imports import ImportKind
from compliance.models.organizations import Establishment
from compliance.services.imports.spec import RowError, columns_for, required_for


@dataclass
class Errors:
    """The errors of one file; stops storing after `limit` but keeps counting."""

    limit: int
    items: list[RowError] = field(default_factory=list)
    count: int = 0

    def add(self, row: int, column: str, code: str, /, **params: Any) -> None:
        self.count += 1
        if len(self.items) < self.limit:
            self.items.append(RowError(row, column, code, params))


def check_header(header: Sequence[str], kind: ImportKind, errors: Errors) -> dict[str, int]:
    """Map each known column to its position; report missing, unknown and repeated ones."""
    known = columns_for(kind)
    positions: dict[str, int] = {}
    unknown = []
    for index, name in enumerate(header):
        if not name:
            continue
        if name not in known:
            unknown.append(name)
        elif name in positions:
            errors.add(0, name, "duplicate_column", column=name)
        else:
            positions[name] = index
    missing = [name for name in required_for(kind) if name not in positions]
    if missing:
        errors.add(0, "", "missing_columns", columns=", ".join(missing))
    if unknown:
        errors.add(0, "", "unknown_columns", columns=", ".join(unknown))
    return positions


def cell_date(value: str) -> date:
    """A date written as YYYY-MM-DD; a time after it (a spreadsheet's date cell) is ignored.
    Raises ValueError for anything else."""
    return date.fromisoformat(value[:10] if "T" in value or " " in value else value)


class Cells:
    """One row's cells by column name; a column absent from the file reads as empty."""

    __slots__ = ("cells", "errors", "number", "positions")

    def __init__(
        self, number: int, cells: tuple[str, ...], positions: dict[str, int], errors: Errors
    ) -> None:
        self.number = number
        self.cells = cells
        self.positions = positions
        self.errors = errors

    def text(self, column: str, *, required: bool = False, max_length: int = 0) -> str:
        try:
            value = self.cells[self.positions[column]]
        except (KeyError, IndexError):  # a column the file leaves out, a short row
            value = ""
        if required and not value:
            self.error(column, "required")
        elif max_length and len(value) > max_length:
            self.error(column, "too_long", max=max_length)
            return ""
        return value

    def date(self, column: str, *, required: bool = False) -> date | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            return cell_date(value)
        except ValueError:
            self.error(column, "bad_date", value=value)
            return None

    def choice(self, column: str, allowed: Sequence[str], *, required: bool = False) -> str:
        """A code from `allowed`; "" when empty or wrong."""
        value = self.text(column, required=required).lower()
        if value and value not in allowed:
            self.error(column, "unknown_choice", value=value, allowed=", ".join(allowed))
            return ""
        return value

    def error(self, column: str, code: str, /, **params: Any) -> None:
        self.errors.add(self.number, column, code, **params)


@dataclass(frozen=True)
class EstablishmentRef:
    id: int
    name: str
    is_open: bool


class Establishments:
    """Finds one of the organisation's establishments by id, WLKP number or name."""

    def __init__(self, session: Session, organization_id: int) -> None:
        found = session.scalars(
            select(Establishment).where(Establishment.organization_id == organization_id)
        ).all()
        self.by_key: dict[str, list[EstablishmentRef]] = {}
        for e in found:
            ref = EstablishmentRef(e.id, e.name, e.closed_at is None)
            keys = {str(e.id), e.name.strip().casefold()}
            if e.wlkp_number:
                keys.add(e.wlkp_number.strip().casefold())
            for key in keys:
                self.by_key.setdefault(key, []).append(ref)

    def find(self, cells: Cells, column: str = "establishment") -> EstablishmentRef | None:
        value = cells.text(column, required=True)
        if not value:
            return None
        found = self.lookup(value)
        if isinstance(found, str):
            cells.error(column, found, value=value)
            return None
        return found

    def lookup(self, value: str) -> EstablishmentRef | str:
        """The establishment `value` names, or the code of the error it earns."""
        matches = self.by_key.get(value.casefold(), [])
        if not matches:
            return "unknown_establishment"
        if len({m.id for m in matches}) > 1:
            return "ambiguous_establishment"
        return matches[0]
