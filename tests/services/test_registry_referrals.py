"""Proposing candidates: refused without consent, outside the officer's regions, twice; and
requests are seen only by their company and the ULD they were routed to."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from compliance.models import AuditEvent, User
from compliance.models.referrals import Referral, ReferralRequest, ReferralStatus, RequestStatus
from compliance.models.tenancy import reach_scope
from compliance.services import NotFound, ServiceError
from compliance.services.registry.consent import withdraw_candidate_consent
from compliance.services.registry.matching import suggest
from compliance.services.registry.outcomes import HireInput, record_hire
from compliance.services.registry.referrals import (
    propose_candidate,
    record_introduction,
    send_shortlist,
)
from compliance.services.registry.requests import RequestInput, create_request, get_request
from tests.registry.support import make_candidate, make_officer, make_uld


@pytest.fixture
def setup(factory):
    org = factory.org(regency="36.71")
    uld_id = make_uld(factory, "36", "36.71")
    officer = make_officer(factory, ("36.71",), uld_id)
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.organization_id == org.id))
        data = RequestInput(org.establishment_ids[0], "Kasir", "Melayani", "either", "none", 1)
        request_id = create_request(session, hr, data).id
    return org, officer, request_id


def _propose(factory, officer, request_id, candidate_id):
    with factory.session() as session:
        actor = session.get(User, officer.id)
        with reach_scope(session, actor.reach()):
            return propose_candidate(session, actor, request_id, candidate_id).id


def _referrals(factory) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(Referral))


def test_bad_proposals_are_refused_and_change_nothing(app, factory, setup):
    _, officer, request_id = setup
    draft = make_candidate(factory, officer, consent=False)
    other_officer = make_officer(factory, ("35.78",))
    elsewhere = make_candidate(factory, other_officer, regency="35.78")
    with pytest.raises(ServiceError, match="no active consent"):
        _propose(factory, officer, request_id, draft)
    with pytest.raises(ServiceError, match="not in your regions"):
        _propose(factory, officer, request_id, elsewhere)
    good = make_candidate(factory, officer)
    _propose(factory, officer, request_id, good)
    with pytest.raises(ServiceError, match="already proposed"):
        _propose(factory, officer, request_id, good)
    assert _referrals(factory) == 1


def test_requests_are_seen_by_their_company_and_their_uld_only(app, factory, setup):
    _, officer, request_id = setup
    stranger = make_officer(factory, ("36.71",), make_uld(factory, "31", None))
    other_company = factory.org(regency="36.71")
    with factory.session() as session:
        actor = session.get(User, stranger.id)  # same regency, another ULD
        with reach_scope(session, actor.reach()), pytest.raises(NotFound):
            get_request(session, actor, request_id)
        hr = session.scalar(select(User).where(User.organization_id == other_company.id))
        with reach_scope(session, hr.reach()), pytest.raises(NotFound):
            get_request(session, hr, request_id)
        mine = session.get(User, officer.id)
        with reach_scope(session, mine.reach()):
            assert get_request(session, mine, request_id).id == request_id


def test_withdrawing_consent_withdraws_open_referrals_at_once(app, factory, setup):
    _, officer, request_id = setup
    candidate_id = make_candidate(factory, officer)
    referral_id = _propose(factory, officer, request_id, candidate_id)
    with factory.session() as session:
        actor = session.get(User, officer.id)
        withdraw_candidate_consent(session, actor, candidate_id)
    with factory.session() as session:
        assert session.get(Referral, referral_id).status is ReferralStatus.WITHDRAWN
        request = session.get(ReferralRequest, request_id)
        assert suggest(session, request) == []


def test_a_request_closes_when_its_positions_are_filled(app, factory, setup):
    """One position, one hire: the request is closed (audited) and takes no more proposals."""
    org, officer, request_id = setup
    first = make_candidate(factory, officer)
    second = make_candidate(factory, officer)
    referral_id = _propose(factory, officer, request_id, first)
    with factory.session() as session:
        actor = session.get(User, officer.id)
        with reach_scope(session, actor.reach()):
            send_shortlist(session, actor, request_id)
            record_introduction(session, actor, referral_id, "written")
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.organization_id == org.id))
        with reach_scope(session, hr.reach()):
            hire = HireInput("E-900", "permanent", date(2026, 11, 2), "written", date(2026, 11, 2))
            record_hire(session, hr, referral_id, hire)
    with factory.session() as session:
        request = session.get(ReferralRequest, request_id)
        assert request.status is RequestStatus.CLOSED
        assert request.closed_at is not None
        assert session.scalar(
            select(AuditEvent).where(AuditEvent.action == "referral_request.filled")
        ).data == {"positions": 1}
    with pytest.raises(ServiceError, match="This request is closed"):
        _propose(factory, officer, request_id, second)
