"""The inspector's dashboard: organisations in reach ranked by gap, headline figures, trends.

Everything reads the maintained summary (`summary.py`), never the monthly figures, so the first
page costs the same at 50 or 50,000 organisations. Tenant scope comes from the session's reach
(fail-closed): an inspector's queries only ever see organisations with an establishment in their
provinces, and an admin's see everything.

People counts in aggregates below `SMALL_NUMBER` are suppressed (shown as "<5") so nobody can be
singled out from a regency with one employer and one employee with a disability.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from compliance.clock import ZONES, now, today_in
from compliance.models.inspections import (
    LATEST,
    ComplianceCount,
    ComplianceSummary,
    ComplianceTotal,
    ReviewOutcome,
)
from compliance.models.organizations import Establishment
from compliance.models.regions import Regency
from compliance.services.inspections.filters import (
    PAGE_SIZE,
    DashboardFilters,
    StatusFilter,
)
from compliance.services.inspections.summary import COMPLIANT

SMALL_NUMBER = 5
S = ComplianceSummary
T = ComplianceTotal
C = ComplianceCount


def is_suppressed(value: int | None) -> bool:
    """The one suppression rule: the headline, every table and every chart bar ask it."""
    return value is not None and 0 < value < SMALL_NUMBER


def suppressed(value: int | None) -> str:
    """A people count as the inspection pages and exports print it: "<5" when it is
    `is_suppressed`, "—" if unknown."""
    if value is None:
        return "—"
    return f"<{SMALL_NUMBER}" if is_suppressed(value) else str(value)


def overdue_clause(
    at: datetime, rows: type[ComplianceSummary] | type[ComplianceCount] = S
) -> ColumnElement[bool]:
    """The ranked period is overdue: one the organisation is obliged for, not declared, and its
    due date has passed at the organisation's head office at `at`. Over the summary rows, or
    over their kept counts (`ComplianceCount`), whose key is exactly these columns."""
    passed = or_(
        *(
            and_(rows.zone == zone.name, rows.due_on < today_in(zone, at=at))
            for zone in ZONES.values()
        )
    )
    return and_(rows.is_due_declared.is_(False), rows.status != "not_obliged", passed)


def _status_clause(status: StatusFilter, at: datetime) -> ColumnElement[bool]:
    """The status of record as stored at the last refresh, except that a due date passing
    since then turns "open" into "overdue" at once (`overdue_clause` reads the clock)."""
    if status is StatusFilter.OVERDUE:
        return overdue_clause(at)
    if status is StatusFilter.OPEN:
        return and_(S.status == "open", ~overdue_clause(at))
    if status is StatusFilter.CORRECTION_REQUESTED:
        return S.review_outcome == ReviewOutcome.CORRECTION_REQUESTED
    if status is StatusFilter.IN_CASE:
        return S.review_outcome == ReviewOutcome.FINDING
    return S.status == status.value


#: Another summary row of the same organisation. Made once: aliasing a mapped class builds its
#: column proxies (about 2 ms), and an alias is a plain description any statement may reuse.
_OTHER = aliased(S, name="other_province")


def _once(province_codes: frozenset[str]) -> list[ColumnElement[bool]]:
    """With several provinces, keep an organisation's row of its first one only."""
    if len(province_codes) < 2:
        return []
    return [
        ~exists().where(
            _OTHER.organization_id == S.organization_id,
            _OTHER.province_code.in_(sorted(province_codes)),
            _OTHER.province_code < S.province_code,
        )
    ]


def _where(
    filters: DashboardFilters, at: datetime, province_codes: frozenset[str]
) -> list[ColumnElement[bool]]:
    est = Establishment.__table__.c
    clauses = _once(province_codes)
    if filters.sector is not None:
        clauses.append(S.sector == filters.sector.value)
    if filters.regency is not None:
        clauses.append(S.province_code == filters.regency[:2])
        clauses.append(
            S.organization_id.in_(
                select(est.organization_id).where(est.regency_code == filters.regency)
            )
        )
    if filters.size is not None:
        bounds = filters.size.bounds
        clauses.append(S.headcount.is_(None) if bounds is None else S.headcount.between(*bounds))
    if filters.status is not None:
        clauses.append(_status_clause(filters.status, at))
    if filters.query:
        text = filters.query
        pattern = "%" + text.replace("%", "").replace("_", "") + "%"
        clauses.append(or_(S.name.ilike(pattern), S.nib == text, S.npwp == text))
    return clauses


def is_unfiltered(filters: DashboardFilters) -> bool:
    return not (
        filters.sector or filters.regency or filters.size or filters.status or filters.query
    )


