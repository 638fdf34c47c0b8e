"""Bulk imports of the roster or the monthly figures: one row per uploaded file.

The job row is the whole state of an import, so any web worker (or, in production, a task
worker on another machine) can report its progress: nothing lives only in process memory. The
upload itself is a `StoredFile` in the database (any instance can confirm it) until the import
finishes; the file holds personal data, so it is deleted once it is written or discarded, and
after a day if nobody confirms it.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from compliance.clock import utcnow
from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import OrganizationScoped, enum_column


class ImportKind(enum.StrEnum):
    ROSTER = "roster"
    FIGURES = "figures"


class ImportStatus(enum.StrEnum):
    """validating -> invalid | ready -> importing -> done | failed; ready, validating or
    importing -> discarded (a running import stops at its next batch, keeping those written)."""

    VALIDATING = "validating"
    INVALID = "invalid"
    READY = "ready"
    IMPORTING = "importing"
    DONE = "done"
    FAILED = "failed"
    DISCARDED = "discarded"

    @property
    def is_running(self) -> bool:
        return self in {ImportStatus.VALIDATING, ImportStatus.IMPORTING}


class ImportJob(OrganizationScoped, CreatedAtMixin, Base):
    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[ImportKind] = mapped_column(enum_column(ImportKind, "import_kind"), nullable=False)
    status: Mapped[ImportStatus] = mapped_column(
        enum_column(ImportStatus, "import_status"), nullable=False
    )
    #: The name the user gave the file (shown back to them; never used as a path).
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    #: "csv" or "xlsx".
    file_format: Mapped[str] = mapped_column(String(8), nullable=False)
    #: The upload (`StoredFile`); None once it is deleted.
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL"), index=True
    )
    #: Before migration 0019 an upload lay under the instance folder, relative to it: kept for
    #: an import checked before the upgrade; None for every upload since.
    stored_path: Mapped[str | None] = mapped_column(String(255))
    total_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    updated_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    error_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: The first errors found, as {"row", "column", "message"} (message ids, translated on
    #: display); capped, the full count is `error_count`.
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status is ImportStatus.DONE else 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    def __repr__(self) -> str:
        return f"<ImportJob {self.id} {self.kind} {self.status}>"
