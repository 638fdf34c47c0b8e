"""The API's request and response bodies, as pydantic models.

pydantic writes JSON Schema 2020-12, which is the dialect of OpenAPI 3.1, so the contract at
`/api/v1/openapi.json` is exactly what these classes check. Request bodies forbid unknown
fields (a misspelt field is an error, never silently ignored); the rules a value must follow
beyond its type (a regency that exists, a month that has ended, a head count not below the
roster) stay in the services, which every page and import shares.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from compliance.models.accounts import Role
from compliance.models.organizations import Sector
from compliance.quota.model import EmploymentType


def _as_utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


#: An instant, stored as naive UTC, written with its offset (RFC 3339 needs one).
Instant = Annotated[dt.datetime, AfterValidator(_as_utc)]
Headcount = Annotated[int, Field(ge=0, le=10_000_000)]
MonthText = Annotated[str, Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", examples=["2026-10"])]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- who and where ---------------------------------------------------------------------------


class Me(Output):
    id: int
    name: str
    email: str
    role: Role
    organization_id: int | None
    token_name: str
    token_scopes: list[Literal["read", "write"]]
    token_expires_at: Instant


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


class Page(Output):
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


class EstablishmentPage(Page):
    items: list[EstablishmentOut]


class CursorQuery(Input):
    cursor: Annotated[str | None, Field(max_length=40)] = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


# --- monthly figures ------------------------------------------------------------------------


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


class PeriodStatusOut(Output):
    organization_id: int
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
    explanation: list[ExplanationLineOut] = Field(
        description="Every number of the period's result, with its legal source."
    )


# --- the public quota calculator ------------------------------------------------------------


class QuotaEvaluateIn(BaseModel):
    """The engine's own JSON input (a snapshot or a period of monthly snapshots); the engine
    checks it strictly and names the field it refuses."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": True})

    as_of: dt.date | None = None
    sector: Sector | None = None
    headcount: dict[EmploymentType, int | None] | None = None
    label: str | None = None
    snapshots: list[dict[str, Any]] | None = None


class QuotaEvaluateOut(BaseModel):
    """`QuotaResult.to_dict()` (or a period's), as the engine writes it."""

    model_config = ConfigDict(extra="allow")

    status: str
