"""Bodies of the roster routes: employees with disabilities, their consent and details.

Disability details travel only with a consent: an entry shows `disability` while its consent
is active and `null` otherwise (withdrawn, or never given), exactly as the roster page does.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from compliance.blueprints.api.schemas.common import Input, Instant, Output, Page
from compliance.models.people import ConsentGiver, ConsentMethod
from compliance.quota.vocab import DisabilityCategory, EmploymentType, EvidenceType


class EmployeeFields(Input):
    employee_number: Annotated[str, Field(min_length=1, max_length=50)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    establishment_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    employment_type: EmploymentType
    start_date: dt.date
    end_date: dt.date | None = None


class ConsentIn(Input):
    given_by: ConsentGiver
    method: ConsentMethod
    given_on: dt.date
    guardian_name: Annotated[str, Field(max_length=200)] = ""


class DisabilityIn(Input):
    categories: list[DisabilityCategory] = Field(min_length=1, max_length=5)
    accommodation: Annotated[str, Field(max_length=1000)] = ""
    evidence_type: EvidenceType | None = None
    evidence_number: Annotated[str, Field(max_length=100)] = ""
    evidence_date: dt.date | None = None
    evidence_expires_on: dt.date | None = None


class EntryIn(EmployeeFields):
    consent: ConsentIn | None = Field(
        default=None, description="The consent record; needed before any disability detail."
    )
    disability: DisabilityIn | None = None


class EntryUpdateIn(EmployeeFields):
    disability: DisabilityIn | None = Field(
        default=None, description="Only under the entry's active consent."
    )


class DisabilityOut(Output):
    categories: list[DisabilityCategory]
    accommodation: str | None
    evidence_type: EvidenceType | None
    evidence_number: str | None
    evidence_date: dt.date | None
    evidence_expires_on: dt.date | None
    verification_state: Literal["unverified", "verified"]
    verified_at: Instant | None


class EntryOut(Output):
    id: int
    employee_number: str
    name: str
    establishment_id: int
    employment_type: EmploymentType
    start_date: dt.date
    end_date: dt.date | None
    consent: Literal["none", "active", "withdrawn"]
    disability: DisabilityOut | None = Field(
        description="Shown only while the consent is active; null otherwise."
    )


class EntryPage(Page):
    items: list[EntryOut]
