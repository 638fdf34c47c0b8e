"""Rebuilding every organisation's compliance summary: in batches, resumable, totals summed once.

Time alone changes the summaries (a new month, a due date passing), so they are rebuilt
nightly. The rebuild used to refresh one organisation after another in a single transaction,
adding each one's difference to the area totals as it went: some 26 upserts of the same few
rows per organisation (its province and regency, 13 months each), the largest single cost of
the job (131,560 statements at 5,000 organisations), on rows every organisation of a province
rewrites; and an interruption rolled all of it back. Now a batch rewrites its organisations'
rows only, the caller commits after each batch (the job remembers how far it got in
`SummaryWatermark` "rebuild" and its next run continues there), and the totals are summed once
at the end from the rows themselves: a grouped read of a few thousand rows, equal to what the
increments of `refresh_summary` add up to.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import String, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.audit import AuditEvent
from compliance.models.inspections import (
    LATEST,
    ComplianceTotal,
    SummaryMonth,
    SummaryWatermark,
)
from compliance.models.inspections import ComplianceSummary as S
from compliance.models.organizations import Organization
from compliance.models.tenancy import Reach, reach_scope
from compliance.services.declarations.computation import computing_ahead
from compliance.services.declarations.reuse import forget
from compliance.services.inspections.counts import (
    apply_count_difference,
    counts_of,
    rebuild_counts,
)
from compliance.services.inspections.summary import (
    COMPLIANT,
    SummaryRows,
    months_computed,
    summary_facts,
    summary_rows,
    summary_watermark,
    write_summary_rows,
)
from compliance.services.inspections.totals import COLUMNS, Contribution, clear_totals

#: Organisations per batch: one transaction each in the nightly job, so an interruption
#: repeats at most this many.
BATCH_SIZE = 500
#: The watermark of a rebuild under way: `organization_id` is the last one rebuilt (0 when no
#: rebuild is under way), `audit_event_id` the newest event when the rebuild started.
REBUILD = "rebuild"


def rebuild_summaries(session: Session, *, today: date | None = None) -> int:
    """Recompute every organisation and the totals in one go (`flask inspections
    rebuild-summary`, after a deployment); returns how many organisations. Flushes only."""
    with reach_scope(session, Reach.for_everything()):
        progress = rebuild_progress(session, restart=True)
        done = 0
        while ids := next_batch(session, progress.organization_id):
            rebuild_batch(session, ids, today=today)
            progress.organization_id = ids[-1]
            done += len(ids)
        finish_rebuild(session)
    return done


def rebuild_progress(session: Session, *, restart: bool = False) -> SummaryWatermark:
    """The rebuild under way, or a new one starting now (also when `restart`)."""
    mark = session.get(SummaryWatermark, REBUILD)
    if mark is None:
        mark = SummaryWatermark(name=REBUILD, audit_event_id=0, organization_id=0)
        session.add(mark)
    if restart or mark.organization_id == 0:
        # Events from now on are caught up after the rebuild (`catch_up`), even for
        # organisations it has already passed.
        mark.organization_id = 0
        mark.audit_event_id = session.scalar(select(func.max(AuditEvent.id))) or 0
    session.flush()
    return mark


def next_batch(session: Session, after: int) -> list[int]:
    """The next organisations in id order (an index range, however far the rebuild got)."""
    return list(
        session.scalars(
            select(Organization.id)
            .where(Organization.id > after)
            .order_by(Organization.id)
            .limit(BATCH_SIZE)
        )
    )


def rebuild_batch(session: Session, ids: list[int], *, today: date | None = None) -> int:
    """Rewrite the summary rows of `ids` and their kept counts (not the totals, summed once at
    the end); how many came out different."""
    with reach_scope(session, Reach.for_everything()):
        before = _rows(session, ids)
        counted = counts_of(session, ids)
        # The batch is read, and its rows deleted and written, in a few statements rather
        # than a few an organisation (`rewrite_summary` does the same for one).
        session.execute(delete(S).where(S.organization_id.in_(ids)))
        session.execute(delete(SummaryMonth).where(SummaryMonth.organization_id.in_(ids)))
        organizations = list(
            session.scalars(
                select(Organization).where(Organization.id.in_(ids)).order_by(Organization.id)
            )
        )
        facts = summary_facts(session, ids)
        months = months_computed(today or utcnow().date())
        built: list[SummaryRows] = []
        with computing_ahead(session, ids, months, periods=True):
            for organization in organizations:
                built.append(summary_rows(session, organization, today, facts))
                # What one organisation's computations kept, the next never asks for.
                forget(session)
        write_summary_rows(session, built)
        # The kept counts follow in the batch's transaction (a few upserts: the batch's keys).
        apply_count_difference(session, counted, counts_of(session, ids))
        session.flush()
        return len({row[0] for row in _rows(session, ids) ^ before})


def finish_rebuild(session: Session) -> None:
    """End the rebuild under way: sum the totals, count the rows per province and status
    (`counts.py`) and move the catch-up watermark. (Rows of
    deleted organisations went with them: their foreign keys cascade.)"""
    with reach_scope(session, Reach.for_everything()):
        progress = rebuild_progress(session)
        rebuild_totals(session)
        rebuild_counts(session)
        mark = summary_watermark(session)
        mark.audit_event_id = max(mark.audit_event_id, progress.audit_event_id)
        newest = session.scalar(select(func.max(Organization.id))) or 0
        mark.organization_id = max(mark.organization_id, min(newest, progress.organization_id))
        progress.organization_id = 0
        session.flush()


def rebuild_totals(session: Session) -> None:
    """The area totals summed from the summary rows, replacing what was there.

    An organisation counts in its province and in each regency/city of that province's row,
    for its latest state (`LATEST`, when it has a required number) and each complete month,
    exactly as `totals.contribution` counts one organisation.
    """
    totals: Contribution = {}
    codes = cast(S.regency_codes, String)
    compliant = S.status == COMPLIANT
    latest = session.execute(
        select(S.province_code, codes, compliant, func.count(), func.sum(S.required))
        .add_columns(func.sum(S.counted))
        .where(S.required.is_not(None))
        .group_by(S.province_code, codes, compliant)
    )
    for province, regencies, is_compliant, n, required, counted in latest:
        numbers = [n, n if is_compliant else 0, required or 0, counted or 0]
        _add(totals, {province, *json.loads(regencies)}, LATEST, numbers)
    months = session.execute(
        select(S.province_code, codes, SummaryMonth.month, func.count())
        .add_columns(func.sum(SummaryMonth.required), func.sum(SummaryMonth.counted))
        .join_from(S, SummaryMonth, SummaryMonth.organization_id == S.organization_id)
        .group_by(S.province_code, codes, SummaryMonth.month)
    )
    for province, regencies, month, n, required, counted in months:
        _add(totals, {province, *json.loads(regencies)}, month, [n, 0, required or 0, counted])
    clear_totals(session)
    if totals:
        session.execute(
            insert(ComplianceTotal),
            [
                {"area_code": area, "month": month, **dict(zip(COLUMNS, numbers, strict=True))}
                for (area, month), numbers in sorted(totals.items())
            ],
        )


def _add(totals: Contribution, areas: set[str], month: date, numbers: list[int]) -> None:
    for area in areas:
        found = totals.setdefault((area, month), [0, 0, 0, 0])
        for i, number in enumerate(numbers):
            found[i] += int(number)


def _rows(session: Session, ids: list[int]) -> set[tuple[Any, ...]]:
    """The summary rows of `ids` as comparable tuples (without when they were refreshed)."""
    table = S.__table__
    columns = [table.c.organization_id, *(c for c in table.columns if c.name != "refreshed_at")]
    return {
        tuple(tuple(v) if isinstance(v, list) else v for v in row)
        for row in session.execute(select(*columns).where(table.c.organization_id.in_(ids)))
    }
