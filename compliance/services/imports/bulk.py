"""Inserting many rows at once: PostgreSQL `COPY`, plain executemany elsewhere.

An executemany of INSERTs costs one statement per row on PostgreSQL (psycopg pipelines them, but
each is still bound and executed); `COPY` streams the rows in one command and is several times
faster (TOOLING.md, bench/imports.py). Values go through each column's own bind processing
first, so encrypted columns are encrypted and enums stored exactly as the ORM would store them.
Runs on the session's connection, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session


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
    processors: list[Callable[[Any], Any] | None] = [
        table.c[name].type.bind_processor(dialect) for name in names
    ]
    columns = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    statement = f"COPY {table.name} ({columns}) FROM STDIN"  # names come from the table
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = (row[n] if n in row else defaults[n] for n in names)
            copy.write_row(
                [
                    value if process is None or value is None else process(value)
                    for process, value in zip(processors, values, strict=True)
                ]
            )


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
