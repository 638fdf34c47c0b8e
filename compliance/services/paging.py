"""Long lists one page at a time, counted, filtered and ordered in the database.

The roster set the pattern (issue 14): the query string names the page and the order from a
whitelist, a wrong value is a `ServiceError` on its field (never a 500, never a silently
different list), and a page past the last shows the last. The roster, the candidates and the
histories share these pieces so they page alike.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import Session

from compliance.services import ServiceError

#: Rows on one page of a list.
PAGE_SIZE = 50

T = TypeVar("T")


def whole_number(raw: str) -> int | None:
    """`raw` as a number from 1, or None: ASCII digits only (`int` takes "²" no better than
    10,000 digits), at most seven of them."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 7 and int(raw) >= 1:
        return int(raw)
    return None


def page_number(args: Mapping[str, str], name: str = "page") -> int:
    """The page the query string asks for (1 when it names none)."""
    page = whole_number((args.get(name) or "1").strip())
    if page is None:
        raise ServiceError(_("The page must be a whole number from 1."), field=name)
    return page


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    """How many pages `total` rows fill; an empty list still has its one (empty) page."""
    return max(1, -(-total // size))


def within(page: int, total: int, size: int = PAGE_SIZE) -> int:
    """`page`, or the last page when it is past the end."""
    return min(page, page_count(total, size))


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, which page it is and how many rows there are in all."""

    rows: list[T]
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return page_count(self.total, self.size)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def first_row(self) -> int:
        """The place of the page's first row in the whole list, from 1 (0: the list is empty)."""
        return self.offset + 1 if self.rows else 0

    @property
    def last_row(self) -> int:
        return self.offset + len(self.rows)

    def links(self, around: int = 2) -> list[int | None]:
        """The page numbers a pager links to: the first, the last and `around` either side of
        this one; None where numbers are left out ("…")."""
        shown = sorted(
            {1, self.pages, *range(self.number - around, self.number + around + 1)}
            & set(range(1, self.pages + 1))
        )
        found: list[int | None] = []
        for number in shown:
            if found and number - (found[-1] or 0) > 1:
                found.append(None)
            found.append(number)
        return found


def page_of(rows: Sequence[T], page: int, size: int = PAGE_SIZE) -> Page[T]:
    """Page `page` of `rows` already in memory; past the end, the last page."""
    number = within(page, len(rows), size)
    start = (number - 1) * size
    return Page(list(rows[start : start + size]), number, len(rows), size)


# --- cursors (the API) ------------------------------------------------------------------------
#
# An API client walks a list by cursor: the page after the last row it saw, in id order. A
# row added or removed between two calls neither repeats nor skips another, as offsets would.
# The cursor is opaque (base64 of the last id); the tenant scope applies to every page, so a
# forged cursor shows nothing outside the caller's reach.


@dataclass(frozen=True)
class CursorPage(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    kind, _sep, value = text.partition(":")
    if kind == "id" and value.isascii() and value.isdigit() and len(value) < 11:
        return int(value)
    raise ServiceError(_("This cursor is not one we gave out."), field="cursor")


def cursor_page(
    session: Session, query: Select[T], id_column: Any, cursor: str | None, limit: int
) -> CursorPage[T]:
    """Up to `limit` rows of `query` after `cursor`, and the cursor of the next page."""
    rows = session.scalars(
        query.where(id_column > decode_cursor(cursor)).order_by(id_column).limit(limit + 1)
    ).all()
    shown = rows[:limit]
    more = len(rows) > limit
    last_id: int = shown[-1].id if more else 0  # type: ignore[attr-defined]
    return CursorPage(shown, encode_cursor(last_id) if more else None)
