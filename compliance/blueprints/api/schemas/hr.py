"""Bodies of the HR managers' routes: the organisation, establishments, figures, periods."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from compliance.blueprints.api.schemas.common import (
    Headcount,
    Input,
    Instant,
    MonthText,
    Output,
    Page,
)
from compliance.models.organizations import Sector
from compliance.quota.vocab import EmploymentType

# --- who and where ---------------------------------------------------------------------------


class OrganizationOut(Output):
    id: int
    name: str
    nib: str
    npwp: str
    sector: Sector
    head_office_regency_code: str
    wlkp_due_month: int = Field(description="The month of the year the declaration is due.")


class EstablishmentOut(Output):
    id: int
    name: str
    regency_code: str
    address: str | None
    is_head_office: bool
    is_open: bool
    closed_at: Instant | None
    wlkp_number: str | None
    wlkp_registered_on: dt.date | None


class EstablishmentIn(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    regency_code: Annotated[str, Field(min_length=5, max_length=5, examples=["32.73"])]
    address: Annotated[str | None, Field(max_length=500)] = None
    wlkp_number: Annotated[str | None, Field(max_length=50)] = None
    wlkp_registered_on: dt.date | None = None


class EstablishmentPage(Page):
    items: list[EstablishmentOut]


class FiguresOut(Output):
    establishment_id: int
    month: MonthText
    headcount: dict[EmploymentType, int] = Field(
        description="Head count per employment type; a type not recorded is absent."
    )


class FiguresIn(Input):
    headcount: dict[EmploymentType, Headcount] = Field(
        description="Head count per employment type to store; types not sent keep their value.",
        min_length=1,
    )


class FiguresItem(Input):
    establishment_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    month: MonthText
    headcount: dict[EmploymentType, Headcount] = Field(min_length=1)


class FiguresBatchIn(Input):
    items: list[FiguresItem] = Field(min_length=1, max_length=1000)


class FiguresBatchOut(Output):
    changed: int = Field(description="Entries that changed at least one head count.")
    unchanged: int = Field(description="Entries equal to what was stored: nothing written.")


# --- the quota result -----------------------------------------------------------------------


class ResultOut(Output):
    status: Literal["compliant", "shortfall", "no_obligation", "insufficient_data"]
    required: int | None = Field(description="Persons with disabilities required (whole people).")
    counted: int | None = Field(description="Persons counted (whole people).")
    gap: int | None = Field(description="Persons still missing (whole people).")


class ExplanationLineOut(Output):
    code: str
    text: str = Field(description="The sentence in the language asked for (Accept-Language).")
    source: str | None = Field(description="The article of law it rests on, if any.")
    is_product_default: bool = Field(
        description="True where the rule is the product's choice, not the law's."
    )


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


class PeriodStatusOut(PeriodRecordOut):
    organization_id: int
    explanation: list[ExplanationLineOut] = Field(
        description="Every number of the period's result, with its legal source."
    )


class PeriodList(Output):
    items: list[PeriodStatusOut]
