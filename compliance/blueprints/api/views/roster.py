"""API routes for the roster of employees with disabilities, consent first.

One entry is one call (`services.roster_entries`): the employee, the consent and the details
together or nothing. A whole roster is better sent as an import (`views.imports`), which
writes 10,000 rows in one pass and tells what changed.
"""

from __future__ import annotations

from flask import request
from spectree import Response as Answers

from compliance.blueprints.api import bp, spec
from compliance.blueprints.api.gate import current_api_user, token_required
from compliance.blueprints.api.idempotency import idempotent
from compliance.blueprints.api.schemas.common import CursorQuery
from compliance.blueprints.api.schemas.roster import (
    DisabilityIn,
    DisabilityOut,
    EmployeeFields,
    EntryIn,
    EntryOut,
    EntryPage,
    EntryUpdateIn,
)
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.people import Employee
from compliance.services.consent import withdraw_consent
from compliance.services.disability import DisabilityInput
from compliance.services.roster import (
    EmployeeInput,
    consent_status,
    disability_details,
    get_employee,
)
from compliance.services.roster_entries import ConsentInput, add_entry, change_entry, entries_page

HR = Role.HR_MANAGER
TAGS = ["HR managers: roster"]


def _entry(employee: Employee) -> EntryOut:
    details = disability_details(employee)  # None unless the consent is active
    return EntryOut(
        id=employee.id,
        employee_number=employee.employee_number,
        name=employee.name,
        establishment_id=employee.establishment_id,
        employment_type=employee.employment_type,
        start_date=employee.start_date,
        end_date=employee.end_date,
        consent=consent_status(employee).value,
        disability=None
        if details is None
        else DisabilityOut(
            categories=list(details.categories),
            accommodation=details.accommodation,
            evidence_type=details.evidence_type,
            evidence_number=details.evidence_number,
            evidence_date=details.evidence_date,
            evidence_expires_on=details.evidence_expires_on,
            verification_state=details.verification_state.value,
            verified_at=details.verified_at,
        ),
    )


def _employee(body: EmployeeFields) -> EmployeeInput:
    return EmployeeInput(
        employee_number=body.employee_number,
        name=body.name,
        establishment_id=body.establishment_id,
        employment_type=body.employment_type.value,
        start_date=body.start_date,
        end_date=body.end_date,
    )


def _disability(body: DisabilityIn | None) -> DisabilityInput | None:
    if body is None:
        return None
    return DisabilityInput(
        categories=[c.value for c in body.categories],
        accommodation=body.accommodation,
        evidence_type=body.evidence_type.value if body.evidence_type else "",
        evidence_number=body.evidence_number,
        evidence_date=body.evidence_date,
        evidence_expires_on=body.evidence_expires_on,
    )


@bp.get("/roster")
@token_required(HR)
@spec.validate(query=CursorQuery, resp=Answers(HTTP_200=EntryPage), tags=TAGS)
def list_roster() -> EntryPage:
    """The roster in id order; disability details only where the consent is active."""
    query: CursorQuery = request.context.query  # type: ignore[attr-defined]
    found = entries_page(db.session(), current_api_user(), query.cursor, query.limit)
    return EntryPage(items=[_entry(e) for e in found.items], next_cursor=found.next_cursor)


@bp.post("/roster")
@token_required(HR, write=True)
@idempotent
@spec.validate(json=EntryIn, resp=Answers(HTTP_201=EntryOut), tags=TAGS)
def add_to_roster() -> tuple[EntryOut, int, dict[str, str]]:
    """Add an employee, with their consent and disability details in the same call. Details
    without a consent are refused (422 on `disability`) and nothing is stored."""
    body: EntryIn = request.context.json  # type: ignore[attr-defined]
    consent = (
        None
        if body.consent is None
        else ConsentInput(
            given_by=body.consent.given_by.value,
            method=body.consent.method.value,
            given_on=body.consent.given_on,
            guardian_name=body.consent.guardian_name,
        )
    )
    employee = add_entry(
        db.session(), current_api_user(), _employee(body), consent, _disability(body.disability)
    )
    return _entry(employee), 201, {"Location": f"{bp.url_prefix}/roster/{employee.id}"}


@bp.get("/roster/<int:employee_id>")
@token_required(HR)
@spec.validate(resp=Answers(HTTP_200=EntryOut, HTTP_404=None), tags=TAGS)
def read_entry(employee_id: int) -> EntryOut:
    return _entry(get_employee(db.session(), current_api_user(), employee_id))


@bp.put("/roster/<int:employee_id>")
@token_required(HR, write=True)
@spec.validate(json=EntryUpdateIn, resp=Answers(HTTP_200=EntryOut, HTTP_404=None), tags=TAGS)
def change_entry_(employee_id: int) -> EntryOut:
    """Change the employment details and, under an active consent, the disability details.
    Sending what is stored changes nothing and records nothing."""
    body: EntryUpdateIn = request.context.json  # type: ignore[attr-defined]
    employee = change_entry(
        db.session(), current_api_user(), employee_id, _employee(body), _disability(body.disability)
    )
    return _entry(employee)


@bp.post("/roster/<int:employee_id>/consent/withdraw")
@token_required(HR, write=True)
@spec.validate(resp=Answers(HTTP_200=EntryOut, HTTP_404=None), tags=TAGS)
def withdraw(employee_id: int) -> EntryOut:
    """Record that the employee withdrew consent: their details are hidden at once and
    deleted within 72 hours (UU 27/2022)."""
    session, user = db.session(), current_api_user()
    withdraw_consent(session, user, employee_id)
    return _entry(get_employee(session, user, employee_id))