@dataclass(frozen=True, slots=True)
class Row:
    organization_id: int
    name: str
    nib: str
    sector: str
    headcount: int | None
    required: int | None
    counted: int
    gap: int
    status: str
    is_overdue: bool
    has_declared: bool
    review_outcome: str | None
    flags: tuple[str, ...]
    #: The period ranked, and over how many of its months an unfiled result runs.
    due_year: int = 0
    months_complete: int = 0

    @property
    def record_key(self) -> str:
        """The status of record as of now: stored at the last refresh, except that a due date
        passing since turns "open" into "overdue" at once (`overdue_clause`)."""
        return "overdue" if self.is_overdue else self.status


@dataclass(frozen=True, slots=True)
class Headline:
    organizations: int
    compliant: int
    required: int
    counted: int
    overdue: int

    @property
    def compliant_percent(self) -> int | None:
        if not self.organizations:
            return None
        return round(100 * self.compliant / self.organizations)


@dataclass(frozen=True, slots=True)
class Aggregate:
    """One bar group of a chart: a month or a regency."""

    key: str
    label: str
    organizations: int
    required: int
    counted: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    filters: DashboardFilters
    rows: tuple[Row, ...]
    total: int
    headline: Headline
    months: tuple[Aggregate, ...]
    regencies: tuple[Aggregate, ...]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _ranked(
    filters: DashboardFilters, at: datetime, province_codes: frozenset[str], page_size: int
) -> Select[ComplianceSummary, bool]:
    """One page of the ranking, in gap order, in two steps within one statement: the page's
    keys from the rank index alone (it carries every column a filter reads, so a filter that
    keeps one row in a thousand does not visit the other 999), then those rows themselves."""
    keys = (
        select(S.organization_id, S.province_code)
        .where(*_where(filters, at, province_codes))
        .order_by(S.gap.desc(), S.organization_id)
        .limit(page_size)
        .offset((filters.page - 1) * page_size)
        .subquery("page")
    )
    return (
        select(S, overdue_clause(at).label("is_overdue"))
        .join(
            keys,
            and_(
                S.organization_id == keys.c.organization_id,
                S.province_code == keys.c.province_code,
            ),
        )
        .order_by(S.gap.desc(), S.organization_id)
    )


def _row(s: ComplianceSummary, is_overdue: bool | None) -> Row:
    return Row(
        organization_id=s.organization_id,
        name=s.name,
        nib=s.nib,
        sector=s.sector,
        headcount=s.headcount,
        required=s.required,
        counted=s.counted,
        gap=s.gap,
        status=s.status,
        is_overdue=bool(is_overdue),
        has_declared=s.has_declared,
        review_outcome=s.review_outcome.value if s.review_outcome else None,
        flags=tuple(s.flags or ()),
        due_year=s.due_year,
        months_complete=s.months_complete,
    )


def ranked_page(
    session: Session,
    filters: DashboardFilters,
    at: datetime,
    province_codes: frozenset[str],
    *,
    page_size: int = PAGE_SIZE,
) -> list[Row]:
    """One page of the ranking: an index range scan in gap order, whatever the province's size."""
    rows = session.execute(_ranked(filters, at, province_codes, page_size))
    return [_row(s, is_overdue) for s, is_overdue in rows]


#: What an export of the ranking reads: no JSON columns (flags, regency codes) to decode.
EXPORTED = (
    S.organization_id,
    S.name,
    S.nib,
    S.sector,
    S.headcount,
    S.required,
    S.counted,
    S.gap,
    S.status,
    S.has_declared,
    S.review_outcome,
    S.due_year,
    S.months_complete,
)


def every_ranked(
    session: Session,
    at: datetime,
    province_codes: frozenset[str],
    *,
    batch: int = 1000,
) -> Iterator[Row]:
    """The whole ranking, unfiltered, `batch` rows at a time (without flags): an export of a
    province of 50,000 organisations never holds more than a batch."""
    statement = (
        select(*EXPORTED, overdue_clause(at).label("is_overdue"))
        .where(*_where(DashboardFilters(), at, province_codes))
        .order_by(S.gap.desc(), S.organization_id)
        .execution_options(yield_per=batch)
    )
    for partition in session.execute(statement).partitions():
        for r in partition:
            yield Row(
                organization_id=r.organization_id,
                name=r.name,
                nib=r.nib,
                sector=r.sector,
                headcount=r.headcount,
                required=r.required,
                counted=r.counted,
                gap=r.gap,
                status=r.status,
                is_overdue=bool(r.is_overdue),
                has_declared=r.has_declared,
                review_outcome=r.review_outcome.value if r.review_outcome else None,
                flags=(),
                due_year=r.due_year,
                months_complete=r.months_complete,
            )


def status_counts(
    session: Session, at: datetime, province_codes: frozenset[str], statuses: Sequence[StatusFilter]
) -> dict[StatusFilter, int]:
    """How many organisations in reach each of `statuses` filters to, as `headline` with that
    status filter counts them, in one pass instead of one a status (the inspector's home
    shows three)."""
    where = _where(DashboardFilters(), at, province_codes)
    sums = [func.coalesce(func.sum(case((_status_clause(s, at), 1), else_=0)), 0) for s in statuses]
    found = session.execute(select(*sums).select_from(S).where(*where)).one()
    return {status: int(n) for status, n in zip(statuses, found, strict=True)}


