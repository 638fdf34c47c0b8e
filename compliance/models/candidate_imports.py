"""A registry officer's candidate file, checked and written by a task.

The file is kept (encrypted: it holds disability data) only until the task has read it; what
stays is the outcome the officer's page shows: how many rows, how many candidates were added,
or every error found (the import is all or nothing, `services.registry.candidate_import`).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import enum_column


class CandidateImportStatus(enum.StrEnum):
    CHECKING = "checking"
    IMPORTED = "imported"
    #: The file had errors (listed): nothing was written.
    REFUSED = "refused"


class CandidateImport(CreatedAtMixin, Base):
    """Belongs to the officer who uploaded it (not to a tenant): only they see it."""

    __tablename__ = "candidate_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    status: Mapped[CandidateImportStatus] = mapped_column(
        enum_column(CandidateImportStatus, "candidate_import_status"),
        default=CandidateImportStatus.CHECKING,
    )
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    #: The upload as one data-key token until the task read it; then None.
    content: Mapped[str | None] = mapped_column(Text, deferred=True)
    rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    error_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: The errors shown (at most `MAX_STORED_ERRORS`), as `RowError.as_json()`.
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def is_clean(self) -> bool:
        return self.status is CandidateImportStatus.IMPORTED
