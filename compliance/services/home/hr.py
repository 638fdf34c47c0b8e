"""The HR manager's home: where the organisation stands this period, what is due, what to fix.

Every figure is another service's answer, so the home, the gap page and the declarations list
cannot disagree (issue 16, item 3):

- the period is the one the gap page opens on (`declarations.gap.default_year`), and its
  status and result in whole people are `declarations.status.period_status`, the line the
  declarations list prints for that year;
- the periods to file and the next due date are `status.periods_needing_action`, the list the
  gap page shows; the open cases are `inspections.responses.open_cases_for_organization`;
- what to fix is the gap page's own warnings (`gap_overview`), with the missing months grouped
  by establishment, plus the current roster entries without an active consent (they cannot be
  counted, `Employee.has_active_consent`).

The onboarding checklist is read from the data, never from stored flags, so it cannot drift
from what was really done: establishments (a branch added, or an address or WLKP number on
record: the sign-up's "Kantor pusat" alone has neither), monthly figures, a consented roster
entry, a submitted declaration. It ends with the first submitted declaration even when the
roster is still empty: an employer with nobody to put on it yet is what the quota is about,
not an unfinished set-up, and a checklist that never goes away is one nobody reads.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from compliance.models.accounts import User
from compliance.models.declarations import Declaration, DeclarationStatus
from compliance.models.organizations import Establishment
from compliance.models.people import Employee
from compliance.models.referrals import ReferralStatus, RequestStatus
from compliance.models.workforce import WorkforceFigure
from compliance.services import ServiceError
from compliance.services.declarations.filing import own_organization
from compliance.services.declarations.gap import FixAt, Warning, default_year, gap_overview
from compliance.services.declarations.status import (
    PeriodStatus,
    Standing,
    period_status,
    periods_needing_action,
)
from compliance.services.inspections.responses import OpenCase, open_cases_for_organization
from compliance.services.registry.requests import list_requests


class Step(enum.StrEnum):
    """The onboarding steps, in the order a new organisation takes them."""

    ESTABLISHMENTS = "establishments"
    FIGURES = "figures"
    ROSTER = "roster"
    DECLARATION = "declaration"


class StepState(enum.StrEnum):
    DONE = "done"
    NEXT = "next"
    TO_DO = "to_do"


@dataclass(frozen=True, slots=True)
class OnboardingStep:
    step: Step
    state: StepState


@dataclass(frozen=True, slots=True)
class Onboarding:
    steps: tuple[OnboardingStep, ...]
    #: The first declaration is in: the set-up is over whatever else is left (module docstring).
    has_submitted: bool

    @property
    def is_complete(self) -> bool:
        return self.has_submitted or all(s.state is StepState.DONE for s in self.steps)

    @property
    def next_step(self) -> Step | None:
        return next((s.step for s in self.steps if s.state is StepState.NEXT), None)


@dataclass(frozen=True, slots=True)
class MissingFigures:
    """An establishment's months without figures in the period (the gap page's warnings)."""

    establishment_id: int
    establishment_name: str
    months: tuple[date, ...]


@dataclass(frozen=True, slots=True)
class ToFix:
    missing_figures: tuple[MissingFigures, ...]
    #: Evidence that expired or expires soon, for people who count or would (gap page).
    evidence: tuple[Warning, ...]
    #: The engine's own warnings: unverified evidence, a stale rule pack, a sector to check.
    checks: tuple[Warning, ...]
    #: Current roster entries without an active consent: they cannot be counted.
    without_consent: int

    @property
    def is_empty(self) -> bool:
        return not (self.missing_figures or self.evidence or self.checks or self.without_consent)


class RequestProgress(enum.StrEnum):
    WAITING = "waiting"  # the ULD has not sent a shortlist yet
    UNANSWERED = "unanswered"  # ... and its service-level deadline passed
    SHORTLISTED = "shortlisted"  # candidates were sent


@dataclass(frozen=True, slots=True)
class RequestLine:
    id: int
    title: str
    positions: int
    progress: RequestProgress
    #: Candidates sent to the company, still in play, and hired.
    shared: int
    in_play: int
    hired: int


class NextAction(enum.StrEnum):
    """The one step the home puts first."""

    ESTABLISHMENTS = "establishments"
    FIGURES = "figures"
    ROSTER = "roster"
    DECLARATION = "declaration"
    FILE_OVERDUE = "file_overdue"
    ANSWER_CASE = "answer_case"
    FIX_DATA = "fix_data"
    REQUEST_CANDIDATES = "request_candidates"
    FILE_OPEN = "file_open"


@dataclass(frozen=True, slots=True)
class HrHome:
    organization_name: str
    #: The gap page's period, and its status of record as the declarations list states it.
    year: int
    current: PeriodStatus
    #: Every open or overdue period, oldest first (the gap page's list).
    periods_due: tuple[PeriodStatus, ...]
    open_cases: tuple[OpenCase, ...]
    requests: tuple[RequestLine, ...]
    to_fix: ToFix
    onboarding: Onboarding

    @property
    def next_due(self) -> PeriodStatus | None:
        """The nearest due date still ahead."""
        ahead = [p for p in self.periods_due if p.standing is Standing.OPEN]
        return min(ahead, key=lambda p: p.due_on) if ahead else None

    @property
    def overdue(self) -> tuple[PeriodStatus, ...]:
        return tuple(p for p in self.periods_due if p.standing is Standing.OVERDUE)

    @property
    def next_action(self) -> NextAction:
        step = None if self.onboarding.is_complete else self.onboarding.next_step
        if step is not None:
            return NextAction(step.value)
        if self.overdue:
            return NextAction.FILE_OVERDUE
        if self.open_cases:
            return NextAction.ANSWER_CASE
        if not self.to_fix.is_empty:
            return NextAction.FIX_DATA
        if self.current.result.gap and not self.requests:
            return NextAction.REQUEST_CANDIDATES
        return NextAction.FILE_OPEN


def onboarding(session: Session, organization_id: int) -> Onboarding:
    """The checklist, ticked from the data in one query (see the module docstring)."""
    mine = Establishment.organization_id == organization_id
    facts = session.execute(
        select(
            exists().where(
                mine,
                or_(
                    Establishment.is_head_office.is_(False),
                    Establishment.address.is_not(None),
                    Establishment.wlkp_number.is_not(None),
                ),
            ),
            exists().where(WorkforceFigure.organization_id == organization_id),
            exists().where(
                Employee.organization_id == organization_id, Employee.has_active_consent
            ),
            exists().where(
                Declaration.organization_id == organization_id,
                Declaration.status == DeclarationStatus.SUBMITTED,
            ),
        )
    ).one()
    done = dict(zip(Step, (bool(f) for f in facts), strict=True))
    first_open = next((step for step in Step if not done[step]), None)
    steps = tuple(
        OnboardingStep(
            step,
            StepState.DONE
            if done[step]
            else StepState.NEXT
            if step is first_open
            else StepState.TO_DO,
        )
        for step in Step
    )
    return Onboarding(steps, has_submitted=done[Step.DECLARATION])


def _without_consent(session: Session, organization_id: int, today: date) -> int:
    return (
        session.scalar(
            select(func.count(Employee.id)).where(
                Employee.organization_id == organization_id,
                or_(Employee.end_date.is_(None), Employee.end_date >= today),
                ~Employee.has_active_consent,
            )
        )
        or 0
    )


def _group_missing(warnings: Sequence[Warning]) -> tuple[MissingFigures, ...]:
    months: dict[tuple[int, str], list[date]] = {}
    for w in warnings:
        if w.code == "missing_figures" and w.establishment_id is not None and w.month:
            months.setdefault((w.establishment_id, w.establishment_name or ""), []).append(w.month)
    return tuple(
        MissingFigures(establishment_id, name, tuple(sorted(found)))
        for (establishment_id, name), found in months.items()
    )


def to_fix(session: Session, actor: User, year: int, today: date) -> ToFix:
    """The gap page's warnings for `year`, grouped, and the roster entries without consent."""
    assert actor.organization_id is not None  # an HR manager's (own_organization checked it)
    try:
        warnings = gap_overview(session, actor, year, today=today).warnings
    except ServiceError:
        warnings = ()  # figures the engine refuses: the gap page names them
    return ToFix(
        missing_figures=_group_missing(warnings),
        evidence=tuple(w for w in warnings if w.fix_at is FixAt.EMPLOYEE),
        checks=tuple(
            w for w in warnings if w.fix_at not in (FixAt.EMPLOYEE, FixAt.FIGURES) and w.line
        ),
        without_consent=_without_consent(session, actor.organization_id, today),
    )


