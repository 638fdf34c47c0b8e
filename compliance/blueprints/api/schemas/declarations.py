"""Bodies of the declaration routes: a period's yearly declaration, from draft to filed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from compliance.blueprints.api.schemas.common import Input, Instant, Output
from compliance.blueprints.api.schemas.hr import ResultOut

Note = Annotated[str | None, Field(max_length=2000)]


class DeclarationOut(Output):
    id: int
    year: int
    version: int = Field(description="1 for the first filing, then one more per correction.")
    revision: int = Field(description="Changes with every save; also the `ETag`.")
    status: Literal["draft", "submitted"]
    note: str | None
    corrects_id: int | None
    correction_reason: str | None
    computed_at: Instant
    input_sha256: str = Field(description="SHA-256 of the figures and roster it was computed on.")
    submitted_at: Instant | None
    receipt_number: str | None
    result: ResultOut
    months: int = Field(description="Months of the period in the result.")
    due_on: dt.date


class OpenDeclarationIn(Input):
    year: Annotated[int, Field(ge=2016, le=2100)]


class SubmitIn(Input):
    note: Note = None


class CorrectIn(Input):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
