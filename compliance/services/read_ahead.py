"""A chunk of organisations' figures and rosters read at once, for a job that computes each one.

The nightly jobs compute the quota of every organisation: the monthly snapshot and the
inspectors' summary rebuild. Read one organisation at a time, that is six statements each
(the organisation, its establishments, its figures, its roster twice, the province names),
most of them returning nothing, and 500,000 organisations cannot fit in a night's window. Inside
`reading_ahead(session, ids, months)` the same readers (`workforce.monthly_figures`,
`roster_facts.roster_people`) answer for those organisations from rows read for the whole
chunk in six statements, and build exactly what they build from their own queries (and
`status.first_year` answers from the chunk's first month of figures; with `periods`, the
status of record finds each organisation's reporting periods in the chunk too).

The rows are only used while they are still what the database holds for this session:
- a flush or a bulk write that touches figures, establishments, organisations, employees,
  consents or reporting periods forgets them (the jobs using this write summaries and
  snapshots only);
- the tenant reach still decides: an organisation's rows answer under its own reach or under
  an everything-reach, never under another's.
Anything else (other months, other detail columns) is read as usual.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from compliance.models.declarations import ReportingPeriod
from compliance.models.organizations import Establishment, Organization, Sector
from compliance.models.people import ConsentRecord, Employee
from compliance.models.regions import Province
from compliance.models.tenancy import Reach, current_reach, reach_scope
from compliance.models.workforce import WorkforceFigure

KEY = "kuota.read_ahead"
#: A write to any of these makes the rows read ahead stale.
READ_FROM = (Organization, Establishment, WorkforceFigure, Employee, ConsentRecord, ReportingPeriod)


@dataclass
class Chunk:
    """What was read for a chunk of organisations, by organisation id."""

    months: frozenset[date]
    detail_columns: tuple[str, ...]
    sectors: dict[int, Sector]
    establishments: dict[int, list[Establishment]] = field(default_factory=dict)
    figures: dict[int, list[Any]] = field(default_factory=dict)
    employees: dict[int, list[Any]] = field(default_factory=dict)
    details: dict[int, list[Any]] = field(default_factory=dict)
    provinces: dict[str, str] = field(default_factory=dict)
    #: The first month with figures, of any month (`status.first_year`); None without any.
    first_months: dict[int, date | None] = field(default_factory=dict)
    #: Each organisation's reporting periods by their first day, when asked for (`periods`).
    periods: dict[int, dict[date, ReportingPeriod]] | None = None


@contextmanager
def reading_ahead(
    session: Session,
    organization_ids: Sequence[int],
    months: Sequence[date],
    *,
    employee_columns: Sequence[Any],
    detail_columns: Sequence[str],
    detail_select: Sequence[Any],
    periods: bool = False,
) -> Iterator[None]:
    """Within the block, the readers answer for `organization_ids` and `months` from rows
    read here. The caller (`computation.computing_ahead`) passes the columns the roster
    reader reads, so both paths read the same."""
    chunk = _read(
        session,
        list(organization_ids),
        frozenset(months),
        employee_columns,
        tuple(detail_columns),
        detail_select,
    )
    if periods:
        chunk.periods = _periods(session, list(chunk.sectors))
    session.info[KEY] = chunk
    try:
        yield
    finally:
        session.info.pop(KEY, None)


def _read(
    session: Session,
    ids: list[int],
    months: frozenset[date],
    employee_columns: Sequence[Any],
    detail_columns: tuple[str, ...],
    detail_select: Sequence[Any],
) -> Chunk:
    with reach_scope(session, Reach.for_everything()):
        chunk = Chunk(
            months=months,
            detail_columns=detail_columns,
            sectors={
                id_: sector
                for id_, sector in session.execute(
                    select(Organization.id, Organization.sector).where(Organization.id.in_(ids))
                )
            },
        )
        for establishment in session.scalars(
            select(Establishment)
            .where(Establishment.organization_id.in_(ids))
            .order_by(Establishment.is_head_office.desc(), Establishment.name, Establishment.id)
        ):
            chunk.establishments.setdefault(establishment.organization_id, []).append(establishment)
        if months:
            for row in session.execute(
                select(
                    WorkforceFigure.organization_id,
                    WorkforceFigure.establishment_id,
                    WorkforceFigure.month,
                    WorkforceFigure.employment_type,
                    WorkforceFigure.headcount,
                ).where(
                    WorkforceFigure.organization_id.in_(ids),
                    WorkforceFigure.month.in_(sorted(months)),
                )
            ):
                chunk.figures.setdefault(row.organization_id, []).append(row)
        for row in session.execute(
            select(Employee.organization_id, *employee_columns)
            .where(Employee.organization_id.in_(ids))
            .order_by(Employee.employee_number, Employee.id)
        ):
            chunk.employees.setdefault(row.organization_id, []).append(row)
        for row in session.execute(
            select(Employee.organization_id, *detail_select).where(
                Employee.organization_id.in_(ids), Employee.has_active_consent
            )
        ):
            chunk.details.setdefault(row.organization_id, []).append(row)
        chunk.provinces = {
            code: name for code, name in session.execute(select(Province.code, Province.name))
        }
        chunk.first_months = dict.fromkeys(chunk.sectors)
        for organization_id, first in session.execute(
            select(WorkforceFigure.organization_id, func.min(WorkforceFigure.month))
            .where(WorkforceFigure.organization_id.in_(ids))
            .group_by(WorkforceFigure.organization_id)
        ):
            chunk.first_months[organization_id] = first
    return chunk


def _periods(session: Session, ids: list[int]) -> dict[int, dict[date, ReportingPeriod]]:
    found: dict[int, dict[date, ReportingPeriod]] = {id_: {} for id_ in ids}
    with reach_scope(session, Reach.for_everything()):
        for period in session.scalars(
            select(ReportingPeriod).where(ReportingPeriod.organization_id.in_(ids))
        ):
            found[period.organization_id][period.starts_on] = period
    return found


def _chunk_for(session: Session, organization_id: int) -> Chunk | None:
    chunk = session.info.get(KEY)
    if not isinstance(chunk, Chunk) or organization_id not in chunk.sectors:
        return None
    reach = current_reach(session)
    if reach is None or not (reach.everything or reach.organization_id == organization_id):
        return None
    return chunk


def figures_of(
    session: Session, organization_id: int, months: Sequence[date]
) -> tuple[Sector, list[Establishment], list[Any]] | None:
    """The organisation's sector, establishments and figure rows of `months`, if read ahead."""
    chunk = _chunk_for(session, organization_id)
    if chunk is None or not chunk.months.issuperset(months):
        return None
    wanted = set(months)
    rows = [r for r in chunk.figures.get(organization_id, ()) if r.month in wanted]
    return (
        chunk.sectors[organization_id],
        chunk.establishments.get(organization_id, []),
        rows,
    )


