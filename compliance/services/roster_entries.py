"""A roster entry in one call: the employee, their consent and their disability details,
written together or not at all (the API's `POST /roster`, as a syncing HR system sends it).

It composes the page's own services, so the rules are theirs: disability details only under
an active consent (given in the same call or earlier), every refusal on its field, prefixed by
the part of the entry it belongs to (`consent.given_on`, `disability.categories`). The caller's
request rolls back on a refusal, so nothing of a refused entry stays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from compliance.models.accounts import User
from compliance.models.people import Employee
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.consent import record_consent
from compliance.services.disability import DisabilityInput, set_disability_details
from compliance.services.paging import CursorPage, cursor_page
from compliance.services.policy import own_organization_id
from compliance.services.roster import EmployeeInput, add_employee, update_employee

T = TypeVar("T")


@dataclass(frozen=True)
class ConsentInput:
    given_by: str
    method: str
    given_on: date | None
    guardian_name: str = ""


def _within(part: str, work: Callable[[], T]) -> T:
    """Run one step; its refusal names its field under `part` (a refusal with no field is
    the part's as a whole, e.g. details without a consent: `disability`)."""
    try:
        return work()
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        field = f"{part}.{error.field}" if error.field else part
        raise ServiceError(error.message, field=field) from None


def add_entry(
    session: Session,
    actor: User,
    employee: EmployeeInput,
    consent: ConsentInput | None,
    disability: DisabilityInput | None,
) -> Employee:
    added = add_employee(session, actor, employee)
    if consent is not None:
        _within(
            "consent",
            lambda: record_consent(
                session,
                actor,
                added.id,
                given_by=consent.given_by,
                method=consent.method,
                given_on=consent.given_on,
                guardian_name=consent.guardian_name,
            ),
        )
    if disability is not None:
        _within("disability", lambda: set_disability_details(session, actor, added.id, disability))
    return added


def change_entry(
    session: Session,
    actor: User,
    employee_id: int,
    employee: EmployeeInput,
    disability: DisabilityInput | None,
) -> Employee:
    """Change an entry's employment details and, under its active consent, its details."""
    changed = update_employee(session, actor, employee_id, employee)
    if disability is not None:
        _within(
            "disability", lambda: set_disability_details(session, actor, changed.id, disability)
        )
    return changed


def entries_page(
    session: Session, actor: User, cursor: str | None, limit: int
) -> CursorPage[Employee]:
    """The roster in id order, one cursor page, consents loaded (they decide what shows)."""
    organization_id = own_organization_id(actor, _("Only HR managers can manage the roster."))
    query = (
        select(Employee)
        .where(Employee.organization_id == organization_id)
        .options(selectinload(Employee.consents))
    )
    return cursor_page(session, query, Employee.id, cursor, limit)
