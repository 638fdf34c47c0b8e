"""The maintained one-row-per-organisation compliance summary the dashboard ranks by.

`refresh_summary` recomputes one organisation with the same `compute` a declaration stores
(so the dashboard and the HR manager's gap page agree): the latest month of the last twelve
whose figures are complete, the declaration state and the data-quality flags. It is cheap
enough to call after every change to figures, roster or declarations.

Until every writer calls it, `catch_up` keeps the dashboard correct on its own: every change
already writes an audit event with its organisation, so the events newer than a watermark name
exactly the organisations whose summary is out of date. Time alone also changes the picture (a
new month, a due date passing): `rebuild.py` redoes every organisation nightly, in batches.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.audit import AuditEvent
from compliance.models.declarations import Declaration, DeclarationStatus, ReportingPeriod
from compliance.models.inspections import (
    ComplianceSummary,
    DeclarationReview,
    SummaryMonth,
    SummaryWatermark,
)
from compliance.models.inspections import ComplianceSummary as S
from compliance.models.organizations import Establishment, Organization
from compliance.models.tenancy import SKIP_OPTION, Reach, reach_scope
from compliance.services import ServiceError
from compliance.services.dates import month_start, months_ending
from compliance.services.declarations import Computation, compute
from compliance.services.declarations.periods import year_months
from compliance.services.declarations.status import (
    Standing,
    period_status,
    ranked_year,
    record_key,
)
from compliance.services.inspections.counts import apply_count_difference, counts_of
from compliance.services.inspections.flags import quality_flags
from compliance.services.inspections.totals import (
    Contribution,
    apply_difference,
    contribution,
)

WINDOW_MONTHS = 12
#: The status of record counted as compliant in the headline: a filed, compliant period.
COMPLIANT = "filed_compliant"
#: Most organisations one page view refreshes (see `catch_up`).
CATCH_UP_LIMIT = 200
WATERMARK = "summary"
#: Our own events change nothing the summary reads (reviews refresh it themselves).
OWN_PREFIX = "inspection."


def _whole(value: Decimal | int | None) -> int | None:
    return None if value is None else math.ceil(value)


def months_computed(today: date) -> list[date]:
    """Every month `rewrite_summary` may compute on `today` at any of Indonesia's zones: the
    window of the last twelve and the two periods the ranking can be about (what a rebuild
    reads ahead for a whole batch; a month outside it is simply read when asked)."""
    found: set[date] = set()
    for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
        found.update(months_ending(day, WINDOW_MONTHS))
        for year in (day.year - 2, day.year - 1):
            found.update(year_months(year))
    return sorted(found)


def _computation(session: Session, organization: Organization, today: date) -> Computation | None:
    months = tuple(months_ending(today, WINDOW_MONTHS))
    try:
        # Only the legal entity is ranked: no breakdown per establishment or province.
        return compute(session, organization, months, label="12", today=today, breakdowns=False)
    except ServiceError:
        return None  # inconsistent figures: shown as insufficient data until fixed


@dataclass(frozen=True, slots=True)
class SummaryFacts:
    """What a summary reads besides its computation, for several organisations at once."""

    #: The newest audit event of each organisation (absent: none).
    tails: dict[int, int]
    #: Each organisation's submitted declarations with their due dates, oldest first.
    submitted: dict[int, list[tuple[Declaration, date]]]
    #: Each organisation's provinces, each with its regencies/cities there.
    areas: dict[int, dict[str, list[str]]]


def summary_facts(session: Session, organization_ids: Sequence[int]) -> SummaryFacts:
    """Three statements whatever the number of organisations (a rebuild reads its batch)."""
    ids = list(organization_ids)
    tails: dict[int, int] = {
        organization_id: top
        for organization_id, top in session.execute(
            select(AuditEvent.organization_id, func.max(AuditEvent.id))
            .where(AuditEvent.organization_id.in_(ids))
            .group_by(AuditEvent.organization_id)
        )
        if organization_id is not None
    }
    submitted: dict[int, list[tuple[Declaration, date]]] = {}
    for declaration, due_on in session.execute(
        select(Declaration, ReportingPeriod.due_on)
        .join(ReportingPeriod, Declaration.period_id == ReportingPeriod.id)
        .where(
            Declaration.organization_id.in_(ids),
            Declaration.status == DeclarationStatus.SUBMITTED,
        )
        .order_by(Declaration.submitted_at, Declaration.id)
    ):
        submitted.setdefault(declaration.organization_id, []).append((declaration, due_on))
    codes: dict[int, set[str]] = {}
    for organization_id, code in session.execute(
        select(Establishment.organization_id, Establishment.regency_code)
        .where(Establishment.organization_id.in_(ids))
        .distinct()
    ):
        codes.setdefault(organization_id, set()).add(code)
    areas: dict[int, dict[str, list[str]]] = {}
    for organization_id, found in codes.items():
        for code in sorted(found):  # in Python: the database's collation may order otherwise
            areas.setdefault(organization_id, {}).setdefault(code[:2], []).append(code)
    return SummaryFacts(tails, submitted, areas)


def _old_contribution(session: Session, organization_id: int) -> Contribution:
    rows = session.execute(
        select(
            S.province_code, S.regency_codes, S.status, S.required, S.counted, S.as_of_month
        ).where(S.organization_id == organization_id)
    ).all()
    months = session.execute(
        select(SummaryMonth.month, SummaryMonth.required, SummaryMonth.counted).where(
            SummaryMonth.organization_id == organization_id
        )
    ).all()
    found: Contribution = {}
    for province, regencies, status, required, counted, _as_of in rows:
        # The headline totals follow the status of record, as the rows do (see refresh).
        latest = (status == COMPLIANT, required, counted) if required is not None else None
        series = [(m, req, cnt) for m, req, cnt in months]
        found.update(contribution([province, *regencies], latest, series))
    return found


def refresh_summary(session: Session, organization_id: int, *, today: date | None = None) -> None:
    """Recompute one organisation's summary rows, months, its share of the area totals and
    of the kept counts (`counts.py`).

    Runs under an everything-reach: the summary is derived data, and whoever triggers the
    refresh (an HR manager's change, an inspector's view) must not narrow what it counts.
    """
    with reach_scope(session, Reach.for_everything()):
        old = _old_contribution(session, organization_id)
        before = counts_of(session, [organization_id])
        new = rewrite_summary(session, organization_id, today)
        apply_difference(session, old, new)
        apply_count_difference(session, before, counts_of(session, [organization_id]))
        session.flush()


def rewrite_summary(session: Session, organization_id: int, today: date | None) -> Contribution:
    """Replace the organisation's summary rows and months; its new share of the totals."""
    session.execute(delete(S).where(S.organization_id == organization_id))
    session.execute(delete(SummaryMonth).where(SummaryMonth.organization_id == organization_id))
    organization = session.get(Organization, organization_id)
    if organization is None:
        return {}
    rows = summary_rows(session, organization, today, summary_facts(session, [organization_id]))
    write_summary_rows(session, [rows])
    return rows.contribution


