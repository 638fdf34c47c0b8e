"""Employees with disabilities (the roster) and their consent records.

The roster holds only what the quota and its evidence need (UU 27/2022: data minimisation): the
disability *category* (ragam, UU 8/2016 Pasal 4), never a diagnosis. Categories, the
accommodation and the evidence number are encrypted at rest. Whether those fields may be shown or
changed depends on an active `ConsentRecord` (UU 27/2022 Pasal 26(3)); the services enforce that.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    exists,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import (
    Establishment,
    OrganizationScoped,
    enum_column,
)
from compliance.models.types import EncryptedList, EncryptedText
from compliance.quota.vocab import EmploymentType, EvidenceType


class VerificationState(enum.StrEnum):
    UNVERIFIED = "unverified"
    VERIFIED = "verified"


class ConsentGiver(enum.StrEnum):
    """Who consented: the employee, or their guardian (UU 27/2022 Pasal 26(3))."""

    EMPLOYEE = "employee"
    GUARDIAN = "guardian"


class ConsentMethod(enum.StrEnum):
    """How consent was given; each is 'written or recorded' as Pasal 20-24 require."""

    WRITTEN = "written"
    ELECTRONIC = "electronic"
    RECORDED_ORAL = "recorded_oral"


class Employee(OrganizationScoped, CreatedAtMixin, Base):
    __tablename__ = "employees"
    __table_args__ = (
        UniqueConstraint("organization_id", "employee_number"),
        # The target of the consent records' key (see `ConsentRecord`).
        UniqueConstraint("id", "organization_id"),
        # One key over both columns: the establishment must belong to the employee's own
        # organisation, which the database now guarantees as well as the services. It also
        # makes one check per inserted row where a key per column made two (bench/imports.py);
        # the organisation is still a real one, through the establishment's own key.
        ForeignKeyConstraint(
            ["establishment_id", "organization_id"],
            ["establishments.id", "establishments.organization_id"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(index=True, nullable=False)
    establishment_id: Mapped[int] = mapped_column(index=True, nullable=False)
    employee_number: Mapped[str] = mapped_column(String(50), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    employment_type: Mapped[EmploymentType] = mapped_column(
        enum_column(EmploymentType, "employment_type"), nullable=False
    )
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)

    # Disability details: read them through `services.roster.disability_details`, which
    # returns nothing unless consent is active.
    disability_categories: Mapped[list[str] | None] = mapped_column(EncryptedList)
    accommodation: Mapped[str | None] = mapped_column(EncryptedText)
    evidence_number: Mapped[str | None] = mapped_column(EncryptedText)
    evidence_type: Mapped[EvidenceType | None] = mapped_column(
        enum_column(EvidenceType, "evidence_type")
    )
    evidence_date: Mapped[date | None] = mapped_column(Date)
    evidence_expires_on: Mapped[date | None] = mapped_column(Date)
    verification_state: Mapped[VerificationState] = mapped_column(
        enum_column(VerificationState, "verification_state"),
        default=VerificationState.UNVERIFIED,
        nullable=False,
    )
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    establishment: Mapped[Establishment] = relationship()
    verified_by: Mapped[User | None] = relationship()
    consents: Mapped[list[ConsentRecord]] = relationship(
        back_populates="employee", order_by="ConsentRecord.id", cascade="all, delete-orphan"
    )

    @property
    def active_consent(self) -> ConsentRecord | None:
        return next((c for c in self.consents if c.withdrawn_at is None), None)

    @hybrid_property
    def has_active_consent(self) -> bool:
        """Whether this person's disability data may be processed at all (UU 27/2022 Pasal
        26(3)): the one definition, in Python here and in SQL below, that every reader of the
        roster's disability fields uses (the quota, the ledger, receipts, packs, jobs)."""
        return self.active_consent is not None

    @has_active_consent.inplace.expression
    @classmethod
    def _has_active_consent_expression(cls) -> ColumnElement[bool]:
        return exists().where(
            ConsentRecord.employee_id == cls.id, ConsentRecord.withdrawn_at.is_(None)
        )

    def __repr__(self) -> str:
        return f"<Employee {self.id}>"  # no name: reprs end up in logs


class ConsentRecord(OrganizationScoped, CreatedAtMixin, Base):
    """Proof of consent: who gave it, how, when, and to which version of the consent text.

    Kept after withdrawal (the proof outlives the data); `purged_at` records when the
    disability details it covered were deleted.
    """

    __tablename__ = "consent_records"
    __table_args__ = (
        # One active consent per employee, even with two HR managers clicking at once.
        Index(
            "uq_consent_records_active",
            "employee_id",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
        # A consent belongs to the organisation of its employee, by the database's own rule.
        ForeignKeyConstraint(
            ["employee_id", "organization_id"],
            ["employees.id", "employees.organization_id"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(index=True, nullable=False)
    organization_id: Mapped[int] = mapped_column(index=True, nullable=False)
    given_by: Mapped[ConsentGiver] = mapped_column(
        enum_column(ConsentGiver, "consent_giver"), nullable=False
    )
    #: Encrypted: having a guardian can itself hint at the kind of disability.
    guardian_name: Mapped[str | None] = mapped_column(EncryptedText)
    method: Mapped[ConsentMethod] = mapped_column(
        enum_column(ConsentMethod, "consent_method"), nullable=False
    )
    given_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    consent_text_version: Mapped[str] = mapped_column(String(20), nullable=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime)

    employee: Mapped[Employee] = relationship(back_populates="consents")
    recorded_by: Mapped[User | None] = relationship()
