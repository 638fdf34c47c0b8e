"""The status of record: where an organisation stands for each reporting period.

One service answers it, and every page, export and job shows its answer (the HR home, the
declarations list, the inspector's ranking and drill-down, the admin summary and its XLSX, the
evidence pack, the reminders). Before it, the ranking used the latest month, "overdue" meant
another period without naming it, and "never declared" was a third opinion, so one company read
compliant, overdue and never-declared at once.

A period (a calendar year, due in the organisation's WLKP month of the next year) is:

- `submitted`: a declaration was filed; its *declared* result counts, and the follow-up says
  whether an inspector accepted it, asked for a correction or opened a case;
- `open`: not due yet; the running result over the months that have ended ("N of 12 months");
- `overdue`: the due date has passed at the head office and nothing was filed;
- `not_obliged`: the organisation was not on record then (it registered later and recorded no
  figures for that year). A product default: the law obliges every employer (LAW.md row 2),
  but we cannot ask for years before an organisation existed in the system.

Numbers are whole people, exactly as the gap page and "why" state them (`people.in_people`):
the gap is the average shortfall rounded by the pack's rule, required the average rounded up,
counted the average rounded down.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from compliance.clock import local_date
from compliance.models.declarations import Declaration, DeclarationStatus, ReportingPeriod
from compliance.models.inspections import (
    CaseStage,
    DeclarationReview,
    InspectionCase,
    ReviewOutcome,
)
from compliance.models.organizations import Organization
from compliance.models.workforce import WorkforceFigure
from compliance.quota import PeriodResult
from compliance.services import ServiceError, read_ahead
from compliance.services.dates import month_start
from compliance.services.declarations.computation import compute, figures_for
from compliance.services.declarations.people import in_people
from compliance.services.declarations.periods import FIRST_YEAR, due_date, year_months
from compliance.services.declarations.reuse import reused


class Standing(enum.StrEnum):
    SUBMITTED = "submitted"
    OPEN = "open"
    OVERDUE = "overdue"
    NOT_OBLIGED = "not_obliged"


class FollowUp(enum.StrEnum):
    """What happened to a submitted declaration since (None: not reviewed yet)."""

    ACCEPTED = "accepted"
    CORRECTION_REQUESTED = "correction_requested"
    IN_CASE = "in_case"
    CASE_CLOSED = "case_closed"


@dataclass(frozen=True, slots=True)
class Result:
    """A period's result in whole people, and the engine's status for it."""

    status: str  # compliant | shortfall | no_obligation | insufficient_data
    required: int | None
    counted: int | None
    gap: int | None


@dataclass(frozen=True, slots=True)
class PeriodStatus:
    organization_id: int
    year: int
    due_on: date
    standing: Standing
    #: Days until the due date at the head office (negative: days late).
    days_left: int
    result: Result
    #: Months with a result over the months that have ended, out of the period's twelve.
    months_complete: int
    months_total: int
    declaration_id: int | None = None
    #: When the period was first filed (a correction later is not a late filing).
    submitted_on: date | None = None
    follow_up: FollowUp | None = None

    @property
    def label(self) -> str:
        return str(self.year)

    @property
    def key(self) -> str:
        return record_key(self)

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)

    @property
    def is_late_filing(self) -> bool:
        return self.submitted_on is not None and self.submitted_on > self.due_on

    @property
    def needs_action(self) -> bool:
        """Open or overdue: what the HR home lists."""
        return self.standing in (Standing.OPEN, Standing.OVERDUE)


def whole_people(period: PeriodResult | dict[str, Any] | None, status: str) -> Result:
    """The period in whole people, as the gap page and "why" say it (`people.in_people`): the
    gap is the average shortfall rounded by the pack's rule; required is the average rounded
    up and counted the average rounded down, which add up to it whenever the same number was
    required every month."""
    people = in_people(period)
    if people is None:
        return Result(status, None, None, None)
    return Result(
        status,
        math.ceil(people.required_average),
        math.floor(people.counted_average),
        people.gap,
    )


def first_year(session: Session, organization: Organization) -> int:
    """The first year the organisation is on record: its registration, or earlier figures."""
    ahead = read_ahead.first_month_of(session, organization.id)
    if ahead is not None:  # a nightly job's chunk (`read_ahead`)
        return _first_on_record(organization, ahead[0])
    # Once a unit of work: the HR pages ask it for the list of periods and again per period.
    first_figures = reused(
        session,
        ("first_figures", organization.id),
        lambda: session.scalar(
            select(func.min(WorkforceFigure.month)).where(
                WorkforceFigure.organization_id == organization.id
            )
        ),
    )
    return _first_on_record(organization, first_figures)


def _first_on_record(organization: Organization, first_figures: date | None) -> int:
    registered = local_date(organization.created_at, organization.zone).year
    years = [registered, *([first_figures.year] if first_figures else [])]
    return max(FIRST_YEAR, min(years))


def period_status(
    session: Session, organization: Organization, year: int, *, today: date | None = None
) -> PeriodStatus:
    """The status of record of one period (see the module docstring)."""
    today = today or organization.today()
    standing, due_on, filed = _standing(session, organization, year, today)
    days_left = (due_on - today).days
    if filed is not None:
        first = _first_submitted_at(session, filed.period_id) or filed.submitted_at
        return PeriodStatus(
            organization.id,
            year,
            due_on,
            Standing.SUBMITTED,
            days_left,
            declared_result(filed.data),
            len(filed.data.get("months", ())),
            12,
            declaration_id=filed.id,
            submitted_on=local_date(first, organization.zone) if first else None,
            follow_up=_follow_up(session, filed),
        )
    result, complete = running_result(session, organization, year, today)
    return PeriodStatus(organization.id, year, due_on, standing, days_left, result, complete, 12)


def period_standing(
    session: Session, organization: Organization, year: int, *, today: date
) -> tuple[Standing, date]:
    """The period's standing of record and its due date, as `period_status` decides them,
    without its running result (a whole year's quota computation). For many organisations at
    once, `standings` answers the same in a fixed number of queries."""
    standing, due_on, _filed = _standing(session, organization, year, today)
    return standing, due_on


def _standing(
    session: Session, organization: Organization, year: int, today: date
) -> tuple[Standing, date, Declaration | None]:
    ahead = read_ahead.period_of(session, organization.id, date(year, 1, 1))
    period = (
        ahead[0]
        if ahead is not None  # a nightly job's chunk (`read_ahead`)
        else session.scalar(
            select(ReportingPeriod).where(
                ReportingPeriod.organization_id == organization.id,
                ReportingPeriod.starts_on == date(year, 1, 1),
            )
        )
    )
    filed = _latest_submitted(session, period.id) if period else None
    due_on = _due_on(organization, year, period.due_on if period else None)
    # A filed period does not consult the first year on record: one query fewer.
    first = FIRST_YEAR if filed is not None else first_year(session, organization)
    standing = decide_standing(year, today, due_on, is_filed=filed is not None, first=first)
    return standing, due_on, filed


def decide_standing(
    year: int, today: date, due_on: date, *, is_filed: bool, first: int
) -> Standing:
    """The one rule of the standing of record, from facts already read: whether the period was
    filed, its due date and the first year the organisation is on record (`first`). Both the
    single-organisation path (`period_standing`, `period_status`) and the bulk one
    (`standings`) decide here, so the HR home and the reminders cannot disagree."""
    if is_filed:
        return Standing.SUBMITTED
    if year < first or year > today.year:
        return Standing.NOT_OBLIGED
    return Standing.OVERDUE if due_on < today else Standing.OPEN


def _due_on(organization: Organization, year: int, stored: date | None) -> date:
    """The period's own due date when it has a row (an officer may have moved it), else the
    organisation's WLKP month of the next year."""
    return stored if stored is not None else due_date(year, organization.wlkp_due_month)


def standings(
    session: Session,
    organizations: Sequence[Organization],
    years: Iterable[int],
    today_of: Callable[[Organization], date],
) -> dict[tuple[int, int], tuple[Standing, date]]:
    """`period_standing` for every organisation and year at once, keyed by (organisation id,
    year): the deadline reminders visit 500,000 organisations, and three queries per
    organisation and year were most of their statements. Two queries in all (the periods with
    whether each was filed; the first month of figures), whatever the number of organisations;
    the caller passes a chunk, and the reach that may read all of it. Decided by
    `decide_standing`, as the single path."""
    years = sorted(set(years))
    ids = [organization.id for organization in organizations]
    if not ids or not years:
        return {}
    filed = (
        select(Declaration.id)
        .where(
            Declaration.period_id == ReportingPeriod.id,
            Declaration.status == DeclarationStatus.SUBMITTED,
        )
        .exists()
    )
    periods: dict[tuple[int, int], tuple[date, bool]] = {
        (organization_id, starts_on.year): (due_on, is_filed)
        for organization_id, starts_on, due_on, is_filed in session.execute(
            select(
                ReportingPeriod.organization_id,
                ReportingPeriod.starts_on,
                ReportingPeriod.due_on,
                filed,
            ).where(
                ReportingPeriod.organization_id.in_(ids),
                ReportingPeriod.starts_on.in_([date(year, 1, 1) for year in years]),
            )
        )
    }
    first_figures: dict[int, date] = {
        organization_id: month
        for organization_id, month in session.execute(
            select(WorkforceFigure.organization_id, func.min(WorkforceFigure.month))
            .where(WorkforceFigure.organization_id.in_(ids))
            .group_by(WorkforceFigure.organization_id)
        )
    }
    found: dict[tuple[int, int], tuple[Standing, date]] = {}
    for organization in organizations:
        today = today_of(organization)
        first = _first_on_record(organization, first_figures.get(organization.id))
        for year in years:
            stored, is_filed = periods.get((organization.id, year), (None, False))
            due_on = _due_on(organization, year, stored)
            standing = decide_standing(year, today, due_on, is_filed=is_filed, first=first)
            found[organization.id, year] = standing, due_on
    return found


def declared_result(data: dict[str, Any]) -> Result:
    """The result a submitted declaration stored, in whole people."""
    entity = data.get("entity") or {}
    return whole_people(entity, str(entity.get("status", "insufficient_data")))


def running_result(
    session: Session, organization: Organization, year: int, today: date
) -> tuple[Result, int]:
    """The period's result over its months that have ended and have figures; how many."""
    ended = tuple(m for m in year_months(year) if m < month_start(today))
    if not ended:
        return Result("insufficient_data", None, None, None), 0
    if all(figures_for(session, organization.id, ended).missing(m) for m in ended):
        # No month is complete: insufficient data, whether or not computing would be refused
        # (for a newcomer or a non-filer, every night, this is the whole of its status).
        return Result("insufficient_data", None, None, None), 0
    try:
        computation = compute(
            session, organization, ended, label=str(year), today=today, breakdowns=False
        )
    except ServiceError:
        return Result("insufficient_data", None, None, None), 0
    complete = tuple(m for m in ended if not computation.figures.missing(m))
    if not complete:
        return Result("insufficient_data", None, None, None), 0
    period = computation.entity
    if len(complete) < len(ended):
        period = computation.entity_over(complete, label=str(year), today=today)
    return whole_people(period, period.status.value), len(complete)


def _first_submitted_at(session: Session, period_id: int) -> datetime | None:
    """When the period was first filed: a later correction does not make the filing late."""
    return session.scalar(
        select(func.min(Declaration.submitted_at)).where(
            Declaration.period_id == period_id,
            Declaration.status == DeclarationStatus.SUBMITTED,
        )
    )


def _latest_submitted(session: Session, period_id: int) -> Declaration | None:
    return session.scalars(
        select(Declaration)
        .where(
            Declaration.period_id == period_id,
            Declaration.status == DeclarationStatus.SUBMITTED,
        )
        .order_by(Declaration.number.desc())
        .limit(1)
    ).first()


def _follow_up(session: Session, declaration: Declaration) -> FollowUp | None:
    """An open case about this period's declarations comes first; then the last review."""
    same_period = select(Declaration.id).where(Declaration.period_id == declaration.period_id)
    open_case = session.scalar(
        select(InspectionCase.id).where(
            InspectionCase.organization_id == declaration.organization_id,
            InspectionCase.stage != CaseStage.CLOSED,
            InspectionCase.declaration_id.in_(same_period),
        )
    )
    if open_case is not None:
        return FollowUp.IN_CASE
    outcome = session.scalar(
        select(DeclarationReview.outcome)
        .where(DeclarationReview.declaration_id == declaration.id)
        .order_by(DeclarationReview.id.desc())
        .limit(1)
    )
    if outcome is None:
        return None
    if outcome is ReviewOutcome.FINDING:  # its case is closed (an open one was found above)
        return FollowUp.CASE_CLOSED
    return FollowUp(outcome.value)


def record_key(status: PeriodStatus) -> str:
    """One word for the status of record, as the summary stores and the filters name it:
    `filed_<result>` for a submitted period, else its standing."""
    if status.standing is Standing.SUBMITTED:
        return f"filed_{status.result.status}"
    return status.standing.value


def ranked_year(session: Session, organization: Organization, today: date) -> int:
    """The period the inspector's ranking is about: the latest one that has fallen due, or,
    for an organisation on record only since, its first period on record (so a newcomer is
    ranked on its open period and says so, instead of reading "not obliged")."""
    year = today.year - 1
    if due_date(year, organization.wlkp_due_month) >= today:
        year -= 1
    return max(year, first_year(session, organization))


def all_periods(
    session: Session, organization: Organization, *, today: date | None = None
) -> list[PeriodStatus]:
    """Every period the organisation is on record for, newest first (the declarations list)."""
    today = today or organization.today()
    years = range(today.year, first_year(session, organization) - 1, -1)
    return [period_status(session, organization, year, today=today) for year in years]


def periods_needing_action(
    session: Session, organization: Organization, *, today: date | None = None
) -> list[PeriodStatus]:
    """Every open or overdue period, oldest first: the HR home lists each with its due date."""
    today = today or organization.today()
    found = []
    for year in range(first_year(session, organization), today.year + 1):
        status = period_status(session, organization, year, today=today)
        if status.needs_action:
            found.append(status)
    return found
