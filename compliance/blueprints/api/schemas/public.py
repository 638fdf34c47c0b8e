"""Bodies of the public routes: the quota calculator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from compliance.models.organizations import Sector
from compliance.quota.model import EmploymentType

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
