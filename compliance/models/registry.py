"""The ULD registry: service units, job seekers with disabilities, their consent, referrals.

A `Candidate` is kept by the ULD officers of its regency; identity, contact, disability
categories and accommodation needs are encrypted at rest (UU 27/2022 Pasal 4(2)). Matching
filters in SQL only on plain, indexed, non-identifying columns (regency, province, education,
hours, skills through `candidate_skills`, and the category bit mask, which is filled in only
when the consent allows sharing the category); everything else is scored in Python on the few
rows left. Companies reach candidates only through a `Referral` (`models/referrals.py`).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.clock import utcnow
from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import enum_column
from compliance.models.people import ConsentMethod
from compliance.models.regions import Regency
from compliance.models.tenancy import Reach, TenantScoped, nothing
from compliance.models.types import EncryptedList, EncryptedText


class EducationLevel(enum.StrEnum):
    """Highest completed schooling, in order (the matching compares positions)."""

    NONE = "none"
    PRIMARY = "primary"  # SD
    JUNIOR = "junior"  # SMP
    SENIOR = "senior"  # SMA/SMK/SLB
    DIPLOMA = "diploma"  # D1-D4
    BACHELOR = "bachelor"  # S1
    POSTGRADUATE = "postgraduate"  # S2/S3

    @property
    def rank(self) -> int:
        return list(EducationLevel).index(self)


class Hours(enum.StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    EITHER = "either"


class Availability(enum.StrEnum):
    AVAILABLE = "available"
    IN_TRAINING = "in_training"
    NOT_AVAILABLE = "not_available"


class CandidateStatus(enum.StrEnum):
    """`draft` until consent is recorded; `withdrawn` waits for the purge."""

    DRAFT = "draft"
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class CandidateConsentGiver(enum.StrEnum):
    CANDIDATE = "candidate"
    GUARDIAN = "guardian"


class Uld(CreatedAtMixin, Base):
    """A ULD Ketenagakerjaan of a province (no regency) or of one regency/city: public data."""

    __tablename__ = "ulds"
    __table_args__ = (UniqueConstraint("province_code", "regency_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    province_code: Mapped[str] = mapped_column(
        ForeignKey("provinces.code"), index=True, nullable=False
    )
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regencies.code"), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(500))

    regency: Mapped[Regency | None] = relationship()


uld_officers = Table(
    "uld_officers",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("uld_id", ForeignKey("ulds.id", ondelete="CASCADE"), index=True, nullable=False),
)


def officer_ulds(reach: Reach) -> Any:
    c = uld_officers.c
    return select(c.uld_id).where(c.user_id == reach.user_id)


def _candidate_scope(regency: Any, reach: Reach) -> ColumnElement[bool]:
    if reach.everything:
        return true()
    if reach.regency_codes:
        return regency.in_(sorted(reach.regency_codes))
    return nothing()  # companies and inspectors never query candidates directly


class Candidate(TenantScoped, CreatedAtMixin, Base):
    __tablename__ = "candidates"
    __table_args__ = (
        UniqueConstraint("external_source", "external_id"),
        # Matching reads every candidate in reach who could fit (services.registry.matching):
        # from this index alone on PostgreSQL, not from the wide rows of encrypted text.
        Index(
            "ix_candidates_matching",
            "regency_code",
            "status",
            "availability",
            "hours",
            "education",
            postgresql_include=["id", "province_code", "is_willing_to_relocate"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    regency_code: Mapped[str] = mapped_column(
        ForeignKey("regencies.code"), index=True, nullable=False
    )
    province_code: Mapped[str] = mapped_column(String(2), index=True, nullable=False)
    status: Mapped[CandidateStatus] = mapped_column(
        enum_column(CandidateStatus, "candidate_status"),
        default=CandidateStatus.DRAFT,
        index=True,
        nullable=False,
    )
    # Identity, contact and disability: encrypted, never filtered on.
    name: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    email: Mapped[str | None] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    disability_categories: Mapped[list[str] | None] = mapped_column(EncryptedList)
    accommodation_needs: Mapped[list[str] | None] = mapped_column(EncryptedList)
    accommodation_note: Mapped[str | None] = mapped_column(EncryptedText)
    experience: Mapped[str | None] = mapped_column(EncryptedText)
    # Plain, for matching: nothing here names a person or a disability (see module docstring).
    education: Mapped[EducationLevel] = mapped_column(
        enum_column(EducationLevel, "education_level"), nullable=False
    )
    hours: Mapped[Hours] = mapped_column(enum_column(Hours, "hours"), nullable=False)
    availability: Mapped[Availability] = mapped_column(
        enum_column(Availability, "availability"), nullable=False
    )
    available_from: Mapped[date | None] = mapped_column(Date)
    is_willing_to_relocate: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    skills_other: Mapped[str | None] = mapped_column(String(500))
    #: Bit per category (`registry.vocabulary.category_mask`), 0 unless the consent shares it.
    category_mask: Mapped[int] = mapped_column(SmallInteger, default=0, nullable=False)
    external_source: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: When the purge may delete this candidate (set on withdrawal).
    delete_after: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    regency: Mapped[Regency] = relationship()
    skills: Mapped[list[CandidateSkill]] = relationship(
        cascade="all, delete-orphan", order_by="CandidateSkill.skill_code"
    )
    locations: Mapped[list[CandidateLocation]] = relationship(
        cascade="all, delete-orphan", order_by="CandidateLocation.regency_code"
    )
    trainings: Mapped[list[CandidateTraining]] = relationship(
        cascade="all, delete-orphan", order_by="CandidateTraining.completed_on"
    )
    consents: Mapped[list[CandidateConsent]] = relationship(
        cascade="all, delete-orphan", order_by="CandidateConsent.id"
    )

    @property
    def active_consent(self) -> CandidateConsent | None:
        return next((c for c in self.consents if c.withdrawn_at is None), None)

    @classmethod
    def tenant_criteria(cls, reach: Reach) -> ColumnElement[bool]:
        return _candidate_scope(cls.regency_code, reach)

    def __repr__(self) -> str:
        return f"<Candidate {self.id}>"  # no name: reprs end up in logs


class CandidateSkill(Base):
    __tablename__ = "candidate_skills"
    #: Who has any of a request's skills, read from the index alone (matching counts them).
    __table_args__ = (
        Index("ix_candidate_skills_skill_code_candidate_id", "skill_code", "candidate_id"),
    )

    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True
    )
    skill_code: Mapped[str] = mapped_column(String(40), primary_key=True)


class CandidateLocation(Base):
    """A regency/city the candidate would work in besides their own."""

    __tablename__ = "candidate_locations"

    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True
    )
    regency_code: Mapped[str] = mapped_column(
        ForeignKey("regencies.code"), primary_key=True, index=True
    )


class CandidateTraining(Base):
    """A course or certificate (BLK, Kemensos, Inclusive Job Centre...), used in matching."""

    __tablename__ = "candidate_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True, nullable=False
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    provider: Mapped[str] = mapped_column(String(200), nullable=False)
    skill_code: Mapped[str | None] = mapped_column(String(40))
    completed_on: Mapped[date] = mapped_column(Date, nullable=False)
    has_certificate: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class CandidateConsent(TenantScoped, CreatedAtMixin, Base):
    """UU 27/2022 Pasal 26: who consented, how, when, to which text, and what may be shared."""

    __tablename__ = "candidate_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True, nullable=False
    )
    regency_code: Mapped[str] = mapped_column(String(5), nullable=False)
    given_by: Mapped[CandidateConsentGiver] = mapped_column(
        enum_column(CandidateConsentGiver, "candidate_consent_giver"), nullable=False
    )
    guardian_name: Mapped[str | None] = mapped_column(EncryptedText)
    method: Mapped[ConsentMethod] = mapped_column(
        enum_column(ConsentMethod, "consent_method"), nullable=False
    )
    given_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    consent_text_version: Mapped[str] = mapped_column(String(20), nullable=False)
    may_share_category: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    may_share_accommodation: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)

    @classmethod
    def tenant_criteria(cls, reach: Reach) -> ColumnElement[bool]:
        return _candidate_scope(cls.regency_code, reach)
