"""Privacy jobs (UU 27/2022; LAW.md): consent withdrawals and the roster's retention period.

- A withdrawal hides the disability details at once; `enforce_consent_withdrawals`, run every
  hour, deletes them, well inside the 3×24 hours Pasal 40 allows (`purge_withdrawn` audits
  each deletion itself).
- `purge_after_retention` deletes the disability details of people who left the organisation
  more than `ROSTER_RETENTION_YEARS` ago (Pasal 42-44: end processing when the retention
  period ends). Five years is a product default, not in the law (LAW.md). The roster entry
  itself stays: past declarations refer to it, and it holds no disability data any more.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from compliance.clock import local_date, local_dates
from compliance.jobs.runner import RunCounts, each_organization
from compliance.models.organizations import Organization
from compliance.models.people import Employee
from compliance.services.audit import record_event
from compliance.services.consent import organizations_awaiting_purge, purge_withdrawn
from compliance.services.disability import clear_disability_details

#: Product default, not in the law: keep disability details this long after employment ends.
ROSTER_RETENTION_YEARS = 5


def enforce_consent_withdrawals(session: Session, now: datetime, counts: RunCounts) -> None:
    def work(session: Session, organization: Organization) -> int:
        # Scoped to `organization` by `each_organization`: the purge sees only its employees.
        return purge_withdrawn(session, now)

    each_organization(session, counts, work, only=organizations_awaiting_purge(now))


def retention_cutoff(today: date) -> date:
    """Employment that ended before this day is past the retention period."""
    day = min(today.day, 28)  # 29 February has no twin five years earlier or later
    return today.replace(year=today.year - ROSTER_RETENTION_YEARS, day=day)


def purge_after_retention(session: Session, now: datetime, counts: RunCounts) -> None:
    def work(session: Session, organization: Organization) -> int:
        cutoff = retention_cutoff(local_date(now, organization.zone))
        employees = session.scalars(
            select(Employee)
            .where(Employee.organization_id == organization.id, *_past_retention(cutoff))
            .order_by(Employee.id)
        ).all()
        for employee in employees:
            clear_disability_details(employee)
            session.flush()
            record_event(
                session,
                None,
                "employee.disability_details_purged",
                employee,
                organization_id=organization.id,
                data={"reason": "retention", "years": ROSTER_RETENTION_YEARS},
            )
        return len(employees)

    # The cutoff follows each head office's date: the latest one covers every zone.
    latest = retention_cutoff(max(local_dates(now)))
    only = select(Employee.organization_id).where(*_past_retention(latest)).distinct()
    each_organization(session, counts, work, only=only)


def _past_retention(cutoff: date) -> tuple[ColumnElement[bool], ...]:
    """Employees who left before `cutoff` and still have disability details."""
    return (
        Employee.end_date.is_not(None),
        Employee.end_date < cutoff,
        or_(
            Employee.disability_categories.is_not(None),
            Employee.evidence_number.is_not(None),
            Employee.accommodation.is_not(None),
        ),
    )
