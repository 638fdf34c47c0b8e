"""Finding events in the whole audit trail, for the administrators' audit page: filters by
organisation, actor, action and dates, one page at a time, and the chain's verification.

Dates are calendar days in the reader's zone: "from 1 December" in WIT starts at 15:00 UTC on
30 November. The stored instants are naive UTC, so each day's bounds are turned into those.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from compliance.clock import WIB, Zone
from compliance.models.accounts import User
from compliance.models.audit import AuditEvent
from compliance.models.organizations import Organization
from compliance.services import ServiceError
from compliance.services.audit import ChainReport, verify_chain
from compliance.services.audit_checkpoints import CheckpointReport, verify_checkpoints

PER_PAGE = 50


@dataclass(frozen=True)
class AuditFilters:
    """What the reader looks for; empty text and None mean "any"."""

    organization: str = ""
    actor: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    #: The zone the dates are calendar days of.
    zone: Zone = WIB


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    page: int
    has_next: bool
    #: Names of the organisations the page's events belong to, by id.
    organization_names: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TrailVerification:
    chain: ChainReport
    checkpoints: CheckpointReport

    @property
    def is_intact(self) -> bool:
        return self.chain.is_intact and self.checkpoints.is_intact


def _start_of(day: date, zone: Zone) -> datetime:
    """The stored (naive UTC) instant at which `day` begins in `zone`."""
    return datetime.combine(day, time.min, tzinfo=zone.tz).astimezone(UTC).replace(tzinfo=None)


def event_conditions(filters: AuditFilters) -> list[ColumnElement[bool]]:
    """The WHERE clauses of `filters` (an organisation's history adds its own to these)."""
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ServiceError(_("The end date is before the start date."), field="date_to")
    conditions: list[ColumnElement[bool]] = []
    if filters.organization.strip():
        named = select(Organization.id).where(
            Organization.name.icontains(filters.organization.strip(), autoescape=True)
        )
        conditions.append(AuditEvent.organization_id.in_(named))
    if filters.actor.strip():
        text = filters.actor.strip()
        # The label holds the e-mail address as it was; the name comes from the account.
        named = select(User.id).where(User.name.icontains(text, autoescape=True))
        conditions.append(
            or_(
                AuditEvent.actor_label.icontains(text, autoescape=True),
                AuditEvent.actor_id.in_(named),
            )
        )
    if filters.action:
        conditions.append(AuditEvent.action == filters.action)
    if filters.date_from:
        conditions.append(AuditEvent.occurred_at >= _start_of(filters.date_from, filters.zone))
    if filters.date_to:
        end = _start_of(filters.date_to + timedelta(days=1), filters.zone)
        conditions.append(AuditEvent.occurred_at < end)
    return conditions


def search_events(session: Session, filters: AuditFilters, page: int = 1) -> AuditPage:
    """One page of the events matching `filters`, newest first.

    Raises `ServiceError` (on `date_to`) when the dates are the wrong way round.
    """
    page = max(page, 1)
    rows = list(
        session.scalars(
            select(AuditEvent)
            .where(*event_conditions(filters))
            .order_by(AuditEvent.id.desc())
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE + 1)  # one more tells whether a next page exists
        )
    )
    events = rows[:PER_PAGE]
    ids = {e.organization_id for e in events if e.organization_id is not None}
    names: dict[int, str] = {}
    if ids:
        query = select(Organization.id, Organization.name).where(Organization.id.in_(ids))
        names = {row.id: row.name for row in session.execute(query)}
    return AuditPage(events, page, len(rows) > PER_PAGE, names)


def recorded_actions(session: Session) -> list[str]:
    """Every action the trail holds, for the page's action filter."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def verify_trail(session: Session) -> TrailVerification:
    """Both checks `flask audit verify` runs: every link of the chain, every checkpoint."""
    return TrailVerification(verify_chain(session), verify_checkpoints(session))
