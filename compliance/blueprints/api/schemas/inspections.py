"""Bodies of the labour inspectors' routes: the dashboard, an organisation's file, reviews,
cases."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from compliance.blueprints.api.schemas.common import Input, Instant, Output
from compliance.blueprints.api.schemas.hr import ResultOut
from compliance.models.inspections import CaseEventKind, CaseStage, ReviewOutcome
from compliance.models.organizations import Sector
from compliance.services.inspections.filters import MAX_QUERY, SizeBand, StatusFilter

Text = Annotated[str, Field(max_length=2000)]

# --- the dashboard ---------------------------------------------------------------------------


class DashboardQuery(Input):
    """The dashboard page's own filters and paging (`page`, 50 a page, ranked by gap)."""

    sector: Sector | None = None
    regency: Annotated[str | None, Field(max_length=5, examples=["32.73"])] = None
    size: SizeBand | None = None
    status: StatusFilter | None = None
    q: Annotated[str | None, Field(max_length=MAX_QUERY)] = Field(
        None, description="Part of the name, or an exact NIB or NPWP."
    )
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1


class PeopleCount(Output):
    """A count of people with disabilities, suppressed below 5 as on the pages."""

    count: int | None = Field(description="Null when unknown or suppressed (fewer than 5).")
    shown: str = Field(description='As the pages print it: a number, "<5" or "—".')


class DashboardRowOut(Output):
    organization_id: int
    name: str
    nib: str
    sector: Sector
    headcount: int | None = Field(description="Workforce of the latest complete month.")
    required: PeopleCount
    counted: PeopleCount
    gap: int | None = Field(description="Persons missing; null when unknown.")
    status: str = Field(
        description="The status of record of the ranked period (`overdue` as soon as due)."
    )
    has_declared: bool
    review_outcome: ReviewOutcome | None
    flags: list[str]
    due_year: int = Field(description="The reporting year ranked.")
    months_complete: int


class HeadlineOut(Output):
    organizations: int
    compliant: int
    compliant_percent: int | None
    required: PeopleCount
    counted: PeopleCount
    overdue: int


class DashboardOut(Output):
    items: list[DashboardRowOut]
    page: int
    pages: int
    total: int
    headline: HeadlineOut


# --- an organisation's file ------------------------------------------------------------------


class EstablishmentBrief(Output):
    id: int
    name: str
    regency_code: str
    is_head_office: bool
    is_open: bool


class PeriodRecordOut(Output):
    """The status of record of one reporting period, as every page shows it."""

    year: int
    due_on: dt.date
    standing: Literal["submitted", "open", "overdue", "not_obliged"]
    days_left: int
    months_complete: int
    months_total: int
    result: ResultOut
    declaration_id: int | None
    submitted_on: dt.date | None
    follow_up: str | None


class RosterCountsOut(Output):
    month: dt.date
    counted: int
    unverified: int
    not_counted: int
    by_category: dict[str, int]


class ReferralActivityOut(Output):
    requests: int
    positions: int
    proposed: int
    introduced: int
    hired: int
    not_hired: int


class ReviewOut(Output):
    id: int
    declaration_id: int
    outcome: ReviewOutcome
    message: str | None
    reviewed_at: Instant


class CaseBrief(Output):
    id: int
    declaration_id: int | None
    stage: CaseStage
    deadline_on: dt.date | None
    opened_at: Instant


class OrganizationFileOut(Output):
    id: int
    name: str
    nib: str
    npwp: str
    sector: Sector
    head_office_regency_code: str
    establishments: list[EstablishmentBrief]
    periods: list[PeriodRecordOut] = Field(description="Every period on record, newest first.")
    roster: RosterCountsOut = Field(description="Counts only: names need a stated reason.")
    referrals: ReferralActivityOut
    reviews: list[ReviewOut]
    cases: list[CaseBrief]


class ReviewList(Output):
    items: list[ReviewOut]


class ReviewIn(Input):
    outcome: Literal["accepted", "correction_requested"] = Field(
        description="A finding opens a case instead: POST .../cases."
    )
    message: Text | None = Field(None, description="What to correct (required for a correction).")


# --- cases -----------------------------------------------------------------------------------


class CaseEventOut(Output):
    id: int
    kind: CaseEventKind
    note: str | None
    early_reason: str | None
    deadline_on: dt.date | None
    actor: str
    at: Instant


class CaseOut(Output):
    id: int
    organization_id: int
    declaration_id: int | None
    finding: str
    stage: CaseStage
    deadline_on: dt.date | None
    is_before_deadline: bool
    events: list[CaseEventOut]


class CaseIn(Input):
    finding: Text
    deadline_on: dt.date | None = Field(
        None, description="Defaults to the configured working days for nota pemeriksaan I."
    )


class EscalationIn(Input):
    note: Text | None = None
    deadline_on: dt.date | None = Field(None, description="Nota II's deadline (default 14 days).")
    reason: Annotated[str | None, Field(max_length=500)] = Field(
        None, description="Required before the current deadline has passed: why it cannot wait."
    )
