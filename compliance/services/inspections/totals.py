"""Running totals per area and month, kept by adding each summary refresh's difference.

An organisation contributes to every province and regency/city it has an establishment in:
one organisation, whether it is compliant, and its required and counted persons, for its latest
complete month (`LATEST`) and for each month of the window. `contribution` turns summary rows
into those numbers; `apply_difference` adds new minus old with one upsert per changed row, so
two refreshes at once never lose each other's update.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import FromClause, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from compliance.models.inspections import LATEST, ComplianceTotal

Numbers = list[int]  # organizations, compliant, required, counted
Contribution = dict[tuple[str, date], Numbers]
COLUMNS = ("organizations", "compliant", "required", "counted")


def contribution(
    areas: Iterable[str],
    latest: tuple[bool, int | None, int] | None,
    months: Sequence[tuple[date, int | None, int]],
) -> Contribution:
    """`latest` is (is compliant, required, counted) or None; `months` (month, required,
    counted) for each complete month."""
    found: Contribution = defaultdict(lambda: [0, 0, 0, 0])
    for area in set(areas):
        if latest is not None:
            compliant, required, counted = latest
            found[(area, LATEST)] = [1, int(compliant), required or 0, counted]
        for month, required, counted in months:
            found[(area, month)] = [1, 0, required or 0, counted]
    return dict(found)


def apply_difference(session: Session, old: Contribution, new: Contribution) -> None:
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key, [0, 0, 0, 0]), new.get(key, [0, 0, 0, 0])
        delta = [a - b for a, b in zip(after, before, strict=True)]
        if not any(delta):
            continue
        add_to_row(
            session,
            ComplianceTotal.__table__,
            {"area_code": key[0], "month": key[1]},
            dict(zip(COLUMNS, delta, strict=True)),
        )


def add_to_row(
    session: Session, table: FromClause, key: dict[str, object], deltas: dict[str, int]
) -> None:
    """Add `deltas` to the row of `table` whose primary key is `key`, creating it at `deltas`:
    one upsert, so refreshes in concurrent transactions add up instead of overwriting. The
    kept totals and the kept counts (`counts.py`) both grow this way."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**key, **deltas)
    statement = statement.on_conflict_do_update(
        index_elements=list(key),
        set_={name: table.c[name] + statement.excluded[name] for name in deltas},
    )
    session.execute(statement)


def clear_totals(session: Session) -> None:
    session.execute(delete(ComplianceTotal))
