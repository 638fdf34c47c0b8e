"""Validating and writing an import of monthly workforce figures.

The rules are those of `services.workforce.record_monthly_figures` (an open establishment, a
month that has begun, a type the organisation's sector reports, a whole number of people that
is not negative), applied to every row at once. Writing compares with the stored headcounts
and touches only the figures that differ, so an unchanged re-import writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy import Table as SqlTable
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.imports import ImportKind
from compliance.models.organizations import Organization
from compliance.models.workforce import WorkforceFigure
from compliance.quota import EmploymentType
from compliance.services.dates import month_start
from compliance.services.imports.bulk import insert_rows
from compliance.services.imports.checks import Cells, Errors, Establishments, check_header
from compliance.services.imports.reading import Table
from compliance.services.workforce import (
    RosterPresence,
    employment_types_for,
    headcount_below_roster,
)


@dataclass(frozen=True, slots=True)
class FigureRow:
    establishment_id: int
    month: date
    counts: dict[EmploymentType, int]


@dataclass(frozen=True)
class WriteCounts:
    created: int
    updated: int
    unchanged: int


def validate_figures(
    session: Session, organization_id: int, table: Table, errors: Errors
) -> list[FigureRow]:
    positions = check_header(table.header, ImportKind.FIGURES, errors)
    if errors.count:
        return []
    organization = session.get(Organization, organization_id)
    assert organization is not None
    allowed = set(employment_types_for(organization.sector))
    establishments = Establishments(session, organization_id)
    roster = RosterPresence(session, organization_id)
    stored = _stored_totals(session, organization_id)
    this_month = month_start(organization.today())
    seen: dict[tuple[int, date], int] = {}
    parsed: list[FigureRow] = []
    for number, raw in table.rows:
        cells = Cells(number, raw, positions, errors)
        before = errors.count
        establishment = establishments.find(cells)
        if establishment is not None and not establishment.is_open:
            cells.error("establishment", "closed_establishment", value=establishment.name)
        month = _month(cells, this_month)
        counts: dict[EmploymentType, int] = {}
        for kind in EmploymentType:
            value = cells.text(kind.value)
            if not value:
                continue
            if kind not in allowed:
                cells.error(kind.value, "type_not_reported", value=kind.value)
            elif not value.lstrip("-").isdigit():
                cells.error(kind.value, "not_a_number", value=value)
            elif int(value) < 0:
                cells.error(kind.value, "negative")
            else:
                counts[kind] = int(value)
        if errors.count == before and not counts:
            cells.error("", "no_figures")
        if establishment is not None and month is not None:
            other = seen.setdefault((establishment.id, month), number)
            if other != number:
                cells.error("month", "duplicate_month", other=other)
        if errors.count == before and establishment is not None and month is not None:
            kept = stored.get((establishment.id, month), {})
            total = sum(counts.values()) + sum(n for k, n in kept.items() if k not in counts)
            on_roster = roster.count(establishment.id, month)
            if headcount_below_roster(on_roster, total, establishment.name):
                cells.error("", "below_roster", count=on_roster, total=total)
            else:
                parsed.append(FigureRow(establishment.id, month, counts))
    return parsed


def _stored_totals(
    session: Session, organization_id: int
) -> dict[tuple[int, date], dict[EmploymentType, int]]:
    """The stored headcounts, so a row giving some types is checked with the others kept."""
    stored: dict[tuple[int, date], dict[EmploymentType, int]] = {}
    for establishment_id, month, kind, headcount in session.execute(
        select(
            WorkforceFigure.establishment_id,
            WorkforceFigure.month,
            WorkforceFigure.employment_type,
            WorkforceFigure.headcount,
        ).where(WorkforceFigure.organization_id == organization_id)
    ):
        stored.setdefault((establishment_id, month), {})[kind] = headcount
    return stored


def _month(cells: Cells, this_month: date) -> date | None:
    value = cells.text("month", required=True)
    if not value:
        return None
    try:
        month = date.fromisoformat(f"{value[:7]}-01")
    except ValueError:
        cells.error("month", "bad_month", value=value)
        return None
    if len(value) not in (7, 10):
        cells.error("month", "bad_month", value=value)
        return None
    if month > this_month:
        cells.error("month", "future_month", value=value)
        return None
    return month


def write_figures(
    session: Session,
    organization_id: int,
    actor_id: int | None,
    rows: list[FigureRow],
    progress: Callable[[int], None],
    batch_size: int = 2000,
) -> WriteCounts:
    """Insert new figures and update changed ones with Core executemany, batch by batch."""
    table = cast(SqlTable, WorkforceFigure.__table__)
    stored = {
        (e, m, t): (figure_id, headcount)
        for figure_id, e, m, t, headcount in session.execute(
            select(
                WorkforceFigure.id,
                WorkforceFigure.establishment_id,
                WorkforceFigure.month,
                WorkforceFigure.employment_type,
                WorkforceFigure.headcount,
            ).where(WorkforceFigure.organization_id == organization_id)
        )
    }
    created = updated = unchanged = 0
    now = utcnow()
    for start in range(0, len(rows), batch_size):
        inserts: list[dict[str, object]] = []
        updates: list[dict[str, object]] = []
        for row in rows[start : start + batch_size]:
            for kind, headcount in row.counts.items():
                found = stored.get((row.establishment_id, row.month, kind))
                if found is None:
                    inserts.append(
                        {
                            "organization_id": organization_id,
                            "establishment_id": row.establishment_id,
                            "month": row.month,
                            "employment_type": kind,
                            "headcount": headcount,
                            "updated_at": now,
                            "updated_by_id": actor_id,
                        }
                    )
                elif found[1] != headcount:
                    updates.append({"b_id": found[0], "b_headcount": headcount})
                else:
                    unchanged += 1
        insert_rows(session, table, inserts)
        if updates:
            session.execute(
                table.update()
                .where(table.c.id == bindparam("b_id"))
                .values(headcount=bindparam("b_headcount"), updated_at=now, updated_by_id=actor_id),
                updates,
            )
        created += len(inserts)
        updated += len(updates)
        progress(min(len(rows), start + batch_size))
    return WriteCounts(created, updated, unchanged)
