"""Bodies of the public routes: the quota calculator and evidence-pack verification."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from compliance.blueprints.api.schemas.common import Input, Output
from compliance.models.organizations import Sector
from compliance.quota.vocab import EmploymentType

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


# --- evidence-pack verification (public) -----------------------------------------------------


class PackUpload(Input):
    """The multipart form of the upload (the ZIP may also be the whole body, application/zip)."""

    pack: bytes = Field(description="The evidence pack, a ZIP file of at most 60 MB.")


class VerificationOut(Output):
    is_intact: bool
    problems: list[str] = Field(description="What is wrong, first thing first; empty if intact.")
    manifest: dict[str, Any] | None = Field(
        description="The pack's signed manifest (organisation, period, files' SHA-256)."
    )
