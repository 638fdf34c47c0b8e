"""The end of a referral: hired, or not hired with a reason.

A hire is recorded by the company's HR manager and goes through the roster's own services: the
employee is added (`roster.add_employee`), the candidate's consent is carried over as a new
consent record for the roster's purpose (`consent.record_consent`, the roster's consent text),
and the category is saved with the ULD's registration as evidence, so the gap page counts the
new employee at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.models.people import Employee
from compliance.models.referrals import (
    NotHiredReason,
    Referral,
    ReferralRequest,
    ReferralStatus,
    RequestStatus,
)
from compliance.models.registry import Availability, CandidateConsentGiver
from compliance.quota.vocab import EvidenceType
from compliance.services import PermissionDenied, ServiceError
from compliance.services.audit import record_event
from compliance.services.consent import record_consent
from compliance.services.disability import DisabilityInput, set_disability_details
from compliance.services.registry import notify
from compliance.services.registry.disclosure import company_candidate
from compliance.services.registry.referrals import get_referral, is_hired_elsewhere, may_act
from compliance.services.registry.vocabulary import ACCOMMODATIONS
from compliance.services.roster import EmployeeInput, add_employee

OUTCOME_NOTE_MAX = 1000


@dataclass(frozen=True)
class HireInput:
    employee_number: str
    employment_type: str
    start_date: date | None
    consent_method: str
    consent_given_on: date | None


def _closable(session: Session, actor: User, referral_id: int) -> Referral:
    referral = get_referral(session, actor, referral_id)
    if not may_act(actor, referral):
        raise PermissionDenied(_("You cannot change this referral."))
    return referral


def record_not_hired(
    session: Session, actor: User, referral_id: int, reason: str, note: str = ""
) -> Referral:
    referral = _closable(session, actor, referral_id)
    if referral.status not in {ReferralStatus.INTRODUCED, ReferralStatus.INTERVIEWED}:
        raise ServiceError(_("Only an introduced or interviewed candidate can be turned down."))
    if reason not in {r.value for r in NotHiredReason}:
        raise ServiceError(_("Choose a reason."), field="reason")
    if len(note) > OUTCOME_NOTE_MAX:
        raise ServiceError(_("Use at most %(max)d characters.", max=OUTCOME_NOTE_MAX), field="note")
    candidate = company_candidate(session, referral)
    referral.status = ReferralStatus.NOT_HIRED
    referral.not_hired_reason = NotHiredReason(reason)
    referral.outcome_note = note.strip() or None
    referral.outcome_at = utcnow()
    referral.outcome_categories = candidate.disability_categories if candidate else None
    session.flush()
    record_event(
        session,
        actor,
        "referral.not_hired",
        referral,
        organization_id=referral.organization_id,
        data={"reason": reason},
    )
    notify.tell_uld(session, referral.request, "referral_outcome", is_hired=False)
    return referral


def _close_when_filled(session: Session, actor: User, request: ReferralRequest) -> None:
    """A request whose positions are all filled is closed: the ULD stops proposing for it."""
    hired = sum(1 for r in request.referrals if r.status is ReferralStatus.HIRED)
    if request.status is not RequestStatus.OPEN or hired < request.positions:
        return
    request.status = RequestStatus.CLOSED
    request.closed_at = utcnow()
    session.flush()
    record_event(
        session,
        actor,
        "referral_request.filled",
        request,
        organization_id=request.organization_id,
        data={"positions": request.positions},
    )


def record_hire(session: Session, actor: User, referral_id: int, data: HireInput) -> Employee:
    referral = _closable(session, actor, referral_id)
    if referral.status not in {ReferralStatus.INTRODUCED, ReferralStatus.INTERVIEWED}:
        raise ServiceError(_("Only an introduced or interviewed candidate can be hired."))
    candidate = company_candidate(session, referral)
    consent = candidate.active_consent if candidate is not None else None
    if candidate is None or consent is None:
        raise ServiceError(_("This candidate withdrew consent."))
    if is_hired_elsewhere(session, candidate.id, referral.request_id):
        raise ServiceError(_("This candidate was already hired elsewhere."))
    if data.consent_given_on is None:
        raise ServiceError(_("Enter the date the consent was given."), field="consent_given_on")
    employee = add_employee(
        session,
        actor,
        EmployeeInput(
            employee_number=data.employee_number,
            name=candidate.name,
            establishment_id=referral.request.establishment_id,
            employment_type=data.employment_type,
            start_date=data.start_date,
        ),
    )
    guardian = consent.given_by is CandidateConsentGiver.GUARDIAN
    record_consent(
        session,
        actor,
        employee.id,
        given_by="guardian" if guardian else "employee",
        guardian_name=consent.guardian_name or "",
        method=data.consent_method,
        given_on=data.consent_given_on,
    )
    needs = [
        str(ACCOMMODATIONS[code])
        for code in candidate.accommodation_needs or ()
        if code in ACCOMMODATIONS
    ]
    set_disability_details(
        session,
        actor,
        employee.id,
        DisabilityInput(
            categories=candidate.disability_categories or [],
            accommodation="; ".join(needs),
            evidence_type=EvidenceType.ULD_ASSESSMENT.value,
            evidence_date=consent.given_at.date(),
        ),
    )
    referral.status = ReferralStatus.HIRED
    referral.outcome_at = utcnow()
    referral.employee_id = employee.id
    referral.outcome_categories = candidate.disability_categories
    candidate.availability = Availability.NOT_AVAILABLE  # out of matching: now employed
    session.flush()
    record_event(
        session, actor, "referral.hired", referral, organization_id=referral.organization_id
    )
    _close_when_filled(session, actor, referral.request)
    notify.tell_uld(session, referral.request, "referral_outcome", is_hired=True)
    return employee
