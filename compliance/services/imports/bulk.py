"""Inserting many rows at once: PostgreSQL `COPY`, plain executemany elsewhere.

An executemany of INSERTs costs one statement per row on PostgreSQL (psycopg pipelines them, but
each is still bound and executed); `COPY` streams the rows in one command and is several times
faster (TOOLING.md, bench/imports.py). Values go through each column's own bind processing,
so encrypted columns are encrypted and enums stored exactly as the ORM would store them; this
is done a column at a time (an encrypted type binds a whole column with `bind_many`), in slices
streamed into the COPY. Runs on the session's connection, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

_SLICE = 500


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table`."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        session.execute(table.insert(), list(rows))
        return
    defaults = _python_defaults(table, rows[0].keys())
    names = [*rows[0], *defaults]
    kinds = [table.c[name].type for name in names]
    quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    statement = f"COPY {table.name} ({quoted}) FROM STDIN"  # names come from the table
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        # Prepared a slice at a time inside the COPY, so the database stores one slice (on the
        # other core) while the next one is encrypted and formatted here.
        for start in range(0, len(rows), _SLICE):
            part = rows[start : start + _SLICE]
            columns = [
                _bound(kind, dialect, part, name, defaults)
                for kind, name in zip(kinds, names, strict=True)
            ]
            for row in zip(*columns, strict=True):
                copy.write_row(row)


def _bound(
    kind: TypeEngine[Any],
    dialect: Dialect,
    rows: Sequence[dict[str, Any]],
    name: str,
    defaults: dict[str, Any],
) -> list[Any]:
    """One column's values as the database gets them, processed a column at a time.

    A type with a `bind_many` (the encrypted ones) binds the whole column in one call.
    """
    values = [row[name] for row in rows] if name not in defaults else [defaults[name]] * len(rows)
    bind_many = getattr(kind, "bind_many", None)
    if bind_many is not None:
        return list(bind_many(values))
    process = kind.bind_processor(dialect)
    if process is None:
        return values
    return [None if value is None else process(value) for value in values]


def _python_defaults(table: Table, given: Iterable[str]) -> dict[str, Any]:
    """Column defaults computed in Python (`default=`): an INSERT applies them, COPY would not.
    Evaluated once for the whole batch, as one INSERT statement would."""
    given = set(given)
    found: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if column.name in given or default is None:
            continue
        if default.is_scalar:
            found[column.name] = default.arg  # type: ignore[attr-defined]
        elif default.is_callable:
            found[column.name] = default.arg(None)  # type: ignore[attr-defined]
    return found
