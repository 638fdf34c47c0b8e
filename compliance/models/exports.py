"""Exports prepared in the background: an evidence pack, the national summary workbook.

A large organisation's evidence pack takes a while to build, so a request asks for it and a
task prepares it (`integrations.queue`; on a worker when there are workers). The file waits
here, encrypted with the data keys (a pack may hold names), for the person who asked, and is
deleted a day later (`expired_exports`): personal files expire.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import enum_column


class ExportKind(enum.StrEnum):
    EVIDENCE_PACK = "evidence_pack"
    COMPLIANCE_SUMMARY = "compliance_summary"


class ExportStatus(enum.StrEnum):
    PREPARING = "preparing"
    READY = "ready"
    FAILED = "failed"


class Export(CreatedAtMixin, Base):
    """Belongs to the person who asked (not to a tenant): only they may read it."""

    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ExportKind] = mapped_column(enum_column(ExportKind, "export_kind"))
    status: Mapped[ExportStatus] = mapped_column(
        enum_column(ExportStatus, "export_status"), default=ExportStatus.PREPARING
    )
    requested_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: What was asked for (ids, a year, a province code), as the task needs it.
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    filename: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    mimetype: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    #: The file as one data-key token; deferred, so listing never loads it.
    content: Mapped[str | None] = mapped_column(Text, deferred=True)
    #: The sentence shown when preparing failed (a service's refusal), never a traceback.
    error: Mapped[str | None] = mapped_column(String(500))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True, nullable=False)
