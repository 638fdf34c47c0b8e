"""The loop from gap to hire: request, explained suggestions, shortlist, consent-gated
disclosure, introduction, interview, hire into the roster, and the lower gap."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from compliance.models import Employee
from compliance.models.referrals import Referral, ReferralRequest, ReferralStatus
from tests.registry.support import SECRET_NAME, SECRET_PHONE, make_candidate, make_officer, make_uld
from tests.support.declarations import fill_year
from tests.support.mail import sent_mails
from tests.support.web import csrf_token, login, post_form, text_of, visible_text


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def world(factory):
    org = factory.org(name="PT Inklusif Tangerang", regency="36.71")
    uld_id = make_uld(factory, "36", "36.71")
    officer = make_officer(factory, ("36.71",), uld_id)
    return org, officer


def _request_form(org, **overrides):
    return {
        "establishment_id": str(org.establishment_ids[0]),
        "title": "Staf administrasi",
        "tasks": "Entri data dan arsip",
        "requirements": "",
        "hours": "full_time",
        "min_education": "senior",
        "skill_codes": ["data_entry", "admin"],
        "accommodations_offered": ["screen_reader"],
        "positions": "2",
        "declaration_id": "",
        **overrides,
    }


def _logout(client):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})


def _request_id(factory) -> int:
    with factory.session() as session:
        return session.scalar(select(ReferralRequest.id))


def test_bad_requests_are_refused_with_errors_on_their_fields(client, factory, world):
    org, _ = world
    login(client, org.hr_email)
    response = post_form(client, "/referrals/new", _request_form(org, positions="0"))
    assert response.status_code == 422
    assert 'id="positions-error"' in text_of(response)
    response = post_form(client, "/referrals/new", _request_form(org, establishment_id=""))
    assert 'id="establishment_id-error"' in text_of(response)
    assert _request_id(factory) is None


def test_a_region_without_uld_is_told_whom_to_contact(client, factory):
    org = factory.org(name="PT Tanpa ULD", regency="35.78")
    login(client, org.hr_email)
    response = post_form(client, "/referrals/new", _request_form(org))
    assert response.status_code == 302
    page = text_of(client.get(response.location))
    assert "There is no ULD in this region" in page


def test_from_gap_to_hire(client, factory, world):
    org, officer = world
    fill_year(factory, org.id, {org.establishment_ids[0]: 200})
    candidate_id = make_candidate(factory, officer, training_skill="data_entry")
    make_candidate(factory, officer, consent=False, name="Draft Tanpa Izin")

    login(client, org.hr_email)
    gap = text_of(client.get("/gap?year=2025"))
    assert "Required 2, counted 0, gap 2." in gap
    assert "/referrals/new" in gap
    assert post_form(client, "/referrals/new", _request_form(org)).status_code == 302
    request_id = _request_id(factory)
    _logout(client)

    # The officer sees the candidate ranked with reasons; the draft is never suggested.
    login(client, officer.email)
    page = text_of(client.get(f"/registry/requests/{request_id}"))
    assert SECRET_NAME in page
    assert "Draft Tanpa Izin" not in page
    assert "2 of 2 requested skills: 40 points" in page
    assert "Lives in the same regency or city: 20 points" in page
    assert "1 of 1 accommodation needs offered: 15 points" in page
    assert "1 training(s) in a requested skill: 5 points" in page
    url = f"/registry/requests/{request_id}"
    token = csrf_token(client, url)
    client.post(f"{url}/propose", data={"csrf_token": token, "candidate_id": str(candidate_id)})
    client.post(f"{url}/shortlist", data={"csrf_token": token})
    _logout(client)

    # The company sees an anonymised profile, never the identity, before the introduction.
    login(client, org.hr_email)
    page = text_of(client.get(f"/referrals/{request_id}"))
    assert "Data entry" in page
    assert "Operator komputer" in page
    assert "Sensory" in page  # this candidate's consent shares the category
    assert SECRET_NAME not in page
    assert SECRET_PHONE not in page
    with factory.session() as session:
        referral_id = session.scalar(select(Referral.id))
    assert client.get(f"/referrals/outcomes/{referral_id}/hire").status_code == 200
    assert SECRET_NAME not in text_of(client.get(f"/referrals/outcomes/{referral_id}/hire"))
    _logout(client)

    login(client, officer.email)
    token = csrf_token(client, url)
    client.post(
        f"/registry/referrals/{referral_id}/introduce",
        data={"csrf_token": token, "method": "recorded_oral"},
    )
    _logout(client)

    login(client, org.hr_email)
    page = text_of(client.get(f"/referrals/{request_id}"))
    assert SECRET_NAME in page
    assert SECRET_PHONE in page
    token = csrf_token(client, f"/referrals/{request_id}")
    client.post(f"/referrals/outcomes/{referral_id}/interviewed", data={"csrf_token": token})
    response = post_form(
        client,
        f"/referrals/outcomes/{referral_id}/hire",
        {"employee_number": "E-77", "employment_type": "permanent", "start_date": "2025-01-01",
         "consent_method": "written", "consent_given_on": "2025-01-01"},
    )  # fmt: skip
    assert response.status_code == 302, text_of(response)[:3000]
    assert "Required 2, counted 1, gap 1." in text_of(client.get("/gap?year=2025"))
    outbox = factory.app.extensions["kuota_config"].instance_path / "outbox"
    sent = sent_mails(outbox)
    # In each reader's saved language; nobody here saved one, so Indonesian, the default.
    subjects = " ".join(m.subject for m in sent)
    for subject in (
        "Permintaan rujukan baru",
        "Kandidat yang diusulkan",
        "bersedia bertemu",
        "diterima bekerja",
    ):
        assert subject in subjects
    mails = [m.subject + m.text + m.html for m in sent]
    assert all(SECRET_NAME not in m and SECRET_PHONE not in m for m in mails)
    with factory.session() as session:
        employee = session.scalar(select(Employee).where(Employee.employee_number == "E-77"))
        assert employee.name == SECRET_NAME
        assert employee.active_consent is not None
        assert session.scalar(select(Referral.status)) is ReferralStatus.HIRED


def test_a_candidate_hired_elsewhere_cannot_be_proposed_again(client, factory, world):
    org, officer = world
    candidate_id = make_candidate(factory, officer)
    login(client, org.hr_email)
    post_form(client, "/referrals/new", _request_form(org))
    post_form(client, "/referrals/new", _request_form(org, title="Kasir"))
    _logout(client)
    with factory.session() as session:
        first, second = session.scalars(select(ReferralRequest.id).order_by(ReferralRequest.id))
        session.add(
            Referral(request_id=first, candidate_id=candidate_id, organization_id=org.id,
                     status=ReferralStatus.HIRED)
        )  # fmt: skip
    login(client, officer.email)
    url = f"/registry/requests/{second}"
    assert SECRET_NAME not in text_of(client.get(url))  # no longer suggested
    token = csrf_token(client, url)
    client.post(f"{url}/propose", data={"csrf_token": token, "candidate_id": str(candidate_id)})
    assert "already hired elsewhere" in text_of(client.get(url))
    with factory.session() as session:
        assert len(session.scalars(select(Referral.id)).all()) == 1


def test_no_download_or_page_of_the_company_shows_identity(client, factory, world):
    """Every company page of the referral feature, before the introduction."""
    org, officer = world
    candidate_id = make_candidate(factory, officer, share_category=False)
    login(client, org.hr_email)
    post_form(client, "/referrals/new", _request_form(org))
    _logout(client)
    request_id = _request_id(factory)
    login(client, officer.email)
    url = f"/registry/requests/{request_id}"
    token = csrf_token(client, url)
    client.post(f"{url}/propose", data={"csrf_token": token, "candidate_id": str(candidate_id)})
    client.post(f"{url}/shortlist", data={"csrf_token": token})
    _logout(client)
    login(client, org.hr_email)
    with factory.session() as session:
        referral_id = session.scalar(select(Referral.id))
    outcome = f"/referrals/outcomes/{referral_id}"
    paths = ("/referrals", f"/referrals/{request_id}", f"{outcome}/hire", f"{outcome}/not-hired")
    for path in (*paths, "/gap", "/roster"):
        body = text_of(client.get(path))
        assert SECRET_NAME not in body, path
        assert SECRET_PHONE not in body, path
        assert "Sensory" not in body, path  # the consent does not share the category
    assert "Not shared" in text_of(client.get(f"/referrals/{request_id}"))


def test_the_officer_may_add_a_candidate_who_is_not_suggested(client, factory, world):
    org, officer = world
    part_timer = make_candidate(factory, officer, hours="part_time", name="Paruh Waktu")
    login(client, org.hr_email)
    post_form(client, "/referrals/new", _request_form(org))
    _logout(client)
    request_id = _request_id(factory)
    login(client, officer.email)
    url = f"/registry/requests/{request_id}"
    assert "Paruh Waktu" not in text_of(client.get(url))
    token = csrf_token(client, url)
    client.post(f"{url}/propose", data={"csrf_token": token, "candidate_id": "abc"})
    assert "Enter the candidate" in text_of(client.get(url))
    client.post(f"{url}/propose", data={"csrf_token": token, "candidate_id": str(part_timer)})
    page = text_of(client.get(url))
    assert "Paruh Waktu" in page  # now on the shortlist
    with factory.session() as session:
        assert session.scalar(select(Referral.candidate_id)) == part_timer


def test_the_officer_records_that_a_candidate_declined(client, factory, world):
    org, officer = world
    candidate_id = make_candidate(factory, officer, email="calon@example.com")
    login(client, org.hr_email)
    post_form(client, "/referrals/new", _request_form(org))
    _logout(client)
    request_id = _request_id(factory)
    login(client, officer.email)
    url = f"/registry/requests/{request_id}"
    token = csrf_token(client, url)
    client.post(f"{url}/propose", data={"csrf_token": token, "candidate_id": str(candidate_id)})
    client.post(f"{url}/shortlist", data={"csrf_token": token})
    with factory.session() as session:
        referral_id = session.scalar(select(Referral.id))
    client.post(
        f"/registry/referrals/{referral_id}/introduce",
        data={"csrf_token": token, "method": "electronic"},
    )
    outbox = factory.app.extensions["kuota_config"].instance_path / "outbox"
    to_candidate = [m for m in sent_mails(outbox) if m.to == "calon@example.com"]
    assert any(org.name in m.text for m in to_candidate)
    response = post_form(
        client,
        f"/referrals/outcomes/{referral_id}/not-hired",
        {"reason": "candidate_declined", "note": "Jarak terlalu jauh"},
    )
    assert response.location.endswith(url)
    assert "The candidate declined" in text_of(client.get("/registry/statistics"))
    assert "Not hired: The candidate declined" in visible_text(text_of(client.get(url)))