def headline(
    session: Session,
    filters: DashboardFilters,
    at: datetime,
    province_codes: frozenset[str],
    *,
    only: Sequence[int] | None = None,
) -> Headline:
    """In one statement. Unfiltered: organisations and overdue from the kept counts, the rest
    from the running totals (a few hundred rows); filtered: all of it in one pass over the
    matching summary rows (an index-only scan of the rank index).

    `only`: the organisations of a first page that holds the whole result (`dashboard`): the
    same sums over just those rows, found by key, instead of evaluating the filters again (a
    search by name reads its trigram index once, not twice)."""
    where = _where(filters, at, province_codes)
    if only is not None:
        where = [S.organization_id.in_(sorted(only)), *_once(province_codes)]
    overdue = overdue_clause(at)
    if only is not None or not is_unfiltered(filters):
        sums = select(
            func.count(),
            func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
            func.coalesce(func.sum(case((S.status == COMPLIANT, 1), else_=0)), 0),
            func.coalesce(func.sum(S.required), 0),
            func.coalesce(func.sum(S.counted), 0),
        ).where(*where)
    else:
        codes = sorted(province_codes)
        if len(codes) < 2:
            organizations = select(func.coalesce(func.sum(C.organizations), 0)).where(
                C.province_code.in_(codes)
            )
            late = select(
                func.coalesce(func.sum(case((overdue_clause(at, C), C.organizations), else_=0)), 0)
            ).where(C.province_code.in_(codes))
        else:
            # An organisation in two of the provinces is one row of the ranking (`_once`) but
            # counted in both provinces' counts: count the rows.
            organizations = select(func.count()).select_from(S).where(*where)
            late = select(func.coalesce(func.sum(case((overdue, 1), else_=0)), 0)).where(*where)
        sums = select(
            organizations.scalar_subquery(),
            late.scalar_subquery(),
            func.coalesce(func.sum(T.compliant), 0),
            func.coalesce(func.sum(T.required), 0),
            func.coalesce(func.sum(T.counted), 0),
        ).where(T.month == LATEST, T.area_code.in_(codes))
    total, late_count, compliant, required, counted = (int(v) for v in session.execute(sums).one())
    return Headline(total, compliant, required, counted, late_count)


def month_trend(session: Session, province_codes: frozenset[str]) -> list[Aggregate]:
    """Required and counted per month in the provinces (all organisations, not the filters)."""
    rows = session.execute(
        select(T.month, func.sum(T.organizations), func.sum(T.required), func.sum(T.counted))
        .where(T.month != LATEST, T.area_code.in_(sorted(province_codes)), T.organizations > 0)
        .group_by(T.month)
        .order_by(T.month)
    )
    return [
        Aggregate(f"{m:%Y-%m}", f"{m:%Y-%m}", int(n or 0), int(req or 0), int(cnt or 0))
        for m, n, req, cnt in rows
    ]


def by_regency(session: Session, province_codes: frozenset[str]) -> list[Aggregate]:
    """Latest-month totals per regency/city of the provinces (an organisation with
    establishments in two regencies counts in both)."""
    rows = session.execute(
        select(T.area_code, Regency.name, T.organizations, T.required, T.counted)
        .join(Regency, Regency.code == T.area_code)
        .where(
            T.month == LATEST,
            Regency.province_code.in_(sorted(province_codes)),
            T.organizations > 0,
        )
        .order_by(T.area_code)
    )
    return [Aggregate(code, name, n, req, cnt) for code, name, n, req, cnt in rows]


def dashboard(
    session: Session,
    filters: DashboardFilters,
    province_codes: frozenset[str],
    *,
    at: datetime | None = None,
) -> Dashboard:
    at = at or now()
    rows = ranked_page(session, filters, at, province_codes)
    # A first page with room to spare holds every matching organisation.
    whole = filters.page == 1 and len(rows) < PAGE_SIZE and not is_unfiltered(filters)
    only = [row.organization_id for row in rows] if whole else None
    figures = headline(session, filters, at, province_codes, only=only)
    return Dashboard(
        filters=filters,
        rows=tuple(rows),
        total=figures.organizations,
        headline=figures,
        months=tuple(month_trend(session, province_codes)),
        regencies=tuple(by_regency(session, province_codes)),
    )


def regency_codes(session: Session, province_codes: frozenset[str]) -> set[str]:
    """The regencies and cities an inspector may filter by: those of their provinces."""
    return set(
        session.scalars(
            select(Regency.code).where(Regency.province_code.in_(sorted(province_codes)))
        )
    )
