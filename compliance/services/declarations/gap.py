"""The HR manager's gap page: the gap now and for the period, and what to fix, computed live.

Nothing here writes: the figures the page shows come from the same `compute` a declaration
stores, so the dashboard and the next draft always agree. Warnings name where they are fixed
(the roster, a figures page) so the page can link straight there.

Only months that have ended are asked for or counted (DESIGN.md 3a): the current month is
never "missing", and the period's result runs over the complete months so far ("10 of 12
months"), so one missing month names itself instead of turning the whole period into
"insufficient data" (issue 15, item 3).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.accounts import User
from compliance.models.declarations import Declaration, ReportingPeriod
from compliance.models.organizations import Organization
from compliance.quota import ExplanationLine, PeriodResult, QuotaResult
from compliance.services.dates import previous_month
from compliance.services.declarations.computation import Computation, compute
from compliance.services.declarations.filing import own_organization
from compliance.services.declarations.people import PartsSum, parts_sum
from compliance.services.declarations.periods import checked_year, due_date, ended, year_months
from compliance.services.declarations.roster_facts import LedgerReason

EXPIRY_WARNING_DAYS = 60


class FixAt(enum.StrEnum):
    """Where a warning is fixed; the page turns it into a link."""

    ROSTER = "roster"
    EMPLOYEE = "employee"
    FIGURES = "figures"
    ORGANIZATION = "organization"
    RULES = "rules"


@dataclass(frozen=True, slots=True)
class Warning:
    code: str
    fix_at: FixAt
    line: ExplanationLine | None = None  # the engine's own wording, when it is the engine's
    employee_id: int | None = None
    employee_number: str | None = None
    expires_on: date | None = None
    establishment_id: int | None = None
    establishment_name: str | None = None
    month: date | None = None


@dataclass(frozen=True, slots=True)
class GapOverview:
    organization: Organization
    year: int
    due_on: date
    days_left: int
    #: Over the months of `year` that have ended (None: none has yet): the month-by-month
    #: table, the chart, the ledger and what is missing.
    computation: Computation | None
    #: Over the months that have ended with every figure in: the period's result so far.
    running: Computation | None
    #: The latest month whose figures are complete, and the entity's result for it.
    latest_month: date | None
    latest: QuotaResult | None
    declaration: Declaration | None
    warnings: tuple[Warning, ...]
    #: The legal entity's required figure beside its establishments' sum, for `latest_month`.
    latest_parts: PartsSum | None = None
    months_total: int = 12

    @property
    def period(self) -> PeriodResult | None:
        return self.running.entity if self.running else None

    @property
    def months_complete(self) -> int:
        return len(self.running.months) if self.running else 0

    def latest_of(self, months: tuple[QuotaResult, ...]) -> QuotaResult | None:
        """A breakdown's result for `latest_month` (None where it had no figures then)."""
        return next((r for r in months if r.as_of.replace(day=1) == self.latest_month), None)


_ENGINE_FIXES = {
    "unverified_evidence": FixAt.ROSTER,
    "stale_pack": FixAt.RULES,
    "sector_needs_verification": FixAt.ORGANIZATION,
}


def _warnings(computation: Computation, latest: QuotaResult | None, today: date) -> list[Warning]:
    found: list[Warning] = []
    seen: set[str] = set()
    for line in (*(latest.warnings if latest else ()), *computation.entity.warnings):
        fix = _ENGINE_FIXES.get(line.code)
        if fix is not None and line.code not in seen:
            seen.add(line.code)
            found.append(Warning(line.code, fix, line=line))
    horizon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    this_month = today.replace(day=1)
    for person in computation.people:
        details = person.details
        expires = details.evidence_expires_on if details else None
        if expires is None or expires > horizon:
            continue  # judged only for evidence that lapses soon: a roster has thousands
        now = person.reason_in(this_month)
        if now.counts or now is LedgerReason.EVIDENCE_EXPIRED:
            code = "evidence_expired" if expires < today else "evidence_expiring"
            found.append(
                Warning(
                    code,
                    FixAt.EMPLOYEE,
                    employee_id=person.employee_id,
                    employee_number=person.employee_number,
                    expires_on=expires,
                )
            )
    for month in computation.months:
        for establishment in computation.figures.missing(month):
            found.append(
                Warning(
                    "missing_figures",
                    FixAt.FIGURES,
                    establishment_id=establishment.establishment_id,
                    establishment_name=establishment.name,
                    month=month,
                )
            )
    return found


def _latest_parts(running: Computation, latest: QuotaResult | None) -> PartsSum | None:
    if latest is None:
        return None
    month = latest.as_of
    parts = []
    for establishment, result in running.establishments:
        mine = next((r for r in result.months if r.as_of == month), None)
        if mine is not None:
            parts.append((establishment.name, mine.exact_required, mine.required))
    return parts_sum(latest.required, latest.exact_required, parts, latest.pack_id)


def default_year(today: date) -> int:
    """The period the gap page opens on (and the HR home states): the year of the last month
    that has ended, so in January last year (nothing of this year can be counted yet)."""
    return previous_month(today).year


def gap_overview(
    session: Session, actor: User, year: int | None = None, *, today: date | None = None
) -> GapOverview:
    """The organisation's gap for `year` up to today, by default for `default_year`."""
    organization = own_organization(session, actor)
    today = today or organization.today()
    year = checked_year(year if year is not None else default_year(today), today)
    months = ended(year_months(year), today)
    computation = running = None
    if months:
        computation = compute(session, organization, months, label=str(year), today=today)
        complete = tuple(m for m in months if not computation.figures.missing(m))
        if complete == months:
            running = computation
        elif complete:
            running = compute(session, organization, complete, label=str(year), today=today)
    latest_month = running.months[-1] if running else None
    latest = running.entity.months[-1] if running else None
    period = session.scalar(
        select(ReportingPeriod).where(
            ReportingPeriod.organization_id == organization.id,
            ReportingPeriod.starts_on == date(year, 1, 1),
        )
    )
    due_on = period.due_on if period else due_date(year, organization.wlkp_due_month)
    return GapOverview(
        organization=organization,
        year=year,
        due_on=due_on,
        days_left=(due_on - today).days,
        computation=computation,
        running=running,
        latest_month=latest_month,
        latest=latest,
        declaration=period.declarations[-1] if period and period.declarations else None,
        warnings=tuple(_warnings(computation, latest, today)) if computation else (),
        latest_parts=_latest_parts(running, latest) if running else None,
    )
