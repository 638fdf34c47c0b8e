"""The inspector's dashboard and drill-down over HTTP: ranking, filters, bad filter values,
small-number suppression and the audited "show names"."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from compliance.models import AuditEvent, Role
from compliance.models.registry import Candidate
from compliance.services.inspections import rebuild_summaries
from tests.registry.support import registry_world
from tests.support.clock import today
from tests.support.declarations import fill_recent, submit_year
from tests.support.roster import make_employee
from tests.support.web import csrf_token, login, text_of

#: Date-sensitive: the dashboard ranks the latest complete month and the last period due.
#: Also run at every instant of the calendar sweep (tests/support/clock.py).
pytestmark = pytest.mark.calendar


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def province(factory):
    """Jakarta (31): a big private company with a gap, a small one, a BUMD; one in Surabaya."""
    big = factory.org(name="PT Besar Sekali", regency="31.71")
    small = factory.org(name="PT Kecil", regency="31.74")
    bumd = factory.org(name="PD Pasar Jaya", sector="regional_soe", regency="31.71")
    elsewhere = factory.org(name="PT Surabaya Saja", regency="35.78")
    fill_recent(factory, big.id, {big.establishment_ids[0]: 1000})
    fill_recent(factory, small.id, {small.establishment_ids[0]: 50})
    make_employee(factory, small.id, details=True)
    fill_recent(factory, bumd.id, {bumd.establishment_ids[0]: 150})
    submit_year(factory, bumd.id)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    with factory.session() as session:
        rebuild_summaries(session)
    return {"big": big, "small": small, "bumd": bumd, "elsewhere": elsewhere, "me": inspector}


def test_inspector_home_leads_to_the_dashboard(client, province):
    login(client, province["me"].email)
    home = client.get("/dashboard")
    assert home.status_code == 200
    assert 'href="/inspections"' in text_of(home)


def test_dashboard_ranks_by_gap_within_the_province(client, province):
    login(client, province["me"].email)
    page = text_of(client.get("/inspections"))
    assert page.index("PT Besar Sekali") < page.index("PD Pasar Jaya") < page.index("PT Kecil")
    assert "PT Surabaya Saja" not in page
    assert "3 organisations" in page
    assert 'id="month-table"' in page
    assert 'id="regency-table"' in page
    assert "<svg" in page


def test_filters_narrow_the_list(client, province):
    login(client, province["me"].email)
    page = text_of(client.get("/inspections?sector=regional_soe"))
    assert "PD Pasar Jaya" in page
    assert "PT Besar Sekali" not in page
    page = text_of(client.get("/inspections?regency=31.74"))
    assert "PT Kecil" in page
    assert "PT Besar Sekali" not in page
    page = text_of(client.get("/inspections?size=1000_plus"))
    assert "PT Besar Sekali" in page
    assert "PT Kecil" not in page
    # The status filter is the ranked period's status of record: last year's once its
    # 31 January has passed (the BUMD filed it, PT Kecil did not), else this year's, open.
    passed = today() > date(today().year, 1, 31)
    page = text_of(client.get(f"/inspections?status={'overdue' if passed else 'open'}"))
    assert "PT Kecil" in page
    if passed:
        assert "PD Pasar Jaya" not in page
        page = text_of(client.get("/inspections?status=filed_shortfall"))
        assert "PD Pasar Jaya" in page
        assert "PT Kecil" not in page
    page = text_of(client.get("/inspections?q=Kecil"))
    assert "PT Kecil" in page
    assert "PT Besar Sekali" not in page
    page = text_of(client.get(f"/inspections?q={province['big'].nib}"))
    assert "PT Besar Sekali" in page
    assert "PT Kecil" not in page


@pytest.mark.parametrize(
    "query",
    ["status=overdu", "sector=bank", "size=huge", "regency=35.78", "regency=99.99", "page=x"],
)
def test_an_unknown_filter_value_is_an_error_not_an_empty_list(client, province, query):
    login(client, province["me"].email)
    response = client.get(f"/inspections?{query}")
    assert response.status_code == 400
    page = text_of(response)
    assert "Please correct the following" in page
    assert 'aria-invalid="true"' in page or "page must be" in page
    assert "PT Besar Sekali" not in page  # nothing else on the page


def test_small_numbers_are_suppressed_in_aggregates(client, province):
    login(client, province["me"].email)
    page = text_of(client.get("/inspections?regency=31.74"))
    assert "&lt;5" in page  # one person counted, one required: never printed as "1"


def test_drill_down_shows_counts_and_names_only_with_a_reason(client, factory, province):
    small = province["small"]
    login(client, province["me"].email)
    page = text_of(client.get(f"/inspections/organizations/{small.id}"))
    assert "PT Kecil" in page
    assert "Sari Dewi" not in page
    # Counts by category, not names: the one consented employee counts under both categories.
    rows = dict(
        re.findall(r'<tr><th scope="row">(\w+)</th><td class="number">(\d+)</td></tr>', page)
    )
    assert rows == {"Physical": "1", "Sensory": "1"}  # categories in words, never codes
    path = f"/inspections/organizations/{small.id}"
    token = csrf_token(client, path)
    response = client.post(f"{path}/names", data={"csrf_token": token, "reason": " "})
    assert response.status_code == 422
    assert "State why you need the names." in text_of(response)
    assert "Sari Dewi" not in text_of(response)
    response = client.post(
        f"{path}/names", data={"csrf_token": token, "reason": "Nota pemeriksaan 12/2026"}
    )
    assert response.status_code == 200
    assert "Sari Dewi" in text_of(response)
    with factory.session() as session:
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "inspection.names_shown")
        )
        assert event.data["reason"] == "Nota pemeriksaan 12/2026"
        assert "Sari Dewi" not in str(event.data)


def test_drill_down_outside_the_province_is_not_found(client, province):
    login(client, province["me"].email)
    assert client.get(f"/inspections/organizations/{province['elsewhere'].id}").status_code == 404


def test_drill_down_counts_referrals_without_naming_candidates(client, factory, province):
    """Referral requests and their outcome show as counts; the candidate stays anonymous."""
    big = province["big"]
    registry_world(factory, big.id, regency="31.71")  # one request, one proposed candidate
    login(client, province["me"].email)
    page = text_of(client.get(f"/inspections/organizations/{big.id}"))
    facts = dict(re.findall(r"<dt[^>]*>([^<]+)</dt>\s*<dd[^>]*>([^<]+)</dd>", page))
    assert facts["Referral requests"] == "1"
    assert facts["Positions asked for"] == "1"
    assert facts["Candidates proposed"] == "1"
    assert facts["Hired"] == "0"
    with factory.session() as session:
        candidate = session.scalar(select(Candidate))
        assert candidate.name not in page
