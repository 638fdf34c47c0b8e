"""Reporting periods and the versioned quota declarations filed for them.

A `Declaration` is one version of an organisation's filing for one `ReportingPeriod`. A draft
may be recomputed and annotated; once submitted it is frozen: the ORM refuses any change or
deletion (like `AuditEvent`), so what an inspector reads is what was filed, whatever happens to
the figures later. A correction is a new version that names the one it corrects and why.

`revision` is SQLAlchemy's `version_id_col`: every UPDATE checks the revision it read, so two
HR managers saving the same draft cannot silently overwrite each other (optimistic concurrency).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import OrganizationScoped, enum_column


class DeclarationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class SubmittedDeclarationError(RuntimeError):
    """Code tried to change or delete a submitted declaration: a bug, never a user error."""


class ReportingPeriod(OrganizationScoped, CreatedAtMixin, Base):
    """The months one declaration covers (a calendar year by default) and when it is due.

    `due_on` is set when the period is created from the organisation's `wlkp_due_month`; a later
    change of that month moves it only while nothing has been submitted for the period
    (`services.declarations.periods.follow_due_month`).
    """

    __tablename__ = "reporting_periods"
    __table_args__ = (UniqueConstraint("organization_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    label: Mapped[str] = mapped_column(String(40), nullable=False)
    #: First day of the first month, and first day of the last month of the period.
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)

    declarations: Mapped[list[Declaration]] = relationship(
        back_populates="period", order_by="Declaration.number"
    )


class Declaration(OrganizationScoped, CreatedAtMixin, Base):
    __tablename__ = "declarations"
    __table_args__ = (
        UniqueConstraint("period_id", "number"),
        # One direct correction per version: two colleagues correcting it at once cannot
        # both succeed (the next correction corrects the correction).
        UniqueConstraint("corrects_id"),
        # A receipt's sequence restarts each year for each organisation (issue 17).
        UniqueConstraint("organization_id", "receipt_year", "receipt_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    period_id: Mapped[int] = mapped_column(
        ForeignKey("reporting_periods.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The version within the period: 1 for the first filing, 2 for its first correction...
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[DeclarationStatus] = mapped_column(
        enum_column(DeclarationStatus, "declaration_status"),
        default=DeclarationStatus.DRAFT,
        nullable=False,
    )
    note: Mapped[str | None] = mapped_column(Text)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("declarations.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)
    #: The engine's results as JSON (see `services.declarations.compute`): never recomputed
    #: once submitted.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    #: SHA-256 of the canonical input (figures and counted roster entries) behind `data`.
    input_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The receipt's number ("KI-2026-000042-0001"), given at submission with its year (at the
    #: head office) and its place in the organisation's sequence of that year
    #: (`services.receipt_numbers`); empty on drafts.
    receipt_number: Mapped[str | None] = mapped_column(String(24), unique=True)
    receipt_year: Mapped[int | None] = mapped_column(Integer)
    receipt_seq: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    revision: Mapped[int] = mapped_column(Integer, nullable=False)

    period: Mapped[ReportingPeriod] = relationship(back_populates="declarations")
    corrects: Mapped[Declaration | None] = relationship(remote_side=[id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012 (SQLAlchemy reads it)

    @property
    def is_submitted(self) -> bool:
        return self.status is DeclarationStatus.SUBMITTED

    def __repr__(self) -> str:
        return f"<Declaration {self.id} v{self.number} {self.status}>"


@event.listens_for(Declaration, "before_update")
def _refuse_changing_submitted(_mapper: Mapper[Any], _connection: Any, target: Declaration) -> None:
    # The status as loaded from the database: submitting a draft is the one allowed transition.
    history = inspect(target).attrs.status.history
    was = history.deleted[0] if history.deleted else target.status
    if was is DeclarationStatus.SUBMITTED or was == DeclarationStatus.SUBMITTED.value:
        raise SubmittedDeclarationError(f"declaration {target.id} is submitted and immutable")


@event.listens_for(Declaration, "before_delete")
def _refuse_deleting_submitted(_mapper: Mapper[Any], _connection: Any, target: Declaration) -> None:
    if target.is_submitted:
        raise SubmittedDeclarationError(f"declaration {target.id} is submitted and immutable")
