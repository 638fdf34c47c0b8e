"""The declaration and gap pages over HTTP: filing, errors on the form, concurrency, the ledger."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from compliance.models import Declaration, DeclarationStatus, Role
from tests.support.clock import last_year
from tests.support.declarations import fill_year
from tests.support.roster import make_employee
from tests.support.web import csrf_token, login, text_of

#: Date-sensitive: the gap page and filing judge months against today.
#: Also run at every instant of the calendar sweep (tests/support/clock.py).
pytestmark = pytest.mark.calendar


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def company(factory):
    org = factory.org(name="PT Dua Kota", regency="31.71", other_regencies=("35.78",))
    make_employee(factory, org.id, number="E-001", name="Sari Dewi", details=True)
    make_employee(factory, org.id, number="E-002", name="Tanpa Izin")
    return org


def _open(client) -> str:
    token = csrf_token(client, "/declarations")
    response = client.post("/declarations", data={"csrf_token": token, "year": str(last_year())})
    assert response.status_code == 302, text_of(response)[:2000]
    return response.location


def _revision(page: str) -> str:
    match = re.search(r'name="revision" type="hidden" value="(\d+)"', page)
    assert match, "no revision field"
    return match.group(1)


def test_hr_home_leads_to_the_gap_page(client, company):
    login(client, company.hr_email)
    home = client.get("/dashboard")
    assert home.status_code == 200
    assert 'href="/gap?year=' in text_of(home)
    page = text_of(client.get("/gap"))
    assert 'role="img"' in page
    assert "<svg" in page
    assert 'id="chart-table"' in page


def test_file_a_declaration_and_correct_it(client, factory, company):
    a, b = company.establishment_ids
    fill_year(factory, company.id, {a: 150, b: 100}, year=last_year())
    login(client, company.hr_email)
    url = _open(client)
    page = text_of(client.get(url))
    assert "Version 1" in page
    assert "id-uu8-2016" in page
    data = {"csrf_token": csrf_token(client, url), "revision": _revision(page)}
    # Submitting asks first, saying what will be filed; nothing is filed until confirmed.
    response = client.post(url, data={**data, "note": "Checked", "action": "submit"})
    assert response.status_code == 200
    step = text_of(response)
    assert f"Submit the declaration for {last_year()}?" in step
    assert "people required" in step
    assert "can never be changed" in step
    assert 'name="confirmed" value="yes"' in step
    assert "Correct this declaration" not in text_of(client.get(url))
    response = client.post(
        url, data={**data, "note": "Checked", "action": "submit", "confirmed": "yes"}
    )
    assert response.status_code == 302
    page = text_of(client.get(url))
    assert "Submitted" in page
    assert "Correct this declaration" in page
    response = client.post(f"{url}/correct", data={"csrf_token": data["csrf_token"], "reason": ""})
    assert response.status_code == 422
    assert "Say why the declaration needs a correction." in text_of(response)
    response = client.post(
        f"{url}/correct", data={"csrf_token": data["csrf_token"], "reason": "Wrong headcount"}
    )
    assert response.status_code == 302
    page = text_of(client.get(response.location))
    assert "Version 2" in page
    assert "Wrong headcount" in page


def test_submit_without_figures_names_the_months(client, factory, company):
    a, b = company.establishment_ids
    fill_year(factory, company.id, {a: 150, b: 100}, year=last_year(), skip={(b, 2)})
    login(client, company.hr_email)
    url = _open(client)
    page = text_of(client.get(url))
    token = csrf_token(client, url)
    response = client.post(
        url, data={"csrf_token": token, "revision": _revision(page), "action": "submit"}
    )
    assert response.status_code == 422
    assert f"{last_year()} (Cabang 35.78)" in text_of(response)


def test_second_hr_manager_gets_a_clear_message(app, client, factory, company):
    a, b = company.establishment_ids
    fill_year(factory, company.id, {a: 150, b: 100}, year=last_year())
    colleague = factory.user(Role.HR_MANAGER, organization_id=company.id)
    login(client, company.hr_email)
    url = _open(client)
    seen = _revision(text_of(client.get(url)))
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(other, colleague.email)
    other_token = csrf_token(other, url)
    response = other.post(
        url, data={"csrf_token": other_token, "revision": seen, "note": "mine", "action": "save"}
    )
    assert response.status_code == 302
    token = csrf_token(client, "/declarations")
    response = client.post(
        url, data={"csrf_token": token, "revision": seen, "note": "theirs", "action": "save"}
    )
    assert response.status_code == 422
    assert "A colleague saved this draft" in text_of(response)
    with factory.session() as session:
        declaration = session.scalar(select(Declaration))
        assert (declaration.note, declaration.status) == ("mine", DeclarationStatus.DRAFT)


def test_why_page_shows_ledger_without_categories(client, factory, company):
    a, b = company.establishment_ids
    fill_year(factory, company.id, {a: 150, b: 100}, year=last_year())
    login(client, company.hr_email)
    page = text_of(client.get(f"/gap/why?year={last_year()}"))
    assert "Sari Dewi" in page
    assert "Not counted: no active consent" in page
    assert "Counted (evidence not verified)" in page
    assert "UU 8/2016" in page  # citations
    ledger = page[page.index('id="ledger-heading"') :]
    for category in ("Sensory", "Physical", "sensory", "physical"):
        assert category not in ledger  # the ledger names people, never their disability


@pytest.mark.parametrize("url", ["/gap?year=1999", "/gap?year=abc", "/gap/why?year=3000"])
def test_bad_years_are_404(client, company, url):
    login(client, company.hr_email)
    assert client.get(url).status_code == 404


def test_open_with_a_bad_year_shows_the_error(client, company):
    login(client, company.hr_email)
    token = csrf_token(client, "/declarations")
    response = client.post("/declarations", data={"csrf_token": token, "year": "1990"})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in text_of(response)


def test_other_roles_do_not_reach_the_pages(client, factory, company):
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    login(client, inspector.email)
    for url in ("/gap", "/gap/why", "/declarations"):
        assert client.get(url).status_code == 404
