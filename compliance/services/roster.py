"""The roster of employees with disabilities: employment fields, and reading the details.

Consent comes first (UU 27/2022 Pasal 26(3)): disability details can only be saved
(`services.disability`) or read while the employee has an active consent
(`services.consent`). Pages read them only through
`disability_details`, which returns nothing otherwise, so a withdrawal hides them at once even
before the purge job deletes them. Only the organisation's HR managers reach any of this.
Audit events name the fields that changed, never their values.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from compliance.models.accounts import User
from compliance.models.organizations import Establishment
from compliance.models.people import Employee, VerificationState
from compliance.quota.model import DisabilityCategory, EmploymentType, EvidenceType
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.audit import record_event
from compliance.services.policy import can_manage_organization, own_organization_id


class ConsentStatus(enum.StrEnum):
    NONE = "none"
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class EmployeeInput:
    employee_number: str
    name: str
    establishment_id: int | None
    employment_type: str
    start_date: date | None
    end_date: date | None = None


@dataclass(frozen=True)
class DisabilityDetails:
    """The disability fields as a page may show them (only under an active consent)."""

    categories: tuple[DisabilityCategory, ...]
    accommodation: str | None
    evidence_type: EvidenceType | None
    evidence_number: str | None
    evidence_date: date | None
    evidence_expires_on: date | None
    verification_state: VerificationState
    verified_at: datetime | None


@dataclass(frozen=True)
class RosterRow:
    id: int
    employee_number: str
    name: str
    establishment_name: str
    employment_type: EmploymentType
    start_date: date
    end_date: date | None
    consent: ConsentStatus
    details: DisabilityDetails | None


def _own_organization_id(actor: User) -> int:
    return own_organization_id(actor, _("Only HR managers can manage the roster."))


def get_employee(session: Session, actor: User, employee_id: int) -> Employee:
    employee = session.scalar(
        select(Employee)
        .where(Employee.id == employee_id)
        .options(selectinload(Employee.consents), joinedload(Employee.establishment))
    )
    if employee is None:
        raise NotFound(_("Employee not found."))
    if not can_manage_organization(actor, employee.organization_id):
        raise PermissionDenied(_("Only this organisation's HR managers can do that."))
    return employee


def consent_status(employee: Employee) -> ConsentStatus:
    if employee.active_consent is not None:
        return ConsentStatus.ACTIVE
    if employee.consents:
        return ConsentStatus.WITHDRAWN
    return ConsentStatus.NONE


def disability_details(employee: Employee) -> DisabilityDetails | None:
    """The disability fields, or None without an active consent: the one way pages read one
    employee's (`roster_people` reads a whole roster under the same rule)."""
    if not employee.has_active_consent:
        return None
    return details_from(employee)


#: The employee columns `details_from` reads, for queries that select only these.
DETAIL_COLUMNS = (
    "disability_categories",
    "accommodation",
    "evidence_type",
    "evidence_number",
    "evidence_date",
    "evidence_expires_on",
    "verification_state",
    "verified_at",
)


def details_from(values: Any) -> DisabilityDetails:
    """`DisabilityDetails` from an employee or a row with (some of) the `DETAIL_COLUMNS`; a
    column the row lacks reads as None. The caller has checked the consent."""
    categories = set(getattr(values, "disability_categories", None) or ())
    return DisabilityDetails(
        categories=tuple(c for c in DisabilityCategory if c.value in categories),
        accommodation=getattr(values, "accommodation", None),
        evidence_type=getattr(values, "evidence_type", None),
        evidence_number=getattr(values, "evidence_number", None),
        evidence_date=getattr(values, "evidence_date", None),
        evidence_expires_on=getattr(values, "evidence_expires_on", None),
        verification_state=values.verification_state,
        verified_at=getattr(values, "verified_at", None),
    )


