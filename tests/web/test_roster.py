"""The HR manager's roster pages: consent first, errors on their fields, nothing half-saved."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select, text

from compliance.extensions import db
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
    assert re.search(r"<legend[^>]*>Category of disability", page)
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
    withdraw = f"/roster/{employee_id}/consent/withdraw"
    step = client.post(withdraw, data={"csrf_token": token})
    assert step.status_code == 200  # the confirmation step says what will happen
    assert "are hidden at once and deleted later" in text_of(step)
    assert SECRET_ACCOMMODATION in text_of(client.get(f"/roster/{employee_id}"))  # not yet
    response = client.post(withdraw, data={"csrf_token": token, "confirmed": "yes"})
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


def _many_employees(factory, org, count, *, start=1):
    """`count` employees E-0001... named "Pegawai 0001"..., written at once (the services add
    one at a time, which only the add-an-employee tests need)."""
    with factory.session() as session:
        session.add_all(
            Employee(
                organization_id=org.id,
                establishment_id=org.establishment_ids[0],
                employee_number=f"E-{i:04d}",
                name=f"Pegawai {i:04d}",
                employment_type="permanent",
                start_date=date(2020, 1, 1) + timedelta(days=count - i),
            )
            for i in range(start, start + count)
        )


def _names(page: str) -> list[str]:
    return re.findall(r'<a href="/roster/\d+">([^<]+)</a>', page)


def test_the_roster_comes_a_page_at_a_time(client, org, factory):
    _many_employees(factory, org, 120)
    login(client, org.hr_email)
    first = text_of(client.get("/roster"))
    assert "Page 1 of 3, 120 employees" in first
    assert len(_names(first)) == 50
    assert _names(first)[0] == "Pegawai 0001"
    assert 'rel="prev"' not in first
    assert 'rel="next" href="/roster?page=2"' in first

    last = text_of(client.get("/roster?page=3"))
    assert "Page 3 of 3, 120 employees" in last
    assert _names(last) == [f"Pegawai {i:04d}" for i in range(101, 121)]
    assert 'rel="next"' not in last
    assert 'rel="prev" href="/roster?page=2"' in last
    # Past the last page is the last page, not an empty one.
    assert _names(text_of(client.get("/roster?page=9"))) == _names(last)


def test_search_by_number_or_name_keeps_the_filters_across_pages(client, org, factory):
    _many_employees(factory, org, 120)
    make_employee(factory, org.id, number="X-77", name="Sari Dewi", details=True)
    login(client, org.hr_email)
    by_number = text_of(client.get("/roster?q=x-77"))
    assert _names(by_number) == ["Sari Dewi"]
    assert "Page 1 of 1, 1 employee" in by_number
    assert "Physical, Sensory" in by_number  # details still shown under consent
    assert _names(text_of(client.get("/roster?q=dewi"))) == ["Sari Dewi"]

    # Every "Pegawai 0001".."Pegawai 0120" matches; the next link keeps search and order.
    page = text_of(client.get("/roster?q=Pegawai+0&sort=number"))
    assert "Page 1 of 3, 120 employees" in page
    assert 'href="/roster?q=Pegawai+0&amp;sort=number&amp;page=2"' in page
    # A search for a disability field finds nothing: only numbers and names are searched.
    assert "No employee matches this search." in text_of(client.get("/roster?q=Sensory"))
    assert "No employee matches this search." in text_of(client.get("/roster?q=50%25"))


def test_the_roster_sorts_on_the_server(client, org, factory):
    _many_employees(factory, org, 60)
    make_employee(factory, org.id, number="A-1", name="Zaenal Abidin")
    login(client, org.hr_email)
    by_name = _names(text_of(client.get("/roster")))
    assert by_name[0] == "Pegawai 0001"
    by_number = _names(text_of(client.get("/roster?sort=number")))
    assert by_number[:2] == ["Zaenal Abidin", "Pegawai 0001"]
    # Start dates run backwards from E-0060 (2020-01-01) to E-0001; Zaenal started latest.
    by_start = _names(text_of(client.get("/roster?sort=start&page=2")))
    assert by_start[-2:] == ["Pegawai 0001", "Zaenal Abidin"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("sort=salary", "sort", "There is no such choice: salary."),
        ("sort=name%3B+DROP+TABLE+employees", "sort", "There is no such choice"),
        ("establishment=abc", "establishment", "There is no such choice: abc."),
        ("q=" + "x" * 101, "q", "Use at most 100 characters."),
    ],
)
def test_a_bad_filter_is_shown_on_its_field(client, org, factory, query, field, message):
    _many_employees(factory, org, 3)
    login(client, org.hr_email)
    response = client.get(f"/roster?{query}")
    assert response.status_code == 400
    page = text_of(response)
    assert message in _error_for(page, field)
    assert _names(page) == []  # no list rather than a different one


@pytest.mark.parametrize("value", ["0", "-1", "two", "²", "9" * 5000])
def test_a_bad_page_is_a_clear_answer(client, org, factory, value):
    _many_employees(factory, org, 3)
    login(client, org.hr_email)
    response = client.get("/roster", query_string={"page": value})
    assert response.status_code == 400
    assert "The page must be a whole number from 1." in text_of(response)


def test_the_list_never_shows_another_organisations_employees(client, org, factory):
    _many_employees(factory, org, 3)
    theirs = factory.org(name="PT Tetangga")
    make_employee(factory, theirs.id, number="T-1", name="Tetangga Satu", details=True)
    login(client, org.hr_email)
    assert "Page 1 of 1, 3 employees" in text_of(client.get("/roster?q=e"))
    searched = text_of(client.get("/roster?q=Tetangga"))
    assert "No employee matches this search." in searched
    assert "Tetangga Satu" not in searched
    response = client.get(f"/roster?establishment={theirs.establishment_ids[0]}")
    assert response.status_code == 400
    assert "Tetangga Satu" not in text_of(response)


def test_the_list_reads_one_page_and_no_hidden_field(app, client, org, factory):
    _many_employees(factory, org, 120)
    make_employee(factory, org.id, number="E-0000", name="Ani Lestari", details=True)
    login(client, org.hr_email)
    sent: list[str] = []

    def capture(conn, cursor, statement, *_):
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        page = text_of(client.get("/roster"))
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert "Physical, Sensory" in page
    employee_reads = [s for s in sent if "FROM employees" in s]
    assert employee_reads
    assert all("LIMIT" in s or "count(" in s or "employees.id IN" in s for s in employee_reads)
    assert not [s for s in sent if "accommodation" in s or "evidence_number" in s]
