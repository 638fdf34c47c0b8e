"""The HR manager's roster pages: consent first, errors on their fields, nothing half-saved."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select, text

from compliance.models import ConsentRecord, Employee, Role
from tests.support.roster import SECRET_ACCOMMODATION, make_employee
from tests.support.web import csrf_token, login, post_form, text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def org(factory):
    return factory.org(name="PT Roster Inklusi", other_regencies=("35.78",))


def _employee_form(org, **overrides):
    return {
        "employee_number": "E-100",
        "name": "Budi Hartono",
        "establishment_id": str(org.establishment_ids[0]),
        "employment_type": "fixed_term",
        "start_date": "2025-02-01",
        "end_date": "",
        **overrides,
    }


def _details_form(**overrides):
    return {
        "part": "disability",
        "categories": ["physical"],
        "accommodation": SECRET_ACCOMMODATION,
        "evidence_type": "kpd",
        "evidence_number": "KPD-1",
        "evidence_date": "2025-01-01",
        "evidence_expires_on": "2030-01-01",
        **overrides,
    }


def _error_for(page: str, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</p>', page, re.S)
    assert match, f"no error shown on {field}"
    return html.unescape(" ".join(match.group(1).split()))


def _count(factory, model) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def _raw_accommodation(factory, employee_id):
    with factory.session() as session:
        return session.execute(
            text("SELECT accommodation FROM employees WHERE id = :id"), {"id": employee_id}
        ).scalar()


def test_hr_adds_an_employee_and_sees_the_roster(client, org, factory):
    login(client, org.hr_email)
    assert "/roster" in text_of(client.get("/organization"))  # the nav link
    response = post_form(client, "/roster/new", _employee_form(org))
    assert response.status_code == 302
    page = text_of(client.get("/roster"))
    assert "Budi Hartono" in page
    assert "No consent yet" in page
    employee_page = text_of(client.get(response.headers["Location"]))
    assert "can only be recorded after" in employee_page
    assert 'name="categories"' not in employee_page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"employee_number": "E-001"}, "employee_number", "already has the number E-001"),
        ({"end_date": "2025-01-31"}, "end_date", "cannot be before the start date"),
        ({"employment_type": "slave"}, "employment_type", "Choose an employment type"),
        ({"start_date": "31/01/2025"}, "start_date", "Enter a date like"),
        ({"name": ""}, "name", "This field is required"),
    ],
)
def test_bad_employee_input_is_shown_on_its_field(client, org, factory, overrides, field, message):
    make_employee(factory, org.id, number="E-001")
    login(client, org.hr_email)
    response = post_form(client, "/roster/new", _employee_form(org, **overrides))
    assert response.status_code == 422
    assert message in _error_for(text_of(response), field)
    assert _count(factory, Employee) == 1


def test_disability_details_need_consent_first(client, org, factory):
    employee_id = make_employee(factory, org.id)
    login(client, org.hr_email)
    page_url = f"/roster/{employee_id}"
    response = post_form(client, page_url, _details_form(), token_from=page_url)
    assert response.status_code == 422
    assert "Record the employee's consent before saving" in html.unescape(text_of(response))
    assert _raw_accommodation(factory, employee_id) is None

    consent_page = text_of(client.get(f"{page_url}/consent"))
    assert "I agree that the company I work for records my category" in consent_page
    response = post_form(
        client,
        f"{page_url}/consent",
        {
            "given_by": "guardian",
            "guardian_name": "",
            "method": "written",
            "given_on": "2025-05-01",
        },
    )
    assert response.status_code == 422
    assert "Enter the guardian's name." in _error_for(text_of(response), "guardian_name")
    assert _count(factory, ConsentRecord) == 0

    response = post_form(
        client,
        f"{page_url}/consent",
        {"given_by": "employee", "method": "recorded_oral", "given_on": "2025-05-01"},
    )
    assert response.status_code == 302
    page = text_of(client.get(page_url))
    assert "<legend>Category of disability" in page
    response = post_form(client, page_url, _details_form(), token_from=page_url)
    assert response.status_code == 302
    roster = text_of(client.get("/roster"))
    assert "Physical" in roster
    assert "Disability card (KPD), Not verified" in roster


def test_consent_page_speaks_indonesian_too(client, org, factory):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "id"
    employee_id = make_employee(factory, org.id)
    login(client, org.hr_email)
    assert "Saya setuju perusahaan tempat saya bekerja" in text_of(
        client.get(f"/roster/{employee_id}/consent")
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"categories": ["physical", "diabetes"]}, "categories", "Unknown disability category"),
        ({"categories": []}, "categories", "Choose at least one category"),
        ({"evidence_expires_on": "2024-12-31"}, "evidence_expires_on", "cannot be before"),
        ({"evidence_type": ""}, "evidence_type", "Choose the type of this evidence"),
    ],
)
def test_bad_disability_input_is_shown_on_its_field(
    client, org, factory, overrides, field, message
):
    employee_id = make_employee(factory, org.id, consent=True)
    login(client, org.hr_email)
    page_url = f"/roster/{employee_id}"
    response = post_form(client, page_url, _details_form(**overrides), token_from=page_url)
    assert response.status_code == 422
    assert message in _error_for(text_of(response), field)
    assert f'href="#{field}"' in text_of(response)  # the error summary links to the field
    assert _raw_accommodation(factory, employee_id) is None


def test_withdrawal_hides_at_once_and_the_purge_command_deletes(app, client, org, factory):
    employee_id = make_employee(factory, org.id, details=True)
    login(client, org.hr_email)
    assert SECRET_ACCOMMODATION in text_of(client.get(f"/roster/{employee_id}"))
    token = csrf_token(client, f"/roster/{employee_id}/consent")
    response = client.post(f"/roster/{employee_id}/consent/withdraw", data={"csrf_token": token})
    assert response.status_code == 302
    page = text_of(client.get(f"/roster/{employee_id}"))
    assert SECRET_ACCOMMODATION not in page
    assert "consent was withdrawn" in page
    roster = text_of(client.get("/roster"))
    assert "Consent withdrawn" in roster
    assert "Sensory" not in roster

    result = app.test_cli_runner().invoke(args=["roster", "purge-withdrawn"])
    assert result.exit_code == 0, result.output
    assert "of 1 employees purged" in result.output
    assert _raw_accommodation(factory, employee_id) is None


def test_hr_verifies_the_evidence(client, org, factory):
    employee_id = make_employee(factory, org.id, details=True)
    login(client, org.hr_email)
    token = csrf_token(client, f"/roster/{employee_id}")
    response = client.post(f"/roster/{employee_id}/verify", data={"csrf_token": token})
    assert response.status_code == 302
    assert "Disability card (KPD), Verified" in text_of(client.get("/roster"))


def test_the_establishment_filter(client, org, factory):
    make_employee(factory, org.id, number="E-1", name="Ani Pusat")
    other_id = make_employee(factory, org.id, number="E-2", name="Bayu Cabang")
    with factory.session() as session:
        session.get(Employee, other_id).establishment_id = org.establishment_ids[1]
    login(client, org.hr_email)
    page = text_of(client.get(f"/roster?establishment={org.establishment_ids[1]}"))
    assert "Bayu Cabang" in page
    assert "Ani Pusat" not in page


def test_other_roles_have_no_roster(client, org, factory):
    employee_id = make_employee(factory, org.id, details=True)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    login(client, inspector.email)
    assert client.get("/roster").status_code == 404
    assert client.get(f"/roster/{employee_id}").status_code == 404
