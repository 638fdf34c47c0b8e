"""The labour inspector's home: the province's headline and what needs the inspector now.

The headline counts are the inspections dashboard's own (`dashboard.headline`), asked with the
status filter the dashboard's links use, so each number here is the one the dashboard shows
after following its link; the overdue list is the dashboard's ranking filtered to "overdue".
What needs action: open cases whose last word is the company's answer (`CaseEvent` of kind
`response` after the inspector's last step; the deadline's reminder and flag are the system's
and do not count as an answer being read), and nota deadlines within the next working week
(`working_days`, without weekends, public holidays and cuti bersama), or already passed and
waiting for the next step. Everything is read under the session's reach: cases and
organisations of other provinces are simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from compliance.clock import now, today_in
from compliance.models.accounts import User
from compliance.models.inspections import CaseEvent, CaseEventKind, CaseStage, InspectionCase
from compliance.services.inspections.dashboard import Row, headline, ranked_page, status_counts
from compliance.services.inspections.filters import DashboardFilters, StatusFilter
from compliance.services.inspections.working_days import working_calendar

#: Overdue organisations listed on the home; the dashboard's filter shows the rest.
OVERDUE_SHOWN = 5
#: "This week": the deadlines within this many working days.
WEEK_WORKING_DAYS = 5
#: Events the system writes on a case: not a step of the inspector's, nor an answer.
SYSTEM_EVENTS = (CaseEventKind.REMINDER, CaseEventKind.DEADLINE_PASSED)


@dataclass(frozen=True, slots=True)
class Headline:
    """Organisations in the provinces and their status of record (`dashboard.headline`)."""

    organizations: int
    obliged: int
    filed_compliant: int
    filed_shortfall: int
    overdue: int


@dataclass(frozen=True, slots=True)
class CaseLine:
    case_id: int
    organization_id: int
    organization_name: str
    stage: CaseStage
    deadline_on: date | None
    #: Calendar days from the organisation's today to the deadline (negative: passed).
    days_left: int | None
    #: When the company's answer came in (answers only).
    answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class InspectorHome:
    province_names: tuple[str, ...]
    headline: Headline
    overdue: tuple[Row, ...]
    answers: tuple[CaseLine, ...]
    deadlines: tuple[CaseLine, ...]
    #: The last day counted as "this week" (`WEEK_WORKING_DAYS` working days from today).
    week_ends_on: date

    @property
    def has_actions(self) -> bool:
        return bool(self.overdue or self.answers or self.deadlines)


def _headline(session: Session, province_codes: frozenset[str], at: datetime) -> Headline:
    everything = headline(session, DashboardFilters(), at, province_codes)
    shown = (StatusFilter.NOT_OBLIGED, StatusFilter.FILED_COMPLIANT, StatusFilter.FILED_SHORTFALL)
    count = status_counts(session, at, province_codes, shown)
    return Headline(
        organizations=everything.organizations,
        obliged=everything.organizations - count[StatusFilter.NOT_OBLIGED],
        filed_compliant=count[StatusFilter.FILED_COMPLIANT],
        filed_shortfall=count[StatusFilter.FILED_SHORTFALL],
        overdue=everything.overdue,
    )


def _line(case: InspectionCase, answered_at: datetime | None = None) -> CaseLine:
    organization = case.organization
    days_left = None
    if case.deadline_on is not None:
        days_left = (case.deadline_on - organization.today()).days
    return CaseLine(
        case.id,
        organization.id,
        organization.name,
        case.stage,
        case.deadline_on,
        days_left,
        answered_at,
    )


def answered_cases(session: Session) -> list[CaseLine]:
    """Open cases in reach whose latest event, the system's aside, is the company's answer."""
    latest = (
        select(CaseEvent.case_id, func.max(CaseEvent.id).label("event_id"))
        .where(CaseEvent.kind.not_in(SYSTEM_EVENTS))
        .group_by(CaseEvent.case_id)
        .subquery()
    )
    rows = session.execute(
        select(InspectionCase, CaseEvent.created_at)
        .join(latest, latest.c.case_id == InspectionCase.id)
        .join(CaseEvent, CaseEvent.id == latest.c.event_id)
        .where(InspectionCase.stage != CaseStage.CLOSED, CaseEvent.kind == CaseEventKind.RESPONSE)
        .options(joinedload(InspectionCase.organization))
        .order_by(CaseEvent.id)
    )
    return [_line(case, answered_at) for case, answered_at in rows]


def deadlines_until(session: Session, last_day: date) -> list[CaseLine]:
    """Nota deadlines in reach up to `last_day`, including those passed without a next step."""
    cases = session.scalars(
        select(InspectionCase)
        .where(
            InspectionCase.stage.in_((CaseStage.NOTA_1, CaseStage.NOTA_2)),
            InspectionCase.deadline_on.is_not(None),
            InspectionCase.deadline_on <= last_day,
        )
        .options(joinedload(InspectionCase.organization))
        .order_by(InspectionCase.deadline_on, InspectionCase.id)
    )
    return [_line(case) for case in cases]


def inspector_home(session: Session, actor: User, *, at: datetime | None = None) -> InspectorHome:
    at = at or now()
    provinces = actor.reach().province_codes
    today = today_in(actor.zone, at=at)
    week_ends_on = working_calendar(session, since=today).add_working_days(today, WEEK_WORKING_DAYS)
    overdue = ranked_page(
        session,
        DashboardFilters(status=StatusFilter.OVERDUE),
        at,
        provinces,
        page_size=OVERDUE_SHOWN,
    )
    return InspectorHome(
        province_names=tuple(p.name for p in actor.provinces),
        headline=_headline(session, provinces, at),
        overdue=tuple(overdue),
        answers=tuple(answered_cases(session)),
        deadlines=tuple(deadlines_until(session, week_ends_on)),
        week_ends_on=week_ends_on,
    )
