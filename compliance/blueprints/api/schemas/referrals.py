"""Bodies of a company's referral requests: the positions it asks the ULD to fill."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from compliance.blueprints.api.schemas.common import Input, Instant, Output
from compliance.models.people import ConsentMethod
from compliance.models.referrals import NotHiredReason
from compliance.models.registry import EducationLevel, Hours
from compliance.quota.vocab import EmploymentType


class ReferralRequestIn(Input):
    establishment_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    tasks: Annotated[str, Field(min_length=1, max_length=5000)]
    hours: Hours
    min_education: EducationLevel
    positions: Annotated[int, Field(ge=1, le=500)]
    requirements: Annotated[str, Field(max_length=5000)] = ""
    skill_codes: list[Annotated[str, Field(max_length=50)]] = Field(default=[], max_length=50)
    accommodations_offered: list[Annotated[str, Field(max_length=50)]] = Field(
        default=[], max_length=50
    )
    declaration_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None


class ReferralRequestOut(Output):
    id: int
    establishment_id: int
    title: str
    positions: int
    status: Literal["open", "closed"]
    uld_id: int | None = Field(description="The ULD it was routed to; null when none serves it.")
    referrals: dict[str, int] = Field(
        description="How many candidates stand at each step (proposed, introduced, hired...). "
        "Who they are is shared by the ULD with each candidate's consent, not here."
    )
    created_at: Instant
    closed_at: Instant | None


class ReferralRequestList(Output):
    items: list[ReferralRequestOut]


class ReferralOut(Output):
    id: int
    request_id: int
    status: Literal["proposed", "introduced", "interviewed", "hired", "not_hired", "withdrawn"]
    employee_id: int | None = Field(description="The roster entry a hire created.")


class CompanyOutcomeIn(Input):
    outcome: Literal["interviewed", "hired", "not_hired"]
    employee_number: Annotated[str, Field(max_length=50)] = Field(
        default="", description="For `hired`: the new roster entry's number."
    )
    employment_type: EmploymentType | None = Field(default=None, description="For `hired`.")
    start_date: dt.date | None = Field(default=None, description="For `hired`.")
    consent_method: ConsentMethod | None = Field(
        default=None, description="For `hired`: how the new employee gave their consent."
    )
    consent_given_on: dt.date | None = Field(default=None, description="For `hired`.")
    reason: NotHiredReason | None = Field(default=None, description="For `not_hired`.")
    note: Annotated[str, Field(max_length=1000)] = ""
