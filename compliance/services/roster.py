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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from compliance.models.accounts import User
from compliance.models.organizations import Establishment
from compliance.models.people import ConsentRecord, Employee, VerificationState
from compliance.quota.vocab import DisabilityCategory, EmploymentType, EvidenceType
from compliance.services import NotFound, PermissionDenied, ServiceError, paging
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


#: Stored category lists (codes, in any order) as the ordered members `DisabilityDetails`
#: holds. A roster repeats a few dozen lists, so each is put in order once per process: plain
#: code lists, linked to nobody (like `models.types`' decoded lists).
_ORDERED_CATEGORIES: dict[tuple[str, ...], tuple[DisabilityCategory, ...]] = {}
_ORDERED_CATEGORIES_MAX = 1024


def _ordered_categories(codes: Any) -> tuple[DisabilityCategory, ...]:
    key = tuple(codes or ())
    found = _ORDERED_CATEGORIES.get(key)
    if found is None:
        if len(_ORDERED_CATEGORIES) > _ORDERED_CATEGORIES_MAX:
            _ORDERED_CATEGORIES.clear()
        found = _ORDERED_CATEGORIES[key] = tuple(c for c in DisabilityCategory if c.value in key)
    return found


def details_from(values: Any) -> DisabilityDetails:
    """`DisabilityDetails` from an employee or a row with (some of) the `DETAIL_COLUMNS`; a
    column the row lacks reads as None. The caller has checked the consent."""
    return DisabilityDetails(
        categories=_ordered_categories(getattr(values, "disability_categories", None)),
        accommodation=getattr(values, "accommodation", None),
        evidence_type=getattr(values, "evidence_type", None),
        evidence_number=getattr(values, "evidence_number", None),
        evidence_date=getattr(values, "evidence_date", None),
        evidence_expires_on=getattr(values, "evidence_expires_on", None),
        verification_state=values.verification_state,
        verified_at=getattr(values, "verified_at", None),
    )


#: Rows on one page of the roster list.
PAGE_SIZE = paging.PAGE_SIZE
#: The longest search text; a longer one is a mistake, not a name.
MAX_QUERY = 100


class RosterSort(enum.StrEnum):
    """The orders the roster list offers (a whitelist: the query string names one of these)."""

    NAME = "name"
    NUMBER = "number"
    START = "start"


_ORDER: dict[RosterSort, tuple[Any, ...]] = {
    RosterSort.NAME: (Employee.name, Employee.employee_number, Employee.id),
    RosterSort.NUMBER: (Employee.employee_number, Employee.id),
    RosterSort.START: (Employee.start_date, Employee.name, Employee.id),
}


@dataclass(frozen=True)
class RosterFilters:
    establishment_id: int | None = None
    query: str = ""
    sort: RosterSort = RosterSort.NAME
    page: int = 1

    @property
    def is_filtered(self) -> bool:
        return self.establishment_id is not None or bool(self.query)

    def as_args(self, **changes: object) -> dict[str, str]:
        """The query string of these filters (for the paging links), defaults left out."""
        values: dict[str, object] = {
            "establishment": self.establishment_id,
            "q": self.query,
            "sort": self.sort,
            "page": self.page,
        }
        values.update(changes)
        defaults: dict[str, object] = {"sort": RosterSort.NAME, "page": 1}
        return {
            key: str(value)
            for key, value in values.items()
            if value not in (None, "") and value != defaults.get(key)
        }


def parse_roster_filters(args: Mapping[str, str], establishment_ids: set[int]) -> RosterFilters:
    """The list's filters from a query string; a value that is not one of the choices is a
    `ServiceError` on its field, never a 500 and never a silently different list.
    `establishment_ids` are the actor's own establishments."""
    raw_establishment = (args.get("establishment") or "").strip()
    establishment_id = paging.whole_number(raw_establishment)
    if raw_establishment and establishment_id not in establishment_ids:
        raise ServiceError(
            _("There is no such choice: %(value)s.", value=raw_establishment),
            field="establishment",
        )
    query = (args.get("q") or "").strip()
    if len(query) > MAX_QUERY:
        raise ServiceError(_("Use at most %(max)d characters.", max=MAX_QUERY), field="q")
    raw_sort = (args.get("sort") or RosterSort.NAME).strip()
    if raw_sort not in {s.value for s in RosterSort}:
        raise ServiceError(_("There is no such choice: %(value)s.", value=raw_sort), field="sort")
    page = paging.page_number(args)
    return RosterFilters(establishment_id, query, RosterSort(raw_sort), page)


@dataclass(frozen=True)
class RosterPage:
    """One page of the roster list; iterating it gives its rows."""

    rows: list[RosterRow]
    filters: RosterFilters
    total: int

    @property
    def pages(self) -> int:
        return paging.page_count(self.total)

    def __iter__(self) -> Iterator[RosterRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def list_roster(session: Session, actor: User, filters: RosterFilters | None = None) -> RosterPage:
    """One page of the roster, filtered, searched and ordered in the database.

    Reads only the columns the list shows and only the page's rows: a count, the page's
    employment facts with their consent state, then the categories and evidence of those on
    the page with an active consent (`Employee.has_active_consent`), so nothing else is
    decrypted. The search reads the number and the name only, never a disability field.
    A page past the last shows the last.
    """
    organization_id = _own_organization_id(actor)
    filters = filters or RosterFilters()
    where: list[ColumnElement[bool]] = [Employee.organization_id == organization_id]
    if filters.establishment_id is not None:
        where.append(Employee.establishment_id == filters.establishment_id)
    if filters.query:
        where.append(
            or_(
                Employee.employee_number.icontains(filters.query, autoescape=True),
                Employee.name.icontains(filters.query, autoescape=True),
            )
        )
    total = session.scalar(select(func.count(Employee.id)).where(*where)) or 0
    filters = replace(filters, page=paging.within(filters.page, total))
    has_consent_record = exists().where(ConsentRecord.employee_id == Employee.id)
    facts = session.execute(
        select(
            Employee.id,
            Employee.employee_number,
            Employee.name,
            Establishment.name.label("establishment_name"),
            Employee.employment_type,
            Employee.start_date,
            Employee.end_date,
            Employee.has_active_consent.label("is_consented"),
            has_consent_record.label("has_consent_record"),
        )
        .join(Establishment, Establishment.id == Employee.establishment_id)
        .where(*where)
        .order_by(*_ORDER[filters.sort])
        .offset((filters.page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    consented = [row.id for row in facts if row.is_consented]
    details = (
        {
            row.id: details_from(row)
            for row in session.execute(
                select(
                    Employee.id,
                    Employee.disability_categories,
                    Employee.evidence_type,
                    Employee.verification_state,
                ).where(Employee.id.in_(consented), Employee.has_active_consent)
            )
        }
        if consented
        else {}
    )
    rows = [
        RosterRow(
            id=row.id,
            employee_number=row.employee_number,
            name=row.name,
            establishment_name=row.establishment_name,
            employment_type=row.employment_type,
            start_date=row.start_date,
            end_date=row.end_date,
            consent=(
                ConsentStatus.ACTIVE
                if row.is_consented
                else ConsentStatus.WITHDRAWN
                if row.has_consent_record
                else ConsentStatus.NONE
            ),
            details=details.get(row.id),
        )
        for row in facts
    ]
    return RosterPage(rows, filters, total)


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
