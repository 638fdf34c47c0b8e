"""Scheduled jobs: their runs, the leader lease, and what they must remember between runs.

Jobs are idempotent because they remember what they did: a reminder once sent is a `JobNotice`
row (a second run finds it and sends nothing), a month once frozen is a `MonthlySnapshot` row.
`JobRun` is the operator's record of every run; `JobLease` elects one leader on SQLite, where
PostgreSQL's advisory locks do not exist.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from compliance.clock import utcnow
from compliance.models.base import Base
from compliance.models.organizations import OrganizationScoped


class JobRun(Base):
    """One run of one job: platform data, shown to admins."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(80), index=True, nullable=False)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: running, succeeded, partial (some organisations failed) or failed.
    outcome: Mapped[str] = mapped_column(String(20), default="running", nullable=False)
    #: Organisations (or items) looked at, changed, and failed.
    processed: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    changed: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    failed: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    error: Mapped[str | None] = mapped_column(Text)
    #: host:pid of the process that ran it.
    runner: Mapped[str] = mapped_column(String(120), default="", nullable=False)


class JobLease(Base):
    """The scheduler leader's lease on SQLite: whoever holds an unexpired row leads."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class JobNotice(OrganizationScoped, Base):
    """A reminder a job sent, so the next run does not send it again."""

    __tablename__ = "job_notices"
    __table_args__ = (UniqueConstraint("organization_id", "kind", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False
    )
    #: e.g. deadline_30, deadline_7, overdue, evidence_expiry.
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    #: What it was about, e.g. "period:2026" or "employee:12:2027-01-31".
    subject: Mapped[str] = mapped_column(String(120), nullable=False)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    recipients: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class MonthlySnapshot(OrganizationScoped, Base):
    """An organisation's quota result for one month, frozen once the month is over.

    The figures behind it may be corrected later; the quota history shows what was known
    when the month closed, with the SHA-256 of that input.
    """

    __tablename__ = "monthly_snapshots"
    __table_args__ = (UniqueConstraint("organization_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False
    )
    #: The first day of the month described.
    month: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(32), nullable=False)
    denominator: Mapped[int | None] = mapped_column(Integer)
    required: Mapped[int | None] = mapped_column(Integer)
    counted: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    gap: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    pack_id: Mapped[str] = mapped_column(String(80), nullable=False)
    input_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    frozen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
