"""What every API body shares: strict inputs and outputs, instants, cursor pages, `/me`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from compliance.models.accounts import Role


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


class Page(Output):
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


class CursorQuery(Input):
    cursor: Annotated[str | None, Field(max_length=40)] = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


# --- monthly figures ------------------------------------------------------------------------


class Me(Output):
    id: int
    name: str
    email: str
    role: Role
    organization_id: int | None
    token_name: str
    token_scopes: list[Literal["read", "write"]]
    token_expires_at: Instant
