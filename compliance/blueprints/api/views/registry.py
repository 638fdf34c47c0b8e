"""API routes for ULD registry officers: candidates with their consent, the referral requests
routed to their ULD, explained suggestions, proposals, the shortlist and outcomes.

Each route parses, calls the services the registry pages call, and answers; reach and every
rule stay there. One thing is the API's own: a candidate is created *with* their consent in
one request, because a system that syncs a registry has the consent record already, and
disability data (categories, accommodation needs) is refused, naming its field, for anyone
without an active consent (UU 27/2022 Pasal 26(3)), so nothing of it is stored first.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from spectree import Response as Answers

from compliance.blueprints.api import bp, spec
from compliance.blueprints.api.gate import current_api_user, token_required
from compliance.blueprints.api.idempotency import idempotent
from compliance.blueprints.api.problems import FieldError, Problem
from compliance.blueprints.api.schemas.common import CursorQuery
from compliance.blueprints.api.schemas.registry import (
    CandidateFields,
    CandidateIn,
    CandidateOut,
    CandidatePage,
    CandidateQuery,
    CandidateUpdate,
    ConsentIn,
    ConsentOut,
    OutcomeIn,
    ProposalIn,
    ReasonOut,
    ReferralOut,
    RequestOut,
    RequestPage,
    ShortlistOut,
    SuggestionList,
    SuggestionOut,
    SuggestionQuery,
)
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.referrals import Referral, ReferralRequest
from compliance.models.registry import Candidate, CandidateStatus
from compliance.services import NotFound, ServiceError
from compliance.services.registry import outcomes, referrals, requests
from compliance.services.registry.candidate_list import candidates_page
from compliance.services.registry.candidates import (
    CandidateInput,
    get_candidate,
    officer_regencies,
    save_candidate,
)
from compliance.services.registry.consent import (
    CandidateConsentInput,
    record_candidate_consent,
    withdraw_candidate_consent,
)
from compliance.services.registry.matching import suggest

OFFICER = Role.REGISTRY_OFFICER
TAGS = ["ULD registry officers"]
#: The candidate's fields that are disability data (specific personal data, UU 27/2022 Pasal 4).
DISABILITY_FIELDS = ("categories", "accommodation_needs", "accommodation_note")


# --- candidates ------------------------------------------------------------------------------


def _candidate(c: Candidate) -> CandidateOut:
    """The candidate as an officer reads it; disability data only under an active consent."""
    consent = c.active_consent
    return CandidateOut(
        id=c.id,
        status=c.status,
        name=c.name,
        email=c.email,
        phone=c.phone,
        regency_code=c.regency_code,
        education=c.education,
        hours=c.hours,
        availability=c.availability,
        available_from=c.available_from,
        skills=sorted(s.skill_code for s in c.skills),
        skills_other=c.skills_other,
        experience=c.experience,
        preferred_regencies=sorted(loc.regency_code for loc in c.locations),
        is_willing_to_relocate=c.is_willing_to_relocate,
        categories=list(c.disability_categories or ()) if consent else None,
        accommodation_needs=list(c.accommodation_needs or ()) if consent else None,
        accommodation_note=c.accommodation_note if consent else None,
        consent=ConsentOut(
            given_by=consent.given_by,
            method=consent.method,
            given_at=consent.given_at,
            version=consent.consent_text_version,
            may_share_category=consent.may_share_category,
            may_share_accommodation=consent.may_share_accommodation,
        )
        if consent
        else None,
        created_at=c.created_at,
        withdrawn_at=c.withdrawn_at,
    )


def _input(body: CandidateFields) -> CandidateInput:
    return CandidateInput(
        name=body.name,
        email=body.email,
        phone=body.phone,
        regency_code=body.regency_code,
        categories=[c.value for c in body.categories],
        education=body.education.value,
        hours=body.hours.value,
        availability=body.availability.value,
        available_from=body.available_from,
        skills=body.skills,
        skills_other=body.skills_other,
        experience=body.experience,
        preferred_regencies=body.preferred_regencies,
        is_willing_to_relocate=body.is_willing_to_relocate,
        accommodation_needs=body.accommodation_needs,
        accommodation_note=body.accommodation_note,
    )


def _refuse_without_consent(body: CandidateFields) -> None:
    """No consent: every disability field sent is refused by name, and the consent asked for."""
    refused = [
        FieldError(name, _("Disability data is kept only with the candidate's consent."))
        for name in DISABILITY_FIELDS
        if getattr(body, name)
    ]
    refused.append(
        FieldError("consent", _("Record the candidate's consent first: nobody is kept without it."))
    )
    raise Problem(422, "invalid", errors=refused)


def _record_consent(candidate_id: int, consent: ConsentIn, *, within: str = "") -> None:
    """The service records it; its refusal names the field as the body does (`within`)."""
    try:
        record_candidate_consent(
            db.session(),
            current_api_user(),
            candidate_id,
            CandidateConsentInput(
                given_by=consent.given_by.value,
                guardian_name=consent.guardian_name,
                method=consent.method.value,
                given_on=consent.given_on,
                may_share_category=consent.may_share_category,
                may_share_accommodation=consent.may_share_accommodation,
            ),
        )
    except NotFound:
        raise
    except ServiceError as error:
        if not within:
            raise
        field = f"{within}.{error.field}" if error.field else within
        raise ServiceError(error.message, field=field) from None


@bp.get("/registry/candidates")
@token_required(OFFICER)
@spec.validate(query=CandidateQuery, resp=Answers(HTTP_200=CandidatePage), tags=TAGS)
def list_candidates() -> CandidatePage:
    """The candidates of your regencies, drafts and withdrawn ones too, in id order."""
    query: CandidateQuery = request.context.query  # type: ignore[attr-defined]
    found = candidates_page(
        db.session(),
        current_api_user(),
        query.cursor,
        query.limit,
        status=query.status,
        regency=query.regency or "",
    )
    return CandidatePage(items=[_candidate(c) for c in found.items], next_cursor=found.next_cursor)


@bp.post("/registry/candidates")
@token_required(OFFICER, write=True)
@idempotent
@spec.validate(json=CandidateIn, resp=Answers(HTTP_201=CandidateOut), tags=TAGS)
def add_candidate() -> tuple[CandidateOut, int, dict[str, str]]:
    """Register a candidate with their consent (`consent` is required): they are in matching
    at once. Without it, nothing is stored and every disability field sent is named."""
    body: CandidateIn = request.context.json  # type: ignore[attr-defined]
    if body.consent is None:
        _refuse_without_consent(body)
    assert body.consent is not None
    session, user = db.session(), current_api_user()
    candidate = save_candidate(session, user, _input(body))
    _record_consent(candidate.id, body.consent, within="consent")
    location = f"{bp.url_prefix}/registry/candidates/{candidate.id}"
    return _candidate(get_candidate(session, user, candidate.id)), 201, {"Location": location}


@bp.get("/registry/candidates/<int:candidate_id>")
@token_required(OFFICER)
@spec.validate(resp=Answers(HTTP_200=CandidateOut, HTTP_404=None), tags=TAGS)
def read_candidate(candidate_id: int) -> CandidateOut:
    """One candidate of your regencies."""
    return _candidate(get_candidate(db.session(), current_api_user(), candidate_id))


@bp.put("/registry/candidates/<int:candidate_id>")
@token_required(OFFICER, write=True)
@spec.validate(json=CandidateUpdate, resp=Answers(HTTP_200=CandidateOut, HTTP_404=None), tags=TAGS)
def update_candidate(candidate_id: int) -> CandidateOut:
    """Replace a candidate's details. Only a candidate with an active consent: a draft gets
    its consent first (`POST .../consent`); a withdrawn one can no longer be changed."""
    body: CandidateUpdate = request.context.json  # type: ignore[attr-defined]
    session, user = db.session(), current_api_user()
    candidate = get_candidate(session, user, candidate_id)
    if candidate.status is CandidateStatus.WITHDRAWN:
        raise ServiceError(_("This candidate withdrew consent and can no longer be changed."))
    if candidate.active_consent is None:
        _refuse_without_consent(body)
    saved = save_candidate(session, user, _input(body), candidate_id)
    return _candidate(saved)


@bp.post("/registry/candidates/<int:candidate_id>/consent")
@token_required(OFFICER, write=True)
@idempotent
@spec.validate(json=ConsentIn, resp=Answers(HTTP_200=CandidateOut, HTTP_404=None), tags=TAGS)
def record_consent(candidate_id: int) -> CandidateOut:
    """Record the consent of a draft (one registered on the pages): it enters matching."""
    body: ConsentIn = request.context.json  # type: ignore[attr-defined]
    session, user = db.session(), current_api_user()
    get_candidate(session, user, candidate_id)
    _record_consent(candidate_id, body)
    return _candidate(get_candidate(session, user, candidate_id))


@bp.post("/registry/candidates/<int:candidate_id>/withdraw")
@token_required(OFFICER, write=True)
@idempotent
@spec.validate(resp=Answers(HTTP_200=CandidateOut, HTTP_404=None), tags=TAGS)
def withdraw_candidate(candidate_id: int) -> CandidateOut:
    """The candidate withdrew consent: out of matching at once, open referrals withdrawn,
    deletion scheduled."""
    session, user = db.session(), current_api_user()
    return _candidate(withdraw_candidate_consent(session, user, candidate_id))


# --- referral requests -----------------------------------------------------------------------


def _referral(r: Referral) -> ReferralOut:
    return ReferralOut(
        id=r.id,
        request_id=r.request_id,
        candidate_id=r.candidate_id,
        status=r.status,
        score=r.score,
        proposed_at=r.proposed_at,
        shared_at=r.shared_at,
        seen_at=r.seen_at,
        introduced_at=r.introduced_at,
        interviewed_at=r.interviewed_at,
        outcome_at=r.outcome_at,
        not_hired_reason=r.not_hired_reason,
    )


def _requests(found: list[ReferralRequest]) -> list[RequestOut]:
    return [
        RequestOut(
            id=o.request.id,
            status=o.request.status,
            organization_name=o.organization_name,
            establishment_name=o.establishment_name,
            regency_name=o.regency_name,
            contact_name=o.contact_name,
            contact_email=o.contact_email,
            title=o.request.title,
            tasks=o.request.tasks,
            requirements=o.request.requirements,
            hours=o.request.hours,
            min_education=o.request.min_education,
            skill_codes=list(o.request.skill_codes),
            accommodations_offered=list(o.request.accommodations_offered),
            positions=o.request.positions,
            received_on=o.received_on,
            due_on=o.due_on,
            days_left=o.days_left,
            shortlisted_at=o.request.shortlisted_at,
            referrals=[_referral(r) for r in o.request.referrals],
        )
        for o in requests.overview(db.session(), found)
    ]


def _officer_request(request_id: int) -> ReferralRequest:
    user = current_api_user()
    officer_regencies(user)
    return requests.get_request(db.session(), user, request_id)


@bp.get("/registry/requests")
@token_required(OFFICER)
@spec.validate(query=CursorQuery, resp=Answers(HTTP_200=RequestPage), tags=TAGS)
def list_requests() -> RequestPage:
    """The referral requests routed to your ULD, in id order, with their service-level due
    date and their referrals."""
    query: CursorQuery = request.context.query  # type: ignore[attr-defined]
    officer_regencies(current_api_user())
    found = requests.requests_page(db.session(), current_api_user(), query.cursor, query.limit)
    return RequestPage(items=_requests(list(found.items)), next_cursor=found.next_cursor)


@bp.get("/registry/requests/<int:request_id>")
@token_required(OFFICER)
@spec.validate(resp=Answers(HTTP_200=RequestOut, HTTP_404=None), tags=TAGS)
def read_request(request_id: int) -> RequestOut:
    """One referral request routed to your ULD."""
    return _requests([_officer_request(request_id)])[0]


@bp.get("/registry/requests/<int:request_id>/suggestions")
@token_required(OFFICER)
@spec.validate(
    query=SuggestionQuery, resp=Answers(HTTP_200=SuggestionList, HTTP_404=None), tags=TAGS
)
def list_suggestions(request_id: int) -> SuggestionList:
    """The best candidates for the request, best first, each point of the score with its
    reason (the matching page's ranking)."""
    query: SuggestionQuery = request.context.query  # type: ignore[attr-defined]
    found = _officer_request(request_id)
    matches = suggest(db.session(), found, query.limit)
    return SuggestionList(
        items=[
            SuggestionOut(
                candidate_id=m.candidate_id,
                score=m.score,
                reasons=[ReasonOut(code=r.code, points=r.points, text=r.text) for r in m.reasons],
            )
            for m in matches
        ]
    )


@bp.post("/registry/requests/<int:request_id>/referrals")
@token_required(OFFICER, write=True)
@idempotent
@spec.validate(json=ProposalIn, resp=Answers(HTTP_201=ReferralOut, HTTP_404=None), tags=TAGS)
def propose_candidate(request_id: int) -> tuple[ReferralOut, int]:
    """Propose a candidate with an active consent for the request (not yet shared)."""
    body: ProposalIn = request.context.json  # type: ignore[attr-defined]
    _officer_request(request_id)
    referral = referrals.propose_candidate(
        db.session(), current_api_user(), request_id, body.candidate_id
    )
    return _referral(referral), 201


@bp.post("/registry/requests/<int:request_id>/shortlist")
@token_required(OFFICER, write=True)
@idempotent
@spec.validate(resp=Answers(HTTP_200=ShortlistOut, HTTP_404=None), tags=TAGS)
def send_shortlist(request_id: int) -> ShortlistOut:
    """Send every proposed, unsent candidate to the company (anonymised until introduced)."""
    _officer_request(request_id)
    return ShortlistOut(sent=referrals.send_shortlist(db.session(), current_api_user(), request_id))


@bp.post("/registry/referrals/<int:referral_id>/outcome")
@token_required(OFFICER, write=True)
@idempotent
@spec.validate(json=OutcomeIn, resp=Answers(HTTP_200=ReferralOut, HTTP_404=None), tags=TAGS)
def record_outcome(referral_id: int) -> ReferralOut:
    """Record what came of a sent referral: `introduced` (the candidate agreed to meet the
    company, which now sees their name) or `not_hired` with a reason. A hire is the
    company's to record: it adds the employee to its roster."""
    body: OutcomeIn = request.context.json  # type: ignore[attr-defined]
    session, user = db.session(), current_api_user()
    officer_regencies(user)
    referral = referrals.get_referral(session, user, referral_id)
    if body.outcome == "introduced":
        method = body.method.value if body.method else ""
        return _referral(referrals.record_introduction(session, user, referral_id, method))
    if referral.shared_at is None:  # as the page: a company decides only on what it was sent
        raise NotFound(_("Referral not found."))
    reason = body.reason.value if body.reason else ""
    return _referral(outcomes.record_not_hired(session, user, referral_id, reason, body.note))
