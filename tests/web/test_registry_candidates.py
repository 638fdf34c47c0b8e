"""Officers' candidate registry: draft, consent, withdrawal and purge, regions, encryption."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from compliance.clock import utcnow
from compliance.models.registry import Candidate, CandidateStatus
from compliance.services.registry.consent import purge_withdrawn_candidates
from tests.registry.support import SECRET_NAME, SECRET_PHONE, make_candidate, make_officer
from tests.support.web import csrf_token, login, post_form, text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def officer(factory):
    return make_officer(factory, ("36.71", "36.03"))


def _form(**overrides):
    return {
        "name": "Budi Santoso",
        "email": "",
        "phone": "0812-1111",
        "regency_code": "36.71",
        "categories": ["physical"],
        "education": "senior",
        "skills": ["admin", "data_entry"],
        "skills_other": "",
        "experience": "Two years in a shop",
        "preferred_regencies": ["31.71"],
        "hours": "full_time",
        "accommodation_needs": ["step_free_access"],
        "accommodation_note": "",
        "availability": "available",
        "available_from": "",
        **overrides,
    }


def _status(factory, candidate_id):
    with factory.session() as session:
        return session.get(Candidate, candidate_id).status


def test_a_candidate_is_a_draft_until_consent_is_recorded(client, factory, officer):
    login(client, officer.email)
    response = post_form(client, "/registry/candidates/new", _form())
    assert response.status_code == 302
    with factory.session() as session:
        candidate_id = session.scalar(select(Candidate.id))
    assert _status(factory, candidate_id) is CandidateStatus.DRAFT
    assert "Draft: no consent yet" in text_of(client.get("/registry/candidates"))

    consent = {"given_by": "guardian", "guardian_name": "", "method": "written",
               "given_on": "2025-05-01", "may_share_category": "y"}  # fmt: skip
    url = f"/registry/candidates/{candidate_id}/consent"
    response = post_form(client, url, consent)
    assert response.status_code == 422
    assert "Enter the guardian" in text_of(response)
    assert _status(factory, candidate_id) is CandidateStatus.DRAFT

    response = post_form(client, url, {**consent, "guardian_name": "Ibu Wati"})
    assert response.status_code == 302
    assert _status(factory, candidate_id) is CandidateStatus.ACTIVE
    page = text_of(client.get(url))
    assert "Ibu Wati" in page
    assert "Withdraw the consent" in page


def test_errors_are_tied_to_their_fields_and_nothing_is_saved(client, factory, officer):
    login(client, officer.email)
    response = post_form(client, "/registry/candidates/new", _form(regency_code="35.78"))
    assert response.status_code == 422
    assert 'id="regency_code-error"' in text_of(response)
    response = post_form(client, "/registry/candidates/new", _form(email="", phone=""))
    assert 'id="phone-error"' in text_of(response)
    with factory.session() as session:
        assert session.scalar(select(func.count()).select_from(Candidate)) == 0


def test_identity_and_disability_are_encrypted_at_rest(client, factory, officer):
    make_candidate(factory, officer)
    with factory.session() as session:
        row = session.execute(
            text("SELECT name, phone, disability_categories, accommodation_needs FROM candidates")
        ).one()
    stored = " ".join(row)
    for secret in (SECRET_NAME, SECRET_PHONE, "sensory", "screen_reader"):
        assert secret not in stored


def test_withdrawal_removes_from_matching_and_the_purge_deletes(client, factory, officer):
    candidate_id = make_candidate(factory, officer)
    login(client, officer.email)
    token = csrf_token(client, f"/registry/candidates/{candidate_id}/consent")
    response = client.post(
        f"/registry/candidates/{candidate_id}/consent/withdraw", data={"csrf_token": token}
    )
    assert response.status_code == 302
    assert _status(factory, candidate_id) is CandidateStatus.WITHDRAWN
    with factory.session() as session:
        assert purge_withdrawn_candidates(session, utcnow()) == 0  # not yet due
        assert purge_withdrawn_candidates(session, utcnow() + timedelta(days=31)) == 1
        assert purge_withdrawn_candidates(session, utcnow() + timedelta(days=31)) == 0
        assert session.get(Candidate, candidate_id) is None


def test_an_officer_never_sees_another_regions_candidates(client, factory, officer):
    other = make_officer(factory, ("35.78",))
    theirs = make_candidate(factory, other, regency="35.78")
    login(client, officer.email)
    assert client.get(f"/registry/candidates/{theirs}").status_code == 404
    assert SECRET_NAME not in text_of(client.get("/registry/candidates"))


def test_trainings_are_added_and_removed(client, factory, officer):
    candidate_id = make_candidate(factory, officer)
    login(client, officer.email)
    url = f"/registry/candidates/{candidate_id}"
    response = post_form(
        client, f"{url}/trainings",
        {"title": "Menjahit dasar", "provider": "Balai Kemensos", "skill_code": "sewing",
         "completed_on": "2025-02-01", "has_certificate": "y"},
        token_from=url,
    )  # fmt: skip
    assert response.status_code == 302
    assert "Menjahit dasar" in text_of(client.get(url))
    response = post_form(client, f"{url}/trainings", {"title": "", "provider": ""}, token_from=url)
    assert response.status_code == 422
    assert 'id="title-error"' in text_of(response)


def test_the_import_page_lists_errors_and_imports_a_clean_file(client, factory, officer):
    login(client, officer.email)
    header = "name,phone,regency,categories,education,hours,availability\n"
    bad = (header + "Rina,0812,36.71,sensory,college,full_time,available\n").encode()
    token = csrf_token(client, "/registry/import")
    response = client.post(
        "/registry/import",
        data={"csrf_token": token, "file": (io.BytesIO(bad), "kandidat.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,  # to the upload's page, with its outcome
    )
    assert response.status_code == 422
    assert "Nothing was imported" in text_of(response)
    good = (header + "Rina,0812,36.71,sensory,senior,full_time,available\n").encode()
    response = client.post(
        "/registry/import",
        data={"csrf_token": token, "file": (io.BytesIO(good), "kandidat.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "1 candidate imported." in text_of(response)
    assert "Draft: no consent yet" in text_of(client.get("/registry/candidates"))


def test_an_officer_sees_only_their_own_candidate_files(app, client, factory, officer):
    """An upload's page is its officer's: another officer of the same region gets 404."""
    login(client, officer.email)
    header = "name,phone,regency,categories,education,hours,availability\n"
    good = (header + "Rina,0812,36.71,sensory,senior,full_time,available\n").encode()
    response = client.post(
        "/registry/import",
        data={
            "csrf_token": csrf_token(client, "/registry/import"),
            "file": (io.BytesIO(good), "k.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = response.headers["Location"]
    assert "1 candidate imported." in text_of(client.get(page))
    colleague = make_officer(factory, ("36.71",))
    other = app.test_client()
    login(other, colleague.email)
    assert other.get(page).status_code == 404
