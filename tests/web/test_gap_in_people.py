"""The gap page and "why" in whole people (issue 15, items 3-5): only months that have ended are
asked for, a period's result runs over its complete months, averages are said in words with
their source, and the legal entity's figure is told apart from its establishments' sum."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from compliance.services.dates import month_start, previous_month
from compliance.services.roster import EmployeeInput, update_employee
from compliance.services.workforce import record_monthly_figures
from tests.support.clock import SWEEP, last_year, today
from tests.support.declarations import PRIVATE_TYPES, fill_year, hr_of, submit_year
from tests.support.roster import make_employee
from tests.support.web import csrf_token, login, text_of

#: Which months have ended depends on the day: run at every instant of the sweep too.
pytestmark = pytest.mark.calendar


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def words(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text_of(response))).split())


def link_texts(response) -> list[str]:
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inner)).split())
        for inner in re.findall(r"<a\b[^>]*>(.*?)</a>", text_of(response), flags=re.S)
    ]


def _record(factory, org_id: int, establishment_id: int, month: date, permanent: int) -> None:
    with factory.session() as session:
        counts = {kind: 0 for kind in PRIVATE_TYPES} | {"permanent": permanent}
        record_monthly_figures(session, hr_of(session, org_id), establishment_id, month, counts)


def test_only_months_that_have_ended_are_asked_for(client, factory):
    """A newcomer entered every month that has ended: nothing is missing, the month under way
    is not asked for, and the period shows its result over those months (item 3)."""
    org = factory.org(name="PT Baru Daftar", regency="31.71")
    make_employee(factory, org.id, details=True)
    year = previous_month(today()).year
    ended = [m for m in range(1, 13) if date(year, m, 1) < month_start(today())]
    for month in ended:
        _record(factory, org.id, org.establishment_ids[0], date(year, month, 1), 250)
    login(client, org.hr_email)
    response = client.get("/gap")
    page = words(response)
    assert f"Quota gap {year}" in page
    assert "Enter the figures of" not in page  # nothing that has ended is missing
    assert "Insufficient data" not in page
    assert f"result over {len(ended)} of 12 months" in page
    assert f"The period {year} so far: {len(ended)} of 12 months" in page
    assert "People required each month: 3." in page
    assert all("—" not in text for text in link_texts(response))


def test_a_missing_month_names_itself_and_the_rest_still_count(client, factory):
    org = factory.org(name="PT Lupa Sebulan", regency="31.71")
    establishment = org.establishment_ids[0]
    fill_year(factory, org.id, {establishment: 250}, skip={(establishment, 3)})
    login(client, org.hr_email)
    response = client.get(f"/gap?year={last_year()}")
    page = words(response)
    assert f"Enter the figures of Kantor pusat for March {last_year()}" in page
    assert "Enter the figures of Kantor pusat for April" not in page
    assert "result over 11 of 12 months" in page
    assert "Status of the period so far Shortfall" in page
    assert all("—" not in text for text in link_texts(response))


def test_averages_are_said_in_whole_people_with_their_source(client, factory):
    """250 workers: 3 required each month. One person counts all year, another until October:
    22 person-months of 36, on average 1.83 counted; 1.17 missing on average → 2 people."""
    org = factory.org(name="PT Rata Rata", regency="31.71")
    make_employee(factory, org.id, number="E-001", name="Sari Dewi", details=True)
    leaver = make_employee(factory, org.id, number="E-002", name="Dewi Lestari", details=True)
    with factory.session() as session:
        update_employee(
            session,
            hr_of(session, org.id),
            leaver,
            EmployeeInput(
                "E-002",
                "Dewi Lestari",
                org.establishment_ids[0],
                "permanent",
                start_date=date(today().year - 2, 1, 15),
                end_date=date(last_year(), 10, 15),
            ),
        )
    fill_year(factory, org.id, {org.establishment_ids[0]: 250})
    login(client, org.hr_email)
    expected = (
        "People required each month: 3.",
        "People counted: on average 1.83 over 12 months, that is 22 person-months of the 36 "
        "required.",
        "People short: 2. On average 1.17 were missing; nobody is employed in part, so this is "
        "rounded up to whole people.",
        "product default, not in the law (reading of UU 8/2016 Article 53)",  # the rounding
        "Why an average: the law sets no period for the quota",
    )
    gap = client.get(f"/gap?year={last_year()}")
    why = words(client.get(f"/gap/why?year={last_year()}"))
    for sentence in expected:
        assert sentence in words(gap)
        assert sentence in why
    assert "Why are 2 people short for" in " ".join(link_texts(gap))
    declaration_id = submit_year(factory, org.id)
    declared = words(client.get(f"/declarations/{declaration_id}"))
    for sentence in expected:
        assert sentence in declared


def test_the_legal_entitys_figure_is_what_the_law_asks_for(client, factory):
    """1 % of 150, 50 and 220 workers: 2 + 1 + 3 = 6 by establishment; the legal entity owes
    1 % of 420 = 4.2, rounded up 5 (item 5)."""
    org = factory.org(name="PT Tiga Tempat", regency="31.71", other_regencies=("31.74", "35.78"))
    a, b, c = org.establishment_ids
    fill_year(factory, org.id, {a: 150, b: 50, c: 220})
    login(client, org.hr_email)
    for url in (f"/gap?year={last_year()}", f"/gap/why?year={last_year()}"):
        page = words(client.get(url))
        assert "The law asks for the legal entity's figure: PT Tiga Tempat as a whole must " in page
        assert "employ at least 5 people with disabilities." in page
        assert (
            "The establishments' figures add up to 6, not 5, because each establishment's " in page
        )
        assert "Kantor pusat: 1.5 → 2; Cabang 31.74: 0.5 → 1; Cabang 35.78: 2.2 → 3" in page
    why = words(client.get(f"/gap/why?year={last_year()}"))
    assert "Sum of the establishments' figures (not owed) 420 4.2 6" in why
    assert "Legal entity: what the law asks for 420 4.2 5" in why


@pytest.mark.parametrize("instant", [SWEEP["new-year-0030-wib"]], indirect=True)
def test_in_january_nothing_of_the_new_year_is_asked_for(client, factory):
    """1 January 2027, 00:30 WIB: the gap page shows 2026 by default; 2027 has no month that
    has ended, so its page asks for nothing and no declaration of it can be opened yet."""
    org = factory.org(name="PT Tahun Baru", regency="31.71")
    login(client, org.hr_email)
    assert "Quota gap 2026" in words(client.get("/gap"))
    page = words(client.get("/gap?year=2027"))
    assert "Only months that have ended are counted" in page
    assert "Enter the figures of" not in page
    assert "No month of 2027 has ended yet." in words(client.get("/gap/why?year=2027"))
    token = csrf_token(client, "/declarations")
    response = client.post("/declarations", data={"csrf_token": token, "year": "2027"})
    assert response.status_code == 422
    assert "No month of 2027 has ended yet." in words(response)