@dataclass(frozen=True, slots=True)
class SummaryRows:
    """One organisation's summary rows (one per province), its months and its new share of
    the area totals, ready to insert (`write_summary_rows`)."""

    rows: list[dict[str, Any]]
    months: list[dict[str, Any]]
    contribution: Contribution


def summary_rows(
    session: Session, organization: Organization, today: date | None, facts: SummaryFacts
) -> SummaryRows:
    """What `rewrite_summary` writes for `organization`, from `facts` read for it (alone or
    with its batch) and its computation; writes nothing."""
    organization_id = organization.id
    today = today or organization.today()
    tail = facts.tails.get(organization_id)
    computation = _computation(session, organization, today)
    complete = (
        [m for m in computation.months if not computation.figures.missing(m)] if computation else []
    )
    results = [
        r
        for r in (computation.entity.months if computation else ())
        if month_start(r.as_of) in complete
    ]
    latest = results[-1] if results else None
    declarations = facts.submitted.get(organization_id, [])
    # The ranking is about one period, with its status of record (services.declarations.
    # status): the figures, status and follow-up below are that period's, not a month's.
    record = period_status(
        session, organization, ranked_year(session, organization, today), today=today
    )
    last = declarations[-1][0] if declarations else None
    review = None
    if record.declaration_id is not None:
        review = session.scalar(
            select(DeclarationReview.outcome)
            .where(DeclarationReview.declaration_id == record.declaration_id)
            .order_by(DeclarationReview.id.desc())
            .limit(1)
        )
    common = {
        "organization_id": organization_id,
        "name": organization.name,
        "nib": organization.nib,
        "npwp": organization.npwp,
        "sector": organization.sector.value,
        "as_of_month": month_start(latest.as_of) if latest else None,
        "headcount": _whole(latest.denominator) if latest else None,
        "required": record.result.required,
        "counted": record.result.counted or 0,
        "gap": -1 if record.result.gap is None else record.result.gap,
        "status": record_key(record),
        "months_complete": record.months_complete,
        "due_year": record.year,
        "due_on": record.due_on,
        "zone": organization.zone.name,
        "has_declared": last is not None,
        "is_due_declared": record.standing is Standing.SUBMITTED,
        "last_declaration_id": record.declaration_id,
        "review_outcome": review,
        "flags": quality_flags(computation, complete, declarations),
        "audit_event_id": tail or 0,
        "refreshed_at": utcnow(),
    }
    areas = facts.areas.get(organization_id, {})
    months = [(month_start(r.as_of), r.required, _whole(r.counted) or 0) for r in results]
    result = record.result
    state = (
        (common["status"] == COMPLIANT, result.required, result.counted or 0)
        if result.required is not None
        else None
    )
    new: Contribution = {}
    for province, regencies in areas.items():
        new.update(contribution([province, *regencies], state, months))
    return SummaryRows(
        [
            {**common, "province_code": p, "regency_codes": regencies}
            for p, regencies in areas.items()
        ],
        [
            {
                "organization_id": organization_id,
                "month": m,
                "headcount": None,
                "required": req,
                "counted": cnt,
            }
            for m, req, cnt in months
        ],
        new,
    )


