"""What the ULD officer sees of a referral request: who asks (company, workplace, regency by
name, contact person), since when, by when a shortlist is due, and whether the company opened
the shortlist, which only the company's own visit records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.models.referrals import Referral, ReferralRequest
from tests.registry.support import make_candidate, make_officer, make_uld
from tests.support.web import csrf_token, login, post_form, text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def world(factory):
    org = factory.org(name="PT Inklusif Tangerang", regency="36.71")
    uld_id = make_uld(factory, "36", "36.71")
    officer = make_officer(factory, ("36.71",), uld_id)
    return org, officer


def _logout(client):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})


def _ask(client, factory, org, title: str, days_ago: int) -> int:
    """The HR manager asks for candidates; the request is then dated `days_ago` days back."""
    login(client, org.hr_email)
    form = {
        "establishment_id": str(org.establishment_ids[0]),
        "title": title,
        "tasks": "Entri data dan arsip",
        "requirements": "",
        "hours": "full_time",
        "min_education": "senior",
        "skill_codes": ["data_entry"],
        "accommodations_offered": [],
        "positions": "1",
        "declaration_id": "",
    }
    assert post_form(client, "/referrals/new", form).status_code == 302
    _logout(client)
    with factory.session() as session:
        request_id = session.scalar(
            select(ReferralRequest.id).where(ReferralRequest.title == title)
        )
        session.execute(
            update(ReferralRequest)
            .where(ReferralRequest.id == request_id)
            .values(created_at=utcnow() - timedelta(days=days_ago))
        )
    return request_id


def _hr_name(factory, email: str) -> str:
    with factory.session() as session:
        return session.scalar(select(User.name).where(User.email == email))


def _seen_at(factory):
    with factory.session() as session:
        return session.scalar(select(Referral.seen_at))


def test_the_officer_sees_who_asks_since_when_and_by_when(client, factory, world):
    org, officer = world
    recent = _ask(client, factory, org, "Staf administrasi", days_ago=3)
    _ask(client, factory, org, "Operator gudang", days_ago=20)
    login(client, officer.email)

    listing = text_of(client.get("/registry/requests"))
    assert "PT Inklusif Tangerang" in listing
    assert "Kantor pusat, Kota Tangerang" in listing
    assert "(36.71)" not in listing
    assert _hr_name(factory, org.hr_email) in listing
    assert org.hr_email in listing
    assert "Received 3 days ago" in listing
    assert "11 days left" in listing  # REGISTRY_UNANSWERED_DAYS defaults to 14
    assert "Overdue by 6 days" in listing

    page = text_of(client.get(f"/registry/requests/{recent}"))
    assert "PT Inklusif Tangerang" in page
    assert "Kantor pusat, Kota Tangerang" in page
    assert "(36.71)" not in page
    assert _hr_name(factory, org.hr_email) in page
    assert org.hr_email in page
    assert "Received 3 days ago" in page
    assert "11 days left" in page
    assert "No shortlist sent yet" in page


def test_seen_is_recorded_when_the_company_opens_the_shortlist(client, factory, world):
    org, officer = world
    request_id = _ask(client, factory, org, "Staf administrasi", days_ago=1)
    candidate_id = make_candidate(factory, officer, training_skill="data_entry")
    url = f"/registry/requests/{request_id}"
    login(client, officer.email)
    token = csrf_token(client, url)
    client.post(f"{url}/propose", data={"csrf_token": token, "candidate_id": str(candidate_id)})
    client.post(f"{url}/shortlist", data={"csrf_token": token})

    # Sending is not seeing, and the officer opening the page does not count either.
    assert _seen_at(factory) is None
    page = text_of(client.get(url))
    assert "Answered: shortlist sent on" in page
    assert "Not opened by the company yet" in page
    assert _seen_at(factory) is None
    _logout(client)

    login(client, org.hr_email)
    client.get(f"/referrals/{request_id}")
    first = _seen_at(factory)
    assert first is not None
    client.get(f"/referrals/{request_id}")
    assert _seen_at(factory) == first  # the first visit only
    _logout(client)

    login(client, officer.email)
    assert "Seen by the company on" in text_of(client.get(url))
    assert "Seen by the company on" in text_of(client.get("/registry/requests"))


def test_an_officer_of_another_region_cannot_open_the_request(client, factory, world):
    org, _ = world
    request_id = _ask(client, factory, org, "Staf administrasi", days_ago=1)
    stranger = make_officer(factory, ("31.71",), make_uld(factory, "31", "31.71"))
    login(client, stranger.email)
    assert client.get(f"/registry/requests/{request_id}").status_code == 404
    assert "PT Inklusif Tangerang" not in text_of(client.get("/registry/requests"))
