"""Referral requests and referrals: a company's vacancy sent to a ULD, and each candidate
proposed for it.

A request belongs to the company and is routed to one ULD; both see it (`_request_scope`),
inspectors only as counts through their own services. A `Referral` links one candidate to one
request; its `introduced_at` (the candidate agreed to be introduced to that company) is what
unlocks the candidate's name and contact for the company.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.clock import utcnow
from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import enum_column, organization_scope
from compliance.models.people import ConsentMethod
from compliance.models.registry import (
    Candidate,
    EducationLevel,
    Hours,
    Uld,
    officer_ulds,
)
from compliance.models.tenancy import Reach, TenantScoped, nothing
from compliance.models.types import EncryptedList


class ReferralStatus(enum.StrEnum):
    PROPOSED = "proposed"
    INTRODUCED = "introduced"
    INTERVIEWED = "interviewed"
    HIRED = "hired"
    NOT_HIRED = "not_hired"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        return self in {
            ReferralStatus.PROPOSED,
            ReferralStatus.INTRODUCED,
            ReferralStatus.INTERVIEWED,
        }


class NotHiredReason(enum.StrEnum):
    SKILLS = "skills"
    EXPERIENCE = "experience"
    ACCOMMODATION = "accommodation"
    ACCESSIBILITY = "accessibility"
    TRANSPORT = "transport"
    PAY_OR_HOURS = "pay_or_hours"
    CANDIDATE_DECLINED = "candidate_declined"
    POSITION_FILLED = "position_filled"
    OTHER = "other"


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


def _request_scope(organization: Any, uld: Any, reach: Reach) -> ColumnElement[bool]:
    """Companies see their own; officers what was routed to their ULD."""
    if reach.everything:
        return true()
    if reach.organization_id is not None:
        return organization_scope(organization, reach)
    if reach.regency_codes and reach.user_id is not None:
        return uld.in_(officer_ulds(reach))
    return nothing()


class ReferralRequest(TenantScoped, CreatedAtMixin, Base):
    __tablename__ = "referral_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    establishment_id: Mapped[int] = mapped_column(
        ForeignKey("establishments.id"), index=True, nullable=False
    )
    declaration_id: Mapped[int | None] = mapped_column(
        ForeignKey("declarations.id", ondelete="SET NULL")
    )
    uld_id: Mapped[int | None] = mapped_column(ForeignKey("ulds.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    tasks: Mapped[str] = mapped_column(Text, nullable=False)
    requirements: Mapped[str | None] = mapped_column(Text)
    hours: Mapped[Hours] = mapped_column(enum_column(Hours, "hours"), nullable=False)
    min_education: Mapped[EducationLevel] = mapped_column(
        enum_column(EducationLevel, "education_level"), nullable=False
    )
    skill_codes: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    accommodations_offered: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    positions: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, "request_status"), default=RequestStatus.OPEN, nullable=False
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    shortlisted_at: Mapped[datetime | None] = mapped_column(DateTime)
    flagged_unanswered_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    uld: Mapped[Uld | None] = relationship()
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="request", order_by="Referral.id"
    )

    @classmethod
    def tenant_criteria(cls, reach: Reach) -> ColumnElement[bool]:
        return _request_scope(cls.organization_id, cls.uld_id, reach)


class Referral(TenantScoped, CreatedAtMixin, Base):
    """One candidate proposed for one request; `shared_at` is when the shortlist holding it was
    sent to the company, `seen_at` when an HR manager of the company first opened it."""

    __tablename__ = "referrals"
    __table_args__ = (UniqueConstraint("request_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("referral_requests.id", ondelete="CASCADE"), index=True, nullable=False
    )
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="SET NULL"), index=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    uld_id: Mapped[int | None] = mapped_column(ForeignKey("ulds.id"), index=True)
    status: Mapped[ReferralStatus] = mapped_column(
        enum_column(ReferralStatus, "referral_status"),
        default=ReferralStatus.PROPOSED,
        nullable=False,
    )
    score: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: Category codes at the time of the outcome, for statistics after the candidate is purged.
    outcome_categories: Mapped[list[str] | None] = mapped_column(EncryptedList)
    proposed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    shared_at: Mapped[datetime | None] = mapped_column(DateTime)
    seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    introduced_at: Mapped[datetime | None] = mapped_column(DateTime)
    introduction_method: Mapped[ConsentMethod | None] = mapped_column(
        enum_column(ConsentMethod, "consent_method")
    )
    interviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime)
    not_hired_reason: Mapped[NotHiredReason | None] = mapped_column(
        enum_column(NotHiredReason, "not_hired_reason")
    )
    outcome_note: Mapped[str | None] = mapped_column(Text)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))

    request: Mapped[ReferralRequest] = relationship(back_populates="referrals")
    candidate: Mapped[Candidate | None] = relationship()

    @classmethod
    def tenant_criteria(cls, reach: Reach) -> ColumnElement[bool]:
        return _request_scope(cls.organization_id, cls.uld_id, reach)
