"""Bodies of the ULD officers' routes: candidates with their consent, referral requests routed
to the officer's ULD, explained suggestions, proposals and outcomes.

Skill, accommodation and regency codes are checked by the services against the lists the
forms offer (`labels`), so the API and the pages refuse the same values with the same words.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from compliance.blueprints.api.schemas.common import CursorQuery, Input, Instant, Output, Page
from compliance.models.people import ConsentMethod
from compliance.models.referrals import NotHiredReason, ReferralStatus, RequestStatus
from compliance.models.registry import (
    Availability,
    CandidateConsentGiver,
    CandidateStatus,
    EducationLevel,
    Hours,
)
from compliance.quota.vocab import DisabilityCategory

Code = Annotated[str, Field(min_length=1, max_length=50)]
RegencyCode = Annotated[str, Field(min_length=5, max_length=5, examples=["36.71"])]

# --- candidates ------------------------------------------------------------------------------


class ConsentIn(Input):
    """The candidate's consent (UU 27/2022 Pasal 20-26), as the consent page records it."""

    given_by: CandidateConsentGiver
    guardian_name: Annotated[str, Field(max_length=200)] = ""
    method: ConsentMethod
    given_on: dt.date
    may_share_category: bool = Field(
        False, description="Employers may see the category before an introduction."
    )
    may_share_accommodation: bool = Field(
        False, description="Employers may see the accommodation needs before an introduction."
    )


class ConsentOut(Output):
    given_by: CandidateConsentGiver
    method: ConsentMethod
    given_at: Instant
    version: str = Field(description="The version of the consent text the candidate agreed to.")
    may_share_category: bool
    may_share_accommodation: bool


class CandidateFields(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    email: Annotated[str, Field(max_length=254)] = ""
    phone: Annotated[str, Field(max_length=50)] = ""
    regency_code: RegencyCode
    education: EducationLevel
    hours: Hours
    availability: Availability
    available_from: dt.date | None = None
    skills: Annotated[list[Code], Field(max_length=50)] = Field(default_factory=list)
    skills_other: Annotated[str, Field(max_length=500)] = ""
    experience: Annotated[str, Field(max_length=2000)] = ""
    preferred_regencies: Annotated[list[RegencyCode], Field(max_length=100)] = Field(
        default_factory=list
    )
    is_willing_to_relocate: bool = False
    #: Disability data: accepted only with an active consent (sent with it, or recorded).
    categories: Annotated[list[DisabilityCategory], Field(max_length=5)] = Field(
        [], description="Disability data: only with the candidate's consent."
    )
    accommodation_needs: Annotated[list[Code], Field(max_length=50)] = Field(
        [], description="Disability data: only with the candidate's consent."
    )
    accommodation_note: Annotated[str, Field(max_length=2000)] = Field(
        "", description="Disability data: only with the candidate's consent."
    )


class CandidateIn(CandidateFields):
    """A new candidate, with the consent that lets the registry keep them."""

    consent: ConsentIn | None = Field(
        None, description="Required: nobody is registered without their consent."
    )


class CandidateUpdate(CandidateFields):
    """Every field of a candidate with an active consent (a full replacement)."""


class CandidateOut(Output):
    id: int
    status: CandidateStatus
    name: str
    email: str | None
    phone: str | None
    regency_code: str
    education: EducationLevel
    hours: Hours
    availability: Availability
    available_from: dt.date | None
    skills: list[str]
    skills_other: str | None
    experience: str | None
    preferred_regencies: list[str]
    is_willing_to_relocate: bool
    categories: list[str] | None = Field(description="Null without an active consent.")
    accommodation_needs: list[str] | None = Field(description="Null without an active consent.")
    accommodation_note: str | None = Field(description="Null without an active consent.")
    consent: ConsentOut | None = Field(description="The active consent, if any.")
    created_at: Instant
    withdrawn_at: Instant | None


class CandidatePage(Page):
    items: list[CandidateOut]


class CandidateQuery(CursorQuery):
    status: CandidateStatus | None = None
    regency: Annotated[str | None, Field(max_length=5)] = None


# --- referral requests and referrals ---------------------------------------------------------


class ReferralOut(Output):
    id: int
    request_id: int
    candidate_id: int | None = Field(description="Null once a withdrawn candidate was deleted.")
    status: ReferralStatus
    score: int
    proposed_at: Instant
    shared_at: Instant | None = Field(description="When the shortlist went to the company.")
    seen_at: Instant | None
    introduced_at: Instant | None
    interviewed_at: Instant | None
    outcome_at: Instant | None
    not_hired_reason: NotHiredReason | None


class RequestOut(Output):
    id: int
    status: RequestStatus
    organization_name: str
    establishment_name: str
    regency_name: str
    contact_name: str | None
    contact_email: str | None
    title: str
    tasks: str
    requirements: str | None
    hours: Hours
    min_education: EducationLevel
    skill_codes: list[str]
    accommodations_offered: list[str]
    positions: int
    received_on: dt.date
    due_on: dt.date = Field(description="When a shortlist is due (the service level).")
    days_left: int = Field(description="Negative once the due date passed without a shortlist.")
    shortlisted_at: Instant | None
    referrals: list[ReferralOut]


class RequestPage(Page):
    items: list[RequestOut]


class SuggestionQuery(Input):
    limit: Annotated[int, Field(ge=1, le=100)] = 20


class ReasonOut(Output):
    code: str
    points: int
    text: str = Field(description="Why, in the language asked for (Accept-Language).")


class SuggestionOut(Output):
    candidate_id: int
    score: int = Field(description="The sum of the reasons' points.")
    reasons: list[ReasonOut]


class SuggestionList(Output):
    items: list[SuggestionOut]


class ProposalIn(Input):
    candidate_id: Annotated[int, Field(ge=1, le=2**31 - 1)]


class ShortlistOut(Output):
    sent: int = Field(description="How many proposed candidates went to the company.")


class OutcomeIn(Input):
    """`introduced`: the candidate agreed to meet this company (`method` says how); the company
    then sees their name. `not_hired`: the candidate declined or was turned down (`reason`)."""

    outcome: Literal["introduced", "not_hired"]
    method: ConsentMethod | None = None
    reason: NotHiredReason | None = None
    note: Annotated[str, Field(max_length=1000)] = ""
