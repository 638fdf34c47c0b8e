"""Saving, verifying and deleting the disability details of an employee on the roster.

Every write here is refused unless the employee has an active consent (UU 27/2022 Pasal
26(3)): consent comes first. Evidence that changes loses its verification, because nobody has
checked the new one. Audit events name the fields that changed, never their values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.models.people import Employee, VerificationState
from compliance.quota.vocab import DisabilityCategory, EvidenceType
from compliance.services import ServiceError
from compliance.services.audit import record_event
from compliance.services.dates import organization_today
from compliance.services.roster import assign_changed, get_employee

ACCOMMODATION_MAX = 1000
EVIDENCE_NUMBER_MAX = 100


@dataclass(frozen=True)
class DisabilityInput:
    categories: Sequence[str]
    accommodation: str = ""
    evidence_type: str = ""
    evidence_number: str = ""
    evidence_date: date | None = None
    evidence_expires_on: date | None = None


def _check_disability(data: DisabilityInput, today: date) -> tuple[list[str], EvidenceType | None]:
    chosen = set(data.categories)
    known = {c.value for c in DisabilityCategory}
    unknown = sorted(chosen - known)
    if unknown:
        raise ServiceError(
            _("Unknown disability category: %(value)s.", value=", ".join(unknown)),
            field="categories",
        )
    if not chosen:
        raise ServiceError(_("Choose at least one category."), field="categories")
    if len(data.accommodation) > ACCOMMODATION_MAX:
        raise ServiceError(
            _("Use at most %(max)d characters.", max=ACCOMMODATION_MAX), field="accommodation"
        )
    if len(data.evidence_number) > EVIDENCE_NUMBER_MAX:
        raise ServiceError(
            _("Use at most %(max)d characters.", max=EVIDENCE_NUMBER_MAX), field="evidence_number"
        )
    evidence_type = None
    if data.evidence_type:
        if data.evidence_type not in {t.value for t in EvidenceType}:
            raise ServiceError(_("Choose a type of evidence."), field="evidence_type")
        evidence_type = EvidenceType(data.evidence_type)
    elif data.evidence_number.strip() or data.evidence_date or data.evidence_expires_on:
        raise ServiceError(_("Choose the type of this evidence."), field="evidence_type")
    if data.evidence_date and data.evidence_date > today:
        raise ServiceError(_("The evidence date cannot be in the future."), field="evidence_date")
    if (
        data.evidence_date
        and data.evidence_expires_on
        and data.evidence_expires_on < data.evidence_date
    ):
        raise ServiceError(
            _("The expiry date cannot be before the evidence date."), field="evidence_expires_on"
        )
    return [c.value for c in DisabilityCategory if c.value in chosen], evidence_type


def set_disability_details(
    session: Session, actor: User, employee_id: int, data: DisabilityInput
) -> Employee:
    """Save categories, accommodation and evidence; refused unless consent is active."""
    employee = get_employee(session, actor, employee_id)
    if employee.active_consent is None:
        raise ServiceError(_("Record the employee's consent before saving disability details."))
    categories, evidence_type = _check_disability(
        data, organization_today(session, employee.organization_id)
    )
    evidence = {
        "evidence_type": evidence_type,
        "evidence_number": data.evidence_number.strip() or None,
        "evidence_date": data.evidence_date,
        "evidence_expires_on": data.evidence_expires_on,
    }
    changed = assign_changed(
        employee,
        disability_categories=categories,
        accommodation=data.accommodation.strip() or None,
        **evidence,
    )
    if set(changed) & set(evidence) and employee.verification_state is VerificationState.VERIFIED:
        # New evidence has not been checked by anyone yet.
        changed += assign_changed(
            employee, verification_state=VerificationState.UNVERIFIED, verified_at=None
        )
        employee.verified_by_id = None
    if changed:
        session.flush()
        record_event(
            session,
            actor,
            "employee.disability_details_saved",
            employee,
            organization_id=employee.organization_id,
            data={"fields": sorted(changed)},
        )
    return employee


def verify_evidence(session: Session, actor: User, employee_id: int) -> Employee:
    """Mark the evidence as checked by this HR manager (the quota counts verified evidence)."""
    employee = get_employee(session, actor, employee_id)
    if employee.active_consent is None:
        raise ServiceError(_("Record the employee's consent before verifying evidence."))
    if employee.evidence_type is None:
        raise ServiceError(_("Record the evidence before verifying it."))
    employee.verification_state = VerificationState.VERIFIED
    employee.verified_at = utcnow()
    employee.verified_by_id = actor.id
    session.flush()
    record_event(
        session,
        actor,
        "employee.evidence_verified",
        employee,
        organization_id=employee.organization_id,
    )
    return employee


def clear_disability_details(employee: Employee) -> None:
    """Delete every disability field (used by the purge after a withdrawal)."""
    employee.disability_categories = None
    employee.accommodation = None
    employee.evidence_number = None
    employee.evidence_type = None
    employee.evidence_date = None
    employee.evidence_expires_on = None
    employee.verification_state = VerificationState.UNVERIFIED
    employee.verified_at = None
    employee.verified_by_id = None
