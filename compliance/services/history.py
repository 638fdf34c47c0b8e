"""An organisation's own audit history, newest first, for its HR managers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.audit import AuditEvent

PER_PAGE = 50


@dataclass(frozen=True)
class HistoryPage:
    events: list[AuditEvent]
    page: int
    has_next: bool


def organization_history(session: Session, organization_id: int, page: int = 1) -> HistoryPage:
    """One page of events; the tenant scope already limits them to what the actor may see."""
    page = max(page, 1)
    rows = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.organization_id == organization_id)
            .order_by(AuditEvent.id.desc())
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE + 1)  # one more tells whether a next page exists
        )
    )
    return HistoryPage(rows[:PER_PAGE], page, len(rows) > PER_PAGE)
