"""API routes for a company's referral requests to the ULD (HR managers): ask for candidates
for open positions, follow how many reach each step, close a request once filled."""

from __future__ import annotations

from collections import Counter

from flask import request
from spectree import Response as Answers

from compliance.blueprints.api import bp, spec
from compliance.blueprints.api.gate import current_api_user, token_required
from compliance.blueprints.api.idempotency import idempotent
from compliance.blueprints.api.schemas.referrals import (
    CompanyOutcomeIn,
    ReferralOut,
    ReferralRequestIn,
    ReferralRequestList,
    ReferralRequestOut,
)
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.referrals import ReferralRequest
from compliance.services.registry.outcomes import HireInput, record_hire, record_not_hired
from compliance.services.registry.referrals import get_referral, record_interview
from compliance.services.registry.requests import (
    RequestInput,
    close_request,
    create_request,
    get_request,
    list_requests,
)

HR = Role.HR_MANAGER
TAGS = ["HR managers: referrals"]


def _request(found: ReferralRequest) -> ReferralRequestOut:
    return ReferralRequestOut(
        id=found.id,
        establishment_id=found.establishment_id,
        title=found.title,
        positions=found.positions,
        status=found.status.value,
        uld_id=found.uld_id,
        referrals=dict(Counter(r.status.value for r in found.referrals)),
        created_at=found.created_at,
        closed_at=found.closed_at,
    )


@bp.get("/referral-requests")
@token_required(HR)
@spec.validate(resp=Answers(HTTP_200=ReferralRequestList), tags=TAGS)
def list_referral_requests() -> ReferralRequestList:
    """Your organisation's requests, newest first."""
    return ReferralRequestList(
        items=[_request(r) for r in list_requests(db.session(), current_api_user())]
    )


@bp.post("/referral-requests")
@token_required(HR, write=True)
@idempotent
@spec.validate(json=ReferralRequestIn, resp=Answers(HTTP_201=ReferralRequestOut), tags=TAGS)
def ask_for_candidates() -> tuple[ReferralRequestOut, int, dict[str, str]]:
    """Ask the ULD serving the establishment's regency for candidates."""
    body: ReferralRequestIn = request.context.json  # type: ignore[attr-defined]
    created = create_request(
        db.session(),
        current_api_user(),
        RequestInput(
            establishment_id=body.establishment_id,
            title=body.title,
            tasks=body.tasks,
            hours=body.hours.value,
            min_education=body.min_education.value,
            positions=body.positions,
            requirements=body.requirements,
            skill_codes=body.skill_codes,
            accommodations_offered=body.accommodations_offered,
            declaration_id=body.declaration_id,
        ),
    )
    location = f"{bp.url_prefix}/referral-requests/{created.id}"
    return _request(created), 201, {"Location": location}


@bp.get("/referral-requests/<int:request_id>")
@token_required(HR)
@spec.validate(resp=Answers(HTTP_200=ReferralRequestOut, HTTP_404=None), tags=TAGS)
def read_referral_request(request_id: int) -> ReferralRequestOut:
    return _request(get_request(db.session(), current_api_user(), request_id))


@bp.post("/referral-requests/<int:request_id>/close")
@token_required(HR, write=True)
@spec.validate(resp=Answers(HTTP_200=ReferralRequestOut, HTTP_404=None), tags=TAGS)
def close_referral_request(request_id: int) -> ReferralRequestOut:
    """Close a request (its positions are filled, or no longer open)."""
    return _request(close_request(db.session(), current_api_user(), request_id))


@bp.post("/referrals/<int:referral_id>/outcome")
@token_required(HR, write=True)
@idempotent
@spec.validate(json=CompanyOutcomeIn, resp=Answers(HTTP_200=ReferralOut, HTTP_404=None), tags=TAGS)
def record_company_outcome(referral_id: int) -> ReferralOut:
    """What happened with a candidate the ULD introduced: `interviewed`, `not_hired` (with a
    reason), or `hired`, which adds them to your roster with the consent they gave you (the
    step that closes the quota gap)."""
    body: CompanyOutcomeIn = request.context.json  # type: ignore[attr-defined]
    session, user = db.session(), current_api_user()
    employee_id = None
    if body.outcome == "interviewed":
        referral = record_interview(session, user, referral_id)
    elif body.outcome == "not_hired":
        referral = record_not_hired(
            session, user, referral_id, body.reason.value if body.reason else "", body.note
        )
    else:
        employee = record_hire(
            session,
            user,
            referral_id,
            HireInput(
                employee_number=body.employee_number,
                employment_type=body.employment_type.value if body.employment_type else "",
                start_date=body.start_date,
                consent_method=body.consent_method.value if body.consent_method else "",
                consent_given_on=body.consent_given_on,
            ),
        )
        employee_id = employee.id
        referral = get_referral(session, user, referral_id)
    return ReferralOut(
        id=referral.id,
        request_id=referral.request_id,
        status=referral.status.value,
        employee_id=employee_id,
    )