def roster_of(
    session: Session, organization_id: int, detail_columns: Sequence[str]
) -> tuple[list[Any], list[Any]] | None:
    """The organisation's employees and the details of those with consent, if read ahead."""
    chunk = _chunk_for(session, organization_id)
    if chunk is None or tuple(detail_columns) != chunk.detail_columns:
        return None
    return chunk.employees.get(organization_id, []), chunk.details.get(organization_id, [])


def first_month_of(session: Session, organization_id: int) -> tuple[date | None] | None:
    """The organisation's first month with figures (None: none at all), if read ahead; in a
    tuple, so "not read ahead" (None) and "no figures" differ."""
    chunk = _chunk_for(session, organization_id)
    return None if chunk is None else (chunk.first_months[organization_id],)


def period_of(
    session: Session, organization_id: int, starts_on: date
) -> tuple[ReportingPeriod | None] | None:
    """The organisation's reporting period starting on `starts_on` (None: it has none), if
    read ahead; in a tuple, so "not read ahead" (None) and "no such period" differ."""
    chunk = _chunk_for(session, organization_id)
    if chunk is None or chunk.periods is None:
        return None
    return (chunk.periods[organization_id].get(starts_on),)


def province_names(session: Session) -> dict[str, str] | None:
    chunk = session.info.get(KEY)
    return chunk.provinces if isinstance(chunk, Chunk) else None


def _forget(session: Session) -> None:
    session.info.pop(KEY, None)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    if KEY in session.info and any(
        isinstance(obj, READ_FROM) for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        _forget(session)


@event.listens_for(Session, "do_orm_execute")
def _on_write(state: ORMExecuteState) -> None:
    if state.is_select or KEY not in state.session.info:
        return
    mapper = state.bind_mapper
    if mapper is None or issubclass(mapper.class_, READ_FROM):
        _forget(state.session)  # a bulk write to what was read, or to we cannot tell what
