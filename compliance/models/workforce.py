"""Monthly workforce figures: the headcount by employment type the quota's denominator needs.

One row per establishment, month and employment type (LAW.md row 4: WLKP reports each branch
separately, and the engine decides which types count). `organization_id` repeats the
establishment's organisation on purpose: tenant scoping then needs no join, and the
declarations read a whole organisation's months with one indexed query.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.clock import utcnow
from compliance.models.base import Base
from compliance.models.organizations import (
    Establishment,
    OrganizationScoped,
    enum_column,
)
from compliance.quota import EmploymentType


class WorkforceFigure(OrganizationScoped, Base):
    """The headcount of one employment type at one establishment in one month."""

    __tablename__ = "workforce_figures"
    __table_args__ = (
        UniqueConstraint("establishment_id", "month", "employment_type"),
        CheckConstraint("headcount >= 0", name="headcount_non_negative"),
        Index("ix_workforce_figures_organization_id_month", "organization_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False
    )
    establishment_id: Mapped[int] = mapped_column(
        ForeignKey("establishments.id", ondelete="CASCADE"), nullable=False
    )
    #: Always the first day of the month the figure describes.
    month: Mapped[date] = mapped_column(Date, nullable=False)
    employment_type: Mapped[EmploymentType] = mapped_column(
        enum_column(EmploymentType, "employment_type"), nullable=False
    )
    headcount: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    establishment: Mapped[Establishment] = relationship()

    def __repr__(self) -> str:
        return (
            f"<WorkforceFigure {self.establishment_id} {self.month:%Y-%m} "
            f"{self.employment_type}={self.headcount}>"
        )
