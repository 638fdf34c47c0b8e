"""A ULD's own system keeps its registry through the API: candidates come with their consent,
disability data never without one, and requests are answered with explained suggestions,
proposals, a shortlist and outcomes, with the rules and reach of the registry pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from compliance.models import AuditEvent, User
from compliance.models.referrals import Referral
from compliance.models.registry import Candidate
from compliance.services.registry.requests import RequestInput, create_request
from tests.registry.support import make_candidate, make_officer, make_uld
from tests.support.api import call, field_errors, make_token, problem

CONSENT = {"given_by": "candidate", "method": "written", "given_on": "2025-03-01"}
PERSON = {
    "name": "Dewi Lestari",
    "phone": "0812-1111-2222",
    "regency_code": "36.71",
    "education": "senior",
    "hours": "full_time",
    "availability": "available",
    "skills": ["data_entry", "admin"],
    "categories": ["sensory"],
    "accommodation_needs": ["screen_reader"],
}


@pytest.fixture
def world(factory):
    org = factory.org(name="PT Inklusif Tangerang", regency="36.71")
    uld_id = make_uld(factory, "36", "36.71")
    officer = make_officer(factory, ("36.71",), uld_id)
    return org, officer


def _count(factory, model) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _request(factory, org) -> int:
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        data = RequestInput(
            org.establishment_ids[0], "Staf administrasi", "Entri data", "full_time", "senior", 2,
            skill_codes=["data_entry", "admin"], accommodations_offered=["screen_reader"],
        )  # fmt: skip
        return create_request(session, hr, data).id


def test_a_candidate_is_registered_with_consent_and_read_back(client, factory, world):
    _org, officer = world
    token = make_token(factory, officer.email, name="SIAPkerja sync")
    response = call(
        client, "POST", "/registry/candidates", token, json={**PERSON, "consent": CONSENT}
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert response.headers["Location"].endswith(f"/registry/candidates/{created['id']}")
    assert created["status"] == "active"
    assert created["categories"] == ["sensory"]
    assert created["consent"]["method"] == "written"
    assert call(client, "GET", f"/registry/candidates/{created['id']}", token).get_json() == created
    listed = call(client, "GET", "/registry/candidates", token, query_string={"limit": 1})
    assert [c["id"] for c in listed.get_json()["items"]] == [created["id"]]
    with factory.session() as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert last.data["api_token"] == "SIAPkerja sync"
    assert actions[-2:] == ["candidate.created", "candidate.consent_recorded"]


def test_disability_data_without_consent_is_refused_by_field_and_nothing_is_stored(
    client, factory, world
):
    _org, officer = world
    token = make_token(factory, officer.email)
    errors = field_errors(call(client, "POST", "/registry/candidates", token, json=PERSON))
    assert set(errors) == {"categories", "accommodation_needs", "consent"}
    assert "consent" in errors["categories"]
    assert _count(factory, Candidate) == 0
    # A consent the service refuses is named inside `consent`; nothing is stored either.
    guardian = {**CONSENT, "given_by": "guardian"}
    body = {**PERSON, "consent": guardian}
    errors = field_errors(call(client, "POST", "/registry/candidates", token, json=body))
    assert set(errors) == {"consent.guardian_name"}
    assert _count(factory, Candidate) == 0


def test_a_draft_from_the_pages_takes_no_disability_data_until_its_consent(client, factory, world):
    _org, officer = world
    draft_id = make_candidate(factory, officer, consent=False)
    token = make_token(factory, officer.email)
    read = call(client, "GET", f"/registry/candidates/{draft_id}", token).get_json()
    assert read["status"] == "draft"
    assert read["categories"] is None
    assert read["consent"] is None
    errors = field_errors(
        call(client, "PUT", f"/registry/candidates/{draft_id}", token, json=PERSON)
    )
    assert {"categories", "accommodation_needs", "consent"} <= set(errors)
    consented = call(
        client, "POST", f"/registry/candidates/{draft_id}/consent", token, json=CONSENT
    )
    assert consented.status_code == 200
    assert consented.get_json()["status"] == "active"
    again = call(client, "POST", f"/registry/candidates/{draft_id}/consent", token, json=CONSENT)
    assert "already recorded" in problem(again, 422)["detail"]


def test_a_candidate_is_updated_then_withdrawn_and_then_frozen(client, factory, world):
    _org, officer = world
    candidate_id = make_candidate(factory, officer)
    token = make_token(factory, officer.email)
    path = f"/registry/candidates/{candidate_id}"
    updated = call(client, "PUT", path, token, json={**PERSON, "availability": "in_training"})
    assert updated.status_code == 200, updated.get_json()
    assert updated.get_json()["availability"] == "in_training"
    assert updated.get_json()["name"] == "Dewi Lestari"
    withdrawn = call(client, "POST", f"{path}/withdraw", token).get_json()
    assert withdrawn["status"] == "withdrawn"
    assert withdrawn["categories"] is None
    assert withdrawn["withdrawn_at"]
    problem(call(client, "PUT", path, token, json=PERSON), 422)


def test_creating_twice_with_one_idempotency_key_registers_one_candidate(client, factory, world):
    _org, officer = world
    token = make_token(factory, officer.email)
    key = {"Idempotency-Key": "uld-sync-0001"}
    body = {**PERSON, "consent": CONSENT}
    first = call(client, "POST", "/registry/candidates", token, json=body, headers=key)
    again = call(client, "POST", "/registry/candidates", token, json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(factory, Candidate) == 1
    other = call(client, "POST", "/registry/candidates", token, json=PERSON, headers=key)
    assert other.status_code == 422
    assert _count(factory, Candidate) == 1


def test_other_roles_are_refused_and_other_regions_are_not_found(client, factory, world):
    org, officer = world
    candidate_id = make_candidate(factory, officer)
    hr = make_token(factory, org.hr_email)
    problem(call(client, "GET", "/registry/candidates", hr), 403)
    problem(call(client, "GET", f"/registry/candidates/{candidate_id}", hr), 403)
    reader = make_token(factory, officer.email, can_write=False)
    problem(call(client, "POST", f"/registry/candidates/{candidate_id}/withdraw", reader), 403)
    elsewhere = make_token(factory, make_officer(factory, ("35.78",)).email)
    problem(call(client, "GET", f"/registry/candidates/{candidate_id}", elsewhere), 404)
    problem(
        call(client, "PUT", f"/registry/candidates/{candidate_id}", elsewhere, json=PERSON), 404
    )
    assert call(client, "GET", "/registry/candidates", elsewhere).get_json()["items"] == []


def test_a_request_is_answered_with_explained_suggestions_a_shortlist_and_outcomes(
    client, factory, world
):
    org, officer = world
    best = make_candidate(factory, officer, training_skill="admin")
    other = make_candidate(factory, officer, name="Calon Lain", skills=["cleaning"])
    request_id = _request(factory, org)
    token = make_token(factory, officer.email)

    listed = call(client, "GET", "/registry/requests", token).get_json()
    assert [r["id"] for r in listed["items"]] == [request_id]
    read = call(client, "GET", f"/registry/requests/{request_id}", token).get_json()
    assert read["organization_name"] == "PT Inklusif Tangerang"
    assert read["positions"] == 2
    assert read["referrals"] == []

    suggestions = call(client, "GET", f"/registry/requests/{request_id}/suggestions", token)
    items = suggestions.get_json()["items"]
    assert items[0]["candidate_id"] == best
    assert items[0]["score"] == sum(r["points"] for r in items[0]["reasons"])
    assert "2 of 2 requested skills" in [r["text"] for r in items[0]["reasons"]]
    in_indonesian = call(
        client,
        "GET",
        f"/registry/requests/{request_id}/suggestions",
        token,
        headers={"Accept-Language": "id"},
    ).get_json()["items"][0]["reasons"]
    assert [r["code"] for r in in_indonesian] == [r["code"] for r in items[0]["reasons"]]
    assert [r["text"] for r in in_indonesian] != [r["text"] for r in items[0]["reasons"]]

    key = {"Idempotency-Key": f"propose-{best}"}
    path = f"/registry/requests/{request_id}/referrals"
    first = call(client, "POST", path, token, json={"candidate_id": best}, headers=key)
    again = call(client, "POST", path, token, json={"candidate_id": best}, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert _count(factory, Referral) == 1
    twice = call(client, "POST", path, token, json={"candidate_id": best})
    assert "candidate_id" in field_errors(twice)
    second = call(client, "POST", path, token, json={"candidate_id": other}).get_json()

    referral_id = first.get_json()["id"]
    outcome = f"/registry/referrals/{referral_id}/outcome"
    early = call(
        client, "POST", outcome, token, json={"outcome": "introduced", "method": "written"}
    )
    problem(early, 422)  # not sent yet
    sent = call(client, "POST", f"/registry/requests/{request_id}/shortlist", token)
    assert sent.get_json() == {"sent": 2}
    missing = call(client, "POST", outcome, token, json={"outcome": "introduced"})
    assert "method" in field_errors(missing)
    introduced = call(
        client, "POST", outcome, token, json={"outcome": "introduced", "method": "written"}
    )
    assert introduced.get_json()["status"] == "introduced"
    declined = call(
        client,
        "POST",
        f"/registry/referrals/{second['id']}/outcome",
        token,
        json={"outcome": "introduced", "method": "electronic"},
    )
    assert declined.status_code == 200
    turned_down = call(
        client,
        "POST",
        f"/registry/referrals/{second['id']}/outcome",
        token,
        json={"outcome": "not_hired", "reason": "candidate_declined", "note": "Pindah kota"},
    )
    assert turned_down.get_json()["status"] == "not_hired"
    assert turned_down.get_json()["not_hired_reason"] == "candidate_declined"

    # The company closes the loop: the hire puts the person on its roster.
    hr = make_token(factory, org.hr_email)
    company_outcome = f"/referrals/{referral_id}/outcome"
    incomplete = call(client, "POST", company_outcome, hr, json={"outcome": "hired"})
    problem(incomplete, 422)
    hired = call(
        client,
        "POST",
        company_outcome,
        hr,
        json={
            "outcome": "hired",
            "employee_number": "E-900",
            "employment_type": "permanent",
            "start_date": "2026-11-02",
            "consent_method": "written",
            "consent_given_on": "2026-11-02",
        },
    )
    assert hired.status_code == 200, hired.get_data(as_text=True)
    assert hired.get_json()["status"] == "hired"
    entry = call(client, "GET", f"/roster/{hired.get_json()['employee_id']}", hr).get_json()
    assert entry["consent"] == "active"
    assert entry["employee_number"] == "E-900"
    counts = call(client, "GET", f"/referral-requests/{request_id}", hr).get_json()["referrals"]
    assert counts == {"hired": 1, "not_hired": 1}
    problem(call(client, "POST", company_outcome, token, json={"outcome": "hired"}), 403)


def test_another_ulds_requests_are_not_found(client, factory, world):
    org, _officer = world
    request_id = _request(factory, org)
    uld_id = make_uld(factory, "35", "35.78")
    stranger = make_token(factory, make_officer(factory, ("35.78",), uld_id).email)
    assert call(client, "GET", "/registry/requests", stranger).get_json()["items"] == []
    for path in (
        f"/registry/requests/{request_id}",
        f"/registry/requests/{request_id}/suggestions",
    ):
        problem(call(client, "GET", path, stranger), 404)
    refused = call(
        client,
        "POST",
        f"/registry/requests/{request_id}/referrals",
        stranger,
        json={"candidate_id": 1},
    )
    problem(refused, 404)
