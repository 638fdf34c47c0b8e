"""Bodies of a company's referral requests: the positions it asks the ULD to fill."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from compliance.blueprints.api.schemas.common import Input, Instant, Output
from compliance.models.registry import EducationLevel, Hours


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
