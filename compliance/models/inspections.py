"""Labour inspection: the maintained compliance summary, reviews, cases and their timeline.

`ComplianceSummary` holds one row per organisation with the figures an inspector ranks and
filters by (gap, status, headcount, declaration state, data-quality flags). Ranking 50,000
organisations by aggregating their monthly rows costs ~120 ms per request; reading this table
costs ~0.1 ms (TOOLING.md). `audit_event_id` is the newest audit event the row has taken into
account, so a dashboard can find summaries that changes have overtaken.

A `DeclarationReview` is an inspector's outcome for one submitted declaration. A finding opens
an `InspectionCase` (nota pemeriksaan I, then II, then referral for investigation) whose
`CaseEvent`s are the timeline both sides read; an HR manager's response may carry
`CaseAttachment`s, stored as files under the instance folder.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.clock import utcnow
from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import (
    Organization,
    OrganizationScoped,
    enum_column,
    organization_scope,
)
from compliance.models.tenancy import Reach, TenantScoped, nothing


class SummaryMonth(OrganizationScoped, Base):
    """One organisation's entity result for one month: the dashboard's trend chart."""

    __tablename__ = "compliance_summary_months"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    headcount: Mapped[int | None] = mapped_column(Integer)
    required: Mapped[int | None] = mapped_column(Integer)
    counted: Mapped[int] = mapped_column(Integer, nullable=False)


class ReviewOutcome(enum.StrEnum):
    ACCEPTED = "accepted"
    CORRECTION_REQUESTED = "correction_requested"
    FINDING = "finding"


class ComplianceSummary(TenantScoped, Base):
    """One organisation as seen from one province it has an establishment in.

    The figures are the organisation's (the legal entity's) and the same on each of its rows;
    there is one row per province so an inspector's ranking is a single index range scan
    (`province_code`, `gap`) and the tenant criteria a plain column test, both independent of
    how many organisations the province holds. Name and identifiers are copied here so the
    ranked page needs no join.
    """

    __tablename__ = "compliance_summaries"
    __table_args__ = (
        # The ranking (read backwards), with every column a filter or the headline reads
        # carried along: a filtered page and its headline are index-only scans of the
        # province's range, never a visit to each of its rows (0029).
        Index(
            "ix_compliance_summaries_rank",
            "province_code",
            "gap",
            "organization_id",
            postgresql_include=[
                "sector",
                "headcount",
                "status",
                "review_outcome",
                "is_due_declared",
                "due_on",
                "zone",
                "required",
                "counted",
            ],
        ),
        Index("ix_compliance_summaries_due", "province_code", "is_due_declared", "due_on"),
        # The search box: part of a name (trigrams), or a whole NIB or NPWP.
        Index(
            "ix_compliance_summaries_name",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
        Index("ix_compliance_summaries_nib", "nib"),
        Index("ix_compliance_summaries_npwp", "npwp"),
    )

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), primary_key=True)
    #: The organisation's regencies/cities within this province.
    regency_codes: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    nib: Mapped[str] = mapped_column(String(13), nullable=False)
    npwp: Mapped[str] = mapped_column(String(16), nullable=False)
    sector: Mapped[str] = mapped_column(String(32), nullable=False)
    as_of_month: Mapped[date | None] = mapped_column(Date)
    headcount: Mapped[int | None] = mapped_column(Integer)
    required: Mapped[int | None] = mapped_column(Integer)
    counted: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: Persons missing; -1 when unknown (no complete month), so it still sorts below zero.
    gap: Mapped[int] = mapped_column(Integer, default=-1, nullable=False)
    #: The status of record of the period `due_year` (`status.record_key`): filed_compliant,
    #: filed_shortfall, ..., overdue, open or not_obliged; required, counted and gap are its.
    status: Mapped[str] = mapped_column(String(32), nullable=False)
    #: Months of that period with a result ("N of 12 months"), for an open or overdue one.
    months_complete: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", nullable=False
    )
    #: The period ranked (the last one that has come due), its due date and whether it was
    #: declared.
    due_year: Mapped[int] = mapped_column(Integer, nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    #: The head office's zone (WIB, WITA, WIT): the due date passes at midnight there.
    zone: Mapped[str] = mapped_column(
        String(4), default="WIB", server_default="WIB", nullable=False
    )
    is_due_declared: Mapped[bool] = mapped_column(default=False, nullable=False)
    has_declared: Mapped[bool] = mapped_column(default=False, nullable=False)
    last_declaration_id: Mapped[int | None] = mapped_column(Integer)
    review_outcome: Mapped[ReviewOutcome | None] = mapped_column(
        enum_column(ReviewOutcome, "review_outcome")
    )
    #: Data-quality flag codes (see services.inspections.flags).
    flags: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    audit_event_id: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    refreshed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    @classmethod
    def tenant_criteria(cls, reach: Reach) -> ColumnElement[bool]:
        if reach.province_codes and not reach.everything and reach.organization_id is None:
            return cls.province_code.in_(sorted(reach.province_codes))
        return organization_scope(cls.organization_id, reach)


#: The `month` of a `ComplianceTotal` row holding the latest-month totals (the headline).
LATEST = date(1900, 1, 1)


class ComplianceTotal(TenantScoped, Base):
    """Running totals per area (a province code or a regency code) and month.

    Kept up to date by adding each refresh's difference, so a dashboard's headline and charts
    read a few dozen rows however many organisations the area has. `month` LATEST holds the
    totals of each organisation's latest complete month.
    """

    __tablename__ = "compliance_totals"

    area_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    organizations: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    compliant: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    required: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    counted: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    @classmethod
    def tenant_criteria(cls, reach: Reach) -> ColumnElement[bool]:
        if reach.everything:
            return true()
        if reach.province_codes and reach.organization_id is None:
            return func.substr(cls.area_code, 1, 2).in_(sorted(reach.province_codes))
        return nothing()


class ComplianceCount(TenantScoped, Base):
    """Summary rows per province and status of record: how many organisations each province
    ranks, and how many of them are overdue, without counting its rows.

    The key holds exactly what `overdue_clause` reads (status, whether the ranked period was
    declared, its due date and the head office's zone), so "overdue as of now" is the same
    clause over a few hundred rows as over the summary itself. Kept in the same transaction
    as the summary rows change (`services.inspections.counts`); a rebuild counts them again.
    """

    __tablename__ = "compliance_counts"

    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    status: Mapped[str] = mapped_column(String(32), primary_key=True)
    is_due_declared: Mapped[bool] = mapped_column(primary_key=True)
    due_on: Mapped[date] = mapped_column(Date, primary_key=True)
    zone: Mapped[str] = mapped_column(String(4), primary_key=True)
    organizations: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    @classmethod
    def tenant_criteria(cls, reach: Reach) -> ColumnElement[bool]:
        if reach.everything:
            return true()
        if reach.province_codes and reach.organization_id is None:
            return cls.province_code.in_(sorted(reach.province_codes))
        return nothing()


class DeclarationReview(OrganizationScoped, CreatedAtMixin, Base):
    __tablename__ = "declaration_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    outcome: Mapped[ReviewOutcome] = mapped_column(
        enum_column(ReviewOutcome, "review_outcome"), nullable=False
    )
    message: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CaseStage(enum.StrEnum):
    NOTA_1 = "nota_1"
    NOTA_2 = "nota_2"
    REFERRED = "referred"
    CLOSED = "closed"


class CaseEventKind(enum.StrEnum):
    OPENED = "opened"
    NOTA_2 = "nota_2"
    REFERRED = "referred"
    CLOSED = "closed"
    RESPONSE = "response"
    REMINDER = "reminder"
    DEADLINE_PASSED = "deadline_passed"


class InspectionCase(OrganizationScoped, CreatedAtMixin, Base):
    __tablename__ = "inspection_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    declaration_id: Mapped[int | None] = mapped_column(
        ForeignKey("declarations.id", ondelete="SET NULL")
    )
    finding: Mapped[str] = mapped_column(Text, nullable=False)
    stage: Mapped[CaseStage] = mapped_column(enum_column(CaseStage, "case_stage"), nullable=False)
    deadline_on: Mapped[date | None] = mapped_column(Date, index=True)
    #: Set when the reminder / the passed-deadline flag for the current deadline went out.
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime)
    deadline_passed_at: Mapped[datetime | None] = mapped_column(DateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organization: Mapped[Organization] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )


class CaseEvent(OrganizationScoped, CreatedAtMixin, Base):
    __tablename__ = "inspection_case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_cases.id", ondelete="CASCADE"), index=True, nullable=False
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[CaseEventKind] = mapped_column(
        enum_column(CaseEventKind, "case_event_kind"), nullable=False
    )
    note: Mapped[str | None] = mapped_column(Text)
    #: Why a nota II or a referral came before the previous deadline passed (both sides read it).
    early_reason: Mapped[str | None] = mapped_column(Text)
    deadline_on: Mapped[date | None] = mapped_column(Date)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(300), nullable=False)

    case: Mapped[InspectionCase] = relationship(back_populates="events")
    attachments: Mapped[list[CaseAttachment]] = relationship(
        back_populates="event", order_by="CaseAttachment.id", cascade="all, delete-orphan"
    )


class CaseAttachment(OrganizationScoped, CreatedAtMixin, Base):
    __tablename__ = "inspection_case_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_case_events.id", ondelete="CASCADE"), index=True, nullable=False
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    #: The bytes (`StoredFile`). NO ACTION, not RESTRICT: deleting an organisation cascades to
    #: both rows in one statement, in an order PostgreSQL does not promise.
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), index=True)
    #: Before migration 0019 the bytes lay in `instance/case_attachments/<stored_name>`: kept
    #: for attachments sent before the upgrade; None since.
    stored_name: Mapped[str | None] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)

    event: Mapped[CaseEvent] = relationship(back_populates="attachments")


class SummaryWatermark(Base):
    """The newest audit event the summaries have caught up with (one row, `name` "summary").

    Not tenant data: it holds an event id and nothing else.
    """

    __tablename__ = "compliance_summary_watermarks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    audit_event_id: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: The highest organisation id summarised: newer ones need a first summary.
    organization_id: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