def write_summary_rows(session: Session, built: Sequence[SummaryRows]) -> None:
    """Insert the rows of one organisation or of a whole batch: two statements at most.
    Core inserts, not ORM objects: a second refresh in one session must not collide."""
    rows = [row for one in built for row in one.rows]
    months = [month for one in built for month in one.months]
    if rows:
        session.execute(insert(S), rows)
    if months:
        session.execute(insert(SummaryMonth), months)


def summary_of(session: Session, organization_id: int) -> ComplianceSummary | None:
    """The organisation's summary as the session's reach sees it (any of its provinces)."""
    return session.scalars(
        select(S).where(S.organization_id == organization_id).order_by(S.province_code).limit(1)
    ).first()


def summary_watermark(session: Session) -> SummaryWatermark:
    mark = session.get(SummaryWatermark, WATERMARK)
    if mark is None:
        mark = SummaryWatermark(name=WATERMARK, audit_event_id=0, organization_id=0)
        session.add(mark)
    return mark


def catch_up(session: Session, *, today: date | None = None, limit: int = CATCH_UP_LIMIT) -> int:
    """Refresh the organisations changed since the watermark, and new ones; returns how many.

    Cheap when nothing changed: an indexed range read of the audit trail and a max(id). At most
    `limit` organisations per call, oldest change first, so a page view never turns into a
    rebuild (after deploying onto existing data, run `flask inspections rebuild-summary`); the
    watermarks advance only past what was refreshed, so the rest is found next time. A
    concurrent catch-up doing the same work is harmless (the refresh is idempotent); if it wins
    a race to insert a row, this one gives up quietly and the next view catches up.
    """
    with reach_scope(session, Reach.for_everything()):
        mark = summary_watermark(session)
        rows = session.execute(
            select(AuditEvent.organization_id, func.max(AuditEvent.id).label("top"))
            .where(AuditEvent.id > mark.audit_event_id, AuditEvent.organization_id.is_not(None))
            .where(AuditEvent.action.not_like(f"{OWN_PREFIX}%"))
            .group_by(AuditEvent.organization_id)
            .order_by(text("top"))
            .limit(limit)
            .execution_options(**{SKIP_OPTION: True})
        ).all()
        changed = [(org_id, top) for org_id, top in rows if org_id is not None]
        new = list(
            session.scalars(
                select(Organization.id)
                .where(Organization.id > mark.organization_id)
                .order_by(Organization.id)
                .limit(max(limit - len(changed), 0))
            )
        )
        todo = sorted({org_id for org_id, _ in changed} | set(new))
        if not todo:
            return 0
        try:
            with session.begin_nested():
                for organization_id in todo:
                    refresh_summary(session, organization_id, today=today)
                mark.audit_event_id = max([mark.audit_event_id, *(top for _, top in rows)])
                mark.organization_id = max([mark.organization_id, *new])
        except IntegrityError:
            return 0
    return len(todo)
