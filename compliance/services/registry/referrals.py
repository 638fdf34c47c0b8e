"""The officer's side of a referral: propose a candidate, remove, send the shortlist, record
the candidate's agreement to be introduced, and the interview.

Proposing is refused for a candidate without active consent, outside the officer's regions or
already hired elsewhere. A company sees a referral from `shared_at` on, anonymised until the
officer records the introduction (`disclosure`); `seen_at` is when it first opened it.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.accounts import Role, User
from compliance.models.people import ConsentMethod
from compliance.models.referrals import Referral, ReferralStatus, RequestStatus
from compliance.models.registry import Candidate, CandidateStatus
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.audit import record_event
from compliance.services.registry import notify
from compliance.services.registry.candidates import officer_regencies
from compliance.services.registry.matching import Row as MatchRow
from compliance.services.registry.matching import hired_anywhere, rank, vacancy_of
from compliance.services.registry.requests import get_request


def get_referral(session: Session, actor: User, referral_id: int) -> Referral:
    referral = session.scalar(select(Referral).where(Referral.id == referral_id))
    if referral is None:
        raise NotFound(_("Referral not found."))
    return referral


def _officer_referral(session: Session, actor: User, referral_id: int) -> Referral:
    officer_regencies(actor)
    return get_referral(session, actor, referral_id)


def is_hired_elsewhere(session: Session, candidate_id: int, request_id: int) -> bool:
    table = Referral.__table__.c
    return bool(
        session.scalar(select(hired_anywhere(candidate_id).where(table.request_id != request_id)))
    )


def propose_candidate(
    session: Session, actor: User, request_id: int, candidate_id: int
) -> Referral:
    mine = officer_regencies(actor)
    request = get_request(session, actor, request_id)
    if request.status is not RequestStatus.OPEN:
        raise ServiceError(_("This request is closed."))
    candidate = session.get(Candidate, candidate_id)
    if candidate is None or candidate.regency_code not in mine:
        raise ServiceError(_("This candidate is not in your regions."), field="candidate_id")
    if candidate.status is not CandidateStatus.ACTIVE or candidate.active_consent is None:
        raise ServiceError(
            _("This candidate has no active consent and cannot be proposed."), field="candidate_id"
        )
    if is_hired_elsewhere(session, candidate.id, request.id):
        raise ServiceError(_("This candidate was already hired elsewhere."), field="candidate_id")
    if any(r.candidate_id == candidate.id for r in request.referrals):
        raise ServiceError(_("This candidate is already proposed."), field="candidate_id")
    vacancy = vacancy_of(session, request)
    row = MatchRow(
        candidate.id,
        candidate.regency_code,
        candidate.province_code,
        candidate.education,
        candidate.hours,
        candidate.is_willing_to_relocate,
        candidate.accommodation_needs,
    )
    matched = rank(session, [row], vacancy, 1)
    referral = Referral(
        request_id=request.id,
        candidate_id=candidate.id,
        organization_id=request.organization_id,
        uld_id=request.uld_id,
        score=matched[0].score,
    )
    request.referrals.append(referral)
    session.flush()
    record_event(
        session, actor, "referral.proposed", referral, organization_id=request.organization_id
    )
    return referral


def remove_referral(session: Session, actor: User, referral_id: int) -> None:
    """Take a candidate off the shortlist: deleted before the company saw it, else withdrawn."""
    referral = _officer_referral(session, actor, referral_id)
    if not referral.status.is_open:
        raise ServiceError(_("This referral is already closed."))
    organization_id = referral.organization_id
    if referral.shared_at is None:
        record_event(session, actor, "referral.removed", referral, organization_id=organization_id)
        session.delete(referral)
    else:
        referral.status = ReferralStatus.WITHDRAWN
        referral.outcome_at = utcnow()
        record_event(
            session, actor, "referral.withdrawn", referral, organization_id=organization_id
        )
    session.flush()


def send_shortlist(session: Session, actor: User, request_id: int) -> int:
    """Share every proposed, unshared referral with the company; returns how many."""
    officer_regencies(actor)
    request = get_request(session, actor, request_id)
    pending = [r for r in request.referrals if r.shared_at is None and r.status.is_open]
    if not pending:
        raise ServiceError(_("Propose at least one candidate first."))
    now = utcnow()
    for referral in pending:
        referral.shared_at = now
    if request.shortlisted_at is None:
        request.shortlisted_at = now
    session.flush()
    record_event(
        session,
        actor,
        "referral_request.shortlist_sent",
        request,
        organization_id=request.organization_id,
        data={"referrals": len(pending)},
    )
    notify.tell_company(session, request, "shortlist_sent", count=len(pending))
    return len(pending)


def record_seen(session: Session, actor: User, request_id: int) -> int:
    """The company opened the request page: every sent referral it had not seen yet is now
    seen, once (a write on a GET, kept because having looked is an audited fact). Only an HR
    manager of the requesting company counts; returns how many were newly seen."""
    request = get_request(session, actor, request_id)
    if actor.role is not Role.HR_MANAGER or actor.organization_id != request.organization_id:
        return 0
    unseen = [r for r in request.referrals if r.shared_at is not None and r.seen_at is None]
    if not unseen:
        return 0
    now = utcnow()
    for referral in unseen:
        referral.seen_at = now
    session.flush()
    record_event(
        session,
        actor,
        "referral_request.shortlist_seen",
        request,
        organization_id=request.organization_id,
        data={"referrals": len(unseen)},
    )
    return len(unseen)


def record_introduction(session: Session, actor: User, referral_id: int, method: str) -> Referral:
    """The candidate agreed to be introduced to this company: their identity is now shared."""
    referral = _officer_referral(session, actor, referral_id)
    if referral.status is not ReferralStatus.PROPOSED or referral.shared_at is None:
        raise ServiceError(_("Only a proposed candidate on a sent shortlist can be introduced."))
    if method not in {m.value for m in ConsentMethod}:
        raise ServiceError(_("Choose how the candidate agreed."), field="method")
    candidate = session.get(Candidate, referral.candidate_id) if referral.candidate_id else None
    if candidate is None or candidate.active_consent is None:
        raise ServiceError(_("This candidate has no active consent."))
    referral.status = ReferralStatus.INTRODUCED
    referral.introduced_at = utcnow()
    referral.introduction_method = ConsentMethod(method)
    session.flush()
    record_event(
        session,
        actor,
        "referral.introduced",
        referral,
        organization_id=referral.organization_id,
        data={"method": method},
    )
    if candidate.email:
        notify.tell_candidate(session, candidate.email, referral.request)
    notify.tell_company(session, referral.request, "candidate_introduced")
    return referral


def may_act(actor: User, referral: Referral) -> bool:
    """The company's HR managers and the officers who reach the referral may move it on."""
    if actor.role is Role.HR_MANAGER:
        return actor.organization_id == referral.organization_id and referral.shared_at is not None
    return actor.role is Role.REGISTRY_OFFICER


def record_interview(session: Session, actor: User, referral_id: int) -> Referral:
    referral = get_referral(session, actor, referral_id)
    if not may_act(actor, referral):
        raise PermissionDenied(_("You cannot change this referral."))
    if referral.status is not ReferralStatus.INTRODUCED:
        raise ServiceError(_("Only an introduced candidate can be interviewed."))
    referral.status = ReferralStatus.INTERVIEWED
    referral.interviewed_at = utcnow()
    session.flush()
    record_event(
        session, actor, "referral.interviewed", referral, organization_id=referral.organization_id
    )
    return referral
