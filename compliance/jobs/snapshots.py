"""The monthly snapshot: freeze each organisation's quota result for the month just ended.

The quota history then shows what was known when the month closed, even if figures are
corrected later (those corrections show in new declarations, never in the frozen month). A
month with missing figures is not frozen yet: the job runs daily and freezes it once the
figures are complete. A frozen month is never recomputed, so a second run changes nothing.
Only organisations with a month to freeze and figures for it are looked at (`_may_freeze`):
after the first days of a month, those whose figures came late.

Each organisation's work only computes; the chunk's snapshots are written at its end in one
statement (`_write`), so an organisation costs its computation and no statement of its own
(issue 19: 500,000 organisations in minutes). The unique constraint on (organisation, month)
is the last word: a month another process froze meanwhile is skipped, not written twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from compliance.clock import local_date, local_dates
from compliance.jobs.runner import RunCounts, each_organization
from compliance.models.jobs import MonthlySnapshot
from compliance.models.organizations import Establishment, Organization
from compliance.models.workforce import WorkforceFigure
from compliance.services.dates import previous_month
from compliance.services.declarations.computation import compute, computing_ahead


def freeze_monthly_snapshots(session: Session, now: datetime, counts: RunCounts) -> None:
    months = {previous_month(today) for today in local_dates(now)}
    #: The months of `months` already frozen, for each organisation of the chunk at hand
    #: (`read_ahead`): one query a chunk instead of one an organisation.
    frozen: dict[int, set[date]] = {}
    #: The chunk's snapshots computed so far, written together when its work is done.
    pending: list[dict[str, Any]] = []

    def work(session: Session, organization: Organization) -> int:
        # The month just ended at the organisation's head office.
        today = local_date(now, organization.zone)
        month = previous_month(today)
        known = frozen.get(organization.id)
        if known is None:  # not read with its chunk
            known = _frozen(session, [organization.id], {month}).get(organization.id, set())
        if month in known:
            return 0
        computation = compute(
            session, organization, [month], label=f"{month:%Y-%m}", today=today, areas=False
        )
        if computation.missing():
            return 0
        result = computation.entity.months[0]
        pending.append(
            {
                "organization_id": organization.id,
                "month": month,
                "status": result.status.value,
                "denominator": None if result.denominator is None else int(result.denominator),
                "required": result.required,
                "counted": result.counted,
                "gap": result.gap,
                "pack_id": result.pack_id,
                "input_sha256": computation.input_sha256,
                "data": {
                    "format": 1,
                    "establishments": [
                        {"id": e.establishment_id, "status": r.status.value}
                        for e, r in computation.establishments
                    ],
                },
                "frozen_at": now,
            }
        )
        return 1

    @contextmanager
    def chunk(session: Session, ids: list[int]) -> Iterator[None]:
        frozen.clear()
        frozen.update({organization_id: set() for organization_id in ids})
        for organization_id, found in _frozen(session, ids, months).items():
            frozen[organization_id] = found
        pending.clear()
        with computing_ahead(session, ids, months):  # figures and rosters, a chunk at once
            yield
        _write(session, pending)  # not reached if the chunk failed: nothing is kept of it

    each_organization(session, counts, work, only=_may_freeze(months), prepare=chunk, writes=False)


def _write(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert the chunk's snapshots in one statement, skipping a month frozen meanwhile by
    another process (the unique constraint decides which of two runs keeps its row)."""
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(MonthlySnapshot.__table__).on_conflict_do_nothing(
        index_elements=["organization_id", "month"]
    )
    session.execute(statement, rows)


def _frozen(session: Session, ids: list[int], months: set[date]) -> dict[int, set[date]]:
    """The months of `months` already frozen for each of the organisations `ids` that has one
    (a second run, or another process, got there first: the unique constraint is the last
    word, this is what keeps the work from being done twice)."""
    found: dict[int, set[date]] = {}
    rows = session.execute(
        select(MonthlySnapshot.organization_id, MonthlySnapshot.month).where(
            MonthlySnapshot.organization_id.in_(ids), MonthlySnapshot.month.in_(months)
        )
    )
    for organization_id, month in rows:
        found.setdefault(organization_id, set()).add(month)
    return found


def _may_freeze(months: set[date]) -> Select[int]:
    """The organisations with a month of `months` (each zone's last one) not frozen yet, and
    figures for it: the job looks at these only. Without figures a month is incomplete, unless
    no establishment is expected in it (every one closed before), which `compute` freezes too."""
    return select(Organization.id).where(or_(*(_unfrozen_with_figures(m) for m in months)))


def _unfrozen_with_figures(month: date) -> ColumnElement[bool]:
    frozen = select(MonthlySnapshot.id).where(
        MonthlySnapshot.organization_id == Organization.id, MonthlySnapshot.month == month
    )
    figures = select(WorkforceFigure.id).where(
        WorkforceFigure.organization_id == Organization.id, WorkforceFigure.month == month
    )
    expected = select(Establishment.id).where(
        Establishment.organization_id == Organization.id,
        or_(
            Establishment.closed_at.is_(None),
            Establishment.closed_at >= datetime.combine(month, time()),
        ),
    )
    return and_(~frozen.exists(), or_(figures.exists(), ~expected.exists()))
