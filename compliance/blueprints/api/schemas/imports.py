"""Bodies of the import routes: a roster or figures file's life, from upload to written."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from compliance.blueprints.api.schemas.common import Input, Instant, Output, Page

ImportKindText = Literal["roster", "figures"]


class ImportQuery(Input):
    kind: ImportKindText
    filename: Annotated[str, Field(max_length=255)] = "upload.csv"


class TemplateQuery(Input):
    kind: ImportKindText


class ImportErrorOut(Output):
    row: int = Field(description="The file's row (1 is the header); 0 for the whole file.")
    column: str
    code: str
    message: str


class ImportOut(Output):
    id: int
    kind: ImportKindText
    status: Literal["validating", "invalid", "ready", "importing", "done", "failed", "discarded"]
    filename: str
    total_rows: int
    processed_rows: int
    created: int
    updated: int
    unchanged: int
    error_count: int
    errors: list[ImportErrorOut] = Field(description="The first 100 errors, in file order.")
    created_at: Instant
    finished_at: Instant | None


class ImportPage(Page):
    items: list[ImportOut]