def _requests(session: Session, actor: User) -> tuple[RequestLine, ...]:
    """The organisation's open referral requests, newest first, and how far each has got."""
    lines = []
    for request in list_requests(session, actor):
        if request.status is not RequestStatus.OPEN:
            continue
        shared = [r for r in request.referrals if r.shared_at is not None]
        if request.shortlisted_at is not None:
            progress = RequestProgress.SHORTLISTED
        elif request.flagged_unanswered_at is not None:
            progress = RequestProgress.UNANSWERED
        else:
            progress = RequestProgress.WAITING
        lines.append(
            RequestLine(
                request.id,
                request.title,
                request.positions,
                progress,
                shared=len(shared),
                in_play=sum(1 for r in shared if r.status.is_open),
                hired=sum(1 for r in shared if r.status is ReferralStatus.HIRED),
            )
        )
    return tuple(lines)


def hr_home(session: Session, actor: User, *, today: date | None = None) -> HrHome:
    organization = own_organization(session, actor)
    today = today or organization.today()
    year = default_year(today)
    # The gap page's overview first: the year's status below then reuses its computation
    # (`compute` answers a status from a breakdown already made, not the other way round).
    fix = to_fix(session, actor, year, today)
    due = periods_needing_action(session, organization, today=today)
    listed = next((p for p in due if p.year == year), None)
    current = listed or period_status(session, organization, year, today=today)
    return HrHome(
        organization_name=organization.name,
        year=year,
        current=current,
        periods_due=tuple(due),
        open_cases=tuple(open_cases_for_organization(session, actor)),
        requests=_requests(session, actor),
        to_fix=fix,
        onboarding=onboarding(session, organization.id),
    )
