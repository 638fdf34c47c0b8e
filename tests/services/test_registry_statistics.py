"""The region's picture and the flag on unanswered requests."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from compliance.clock import utcnow
from compliance.models import Role, User
from compliance.models.organizations import Sector
from compliance.models.referrals import ReferralRequest
from compliance.services.registry.requests import (
    RequestInput,
    create_request,
    flag_unanswered_requests,
)
from compliance.services.registry.statistics import region_picture
from tests.registry.support import make_candidate, make_officer, make_uld
from tests.support.roster import make_employee
from tests.support.web import csrf_token, login, text_of


def _request(factory, org) -> int:
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.organization_id == org.id))
        data = RequestInput(org.establishment_ids[0], "Kasir", "Melayani", "full_time", "none", 3)
        return create_request(session, hr, data).id


def test_unanswered_requests_are_flagged_once(app, factory):
    org = factory.org(regency="36.71")
    make_uld(factory, "36", "36.71")
    request_id = _request(factory, org)
    with factory.session() as session:
        assert flag_unanswered_requests(session, utcnow()) == 0
        later = utcnow() + timedelta(days=15)
        assert flag_unanswered_requests(session, later) == 1
        assert flag_unanswered_requests(session, later) == 0
        assert session.get(ReferralRequest, request_id).flagged_unanswered_at == later


def test_employment_is_aggregated_with_small_counts_suppressed(app, factory, client):
    company = factory.org(regency="36.71")
    for number in range(5):
        make_employee(factory, company.id, number=f"E-{number}", details=True)
    office = factory.org(regency="36.71", sector="regional_government")
    make_employee(factory, office.id, details=True)
    elsewhere = factory.org(regency="35.78")
    make_employee(factory, elsewhere.id, number="X-1", details=True)
    uld_id = make_uld(factory, "36", "36.71")
    officer = make_officer(factory, ("36.71",), uld_id)
    make_candidate(factory, officer)
    _request(factory, company)
    with factory.session() as session:
        picture = region_picture(session, session.get(User, officer.id))
    assert picture.employed_by_category_sector == {
        ("physical", Sector.PRIVATE): 5,
        ("physical", Sector.REGIONAL_GOVERNMENT): None,
        ("sensory", Sector.PRIVATE): 5,
        ("sensory", Sector.REGIONAL_GOVERNMENT): None,
    }
    assert picture.open_positions == 3
    assert sum(picture.candidates_by_category_readiness.values()) == 1

    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, officer.email)
    page = text_of(client.get("/registry/statistics"))
    assert "fewer than 5" in page
    assert "Regional government agency" in page


def test_companies_do_not_see_the_statistics(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    assert client.get("/registry/statistics").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})
    login(client, factory.user(Role.ADMIN).email)
    assert client.get("/registry/statistics").status_code == 200