def list_roster(
    session: Session, actor: User, establishment_id: int | None = None
) -> list[RosterRow]:
    organization_id = _own_organization_id(actor)
    query = (
        select(Employee)
        .where(Employee.organization_id == organization_id)
        .options(selectinload(Employee.consents), joinedload(Employee.establishment))
        .order_by(Employee.name, Employee.employee_number)
    )
    if establishment_id is not None:
        query = query.where(Employee.establishment_id == establishment_id)
    return [
        RosterRow(
            id=e.id,
            employee_number=e.employee_number,
            name=e.name,
            establishment_name=e.establishment.name,
            employment_type=e.employment_type,
            start_date=e.start_date,
            end_date=e.end_date,
            consent=consent_status(e),
            details=disability_details(e),
        )
        for e in session.scalars(query)
    ]


def establishments_for(session: Session, actor: User) -> list[Establishment]:
    organization_id = _own_organization_id(actor)
    return list(
        session.scalars(
            select(Establishment)
            .where(Establishment.organization_id == organization_id)
            .order_by(Establishment.name)
        )
    )


def _check_core(
    session: Session, organization_id: int, data: EmployeeInput, employee: Employee | None
) -> tuple[str, str, Establishment, EmploymentType, date]:
    number, name = data.employee_number.strip(), data.name.strip()
    if not number:
        raise ServiceError(_("Enter the employee number."), field="employee_number")
    if not name:
        raise ServiceError(_("Enter the employee's name."), field="name")
    establishment = (
        session.get(Establishment, data.establishment_id) if data.establishment_id else None
    )
    if establishment is None or establishment.organization_id != organization_id:
        raise ServiceError(_("Choose one of your establishments."), field="establishment_id")
    moved = employee is None or employee.establishment_id != establishment.id
    if moved and establishment.closed_at is not None:
        raise ServiceError(_("This establishment is closed."), field="establishment_id")
    if data.employment_type not in {t.value for t in EmploymentType}:
        raise ServiceError(_("Choose an employment type."), field="employment_type")
    if data.start_date is None:
        raise ServiceError(_("Enter the start date."), field="start_date")
    if data.end_date is not None and data.end_date < data.start_date:
        raise ServiceError(_("The end date cannot be before the start date."), field="end_date")
    duplicate = session.scalar(
        select(Employee.id).where(
            Employee.organization_id == organization_id,
            Employee.employee_number == number,
            Employee.id != (employee.id if employee else -1),
        )
    )
    if duplicate is not None:
        raise ServiceError(
            _("Another employee already has the number %(number)s.", number=number),
            field="employee_number",
        )
    return number, name, establishment, EmploymentType(data.employment_type), data.start_date


def add_employee(session: Session, actor: User, data: EmployeeInput) -> Employee:
    organization_id = _own_organization_id(actor)
    number, name, establishment, employment_type, start = _check_core(
        session, organization_id, data, None
    )
    employee = Employee(
        organization_id=organization_id,
        establishment_id=establishment.id,
        employee_number=number,
        name=name,
        employment_type=employment_type,
        start_date=start,
        end_date=data.end_date,
    )
    session.add(employee)
    session.flush()
    record_event(session, actor, "employee.added", employee, organization_id=organization_id)
    return employee


def update_employee(
    session: Session, actor: User, employee_id: int, data: EmployeeInput
) -> Employee:
    employee = get_employee(session, actor, employee_id)
    number, name, establishment, employment_type, start = _check_core(
        session, employee.organization_id, data, employee
    )
    changed = assign_changed(
        employee,
        employee_number=number,
        name=name,
        establishment_id=establishment.id,
        employment_type=employment_type,
        start_date=start,
        end_date=data.end_date,
    )
    if changed:
        session.flush()
        record_event(
            session,
            actor,
            "employee.updated",
            employee,
            organization_id=employee.organization_id,
            data={"fields": changed},
        )
    return employee


def assign_changed(employee: Employee, **values: object) -> list[str]:
    """Set the values that differ; return the names (never the values) of those changed."""
    changed = []
    for name, value in values.items():
        if getattr(employee, name) != value:
            setattr(employee, name, value)
            changed.append(name)
    return sorted(changed)
