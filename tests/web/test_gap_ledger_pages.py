"""The "why" page shows its per-person ledger a page at a time (issue 19, item 5): page 2 shows
the next people, the totals above the ledger are the whole roster's on every page, the pager
marks the current page, and a page number that does not exist gets a clear answer."""

from __future__ import annotations

import html
import re

import pytest

from compliance.services.paging import PAGE_SIZE
from tests.support.clock import last_year
from tests.support.declarations import fill_year
from tests.support.roster import make_employee
from tests.support.web import login, text_of

PEOPLE = PAGE_SIZE + 3


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def org(factory):
    """A year of figures and a roster one page and three people long, all counted."""
    org = factory.org(name="PT Banyak Pekerja", regency="31.71")
    fill_year(factory, org.id, {org.establishment_ids[0]: 6000})
    for i in range(1, PEOPLE + 1):
        make_employee(factory, org.id, number=f"E-{i:03d}", name=f"Pekerja {i}", details=True)
    return org


def numbers(response) -> list[str]:
    """The employee numbers in the ledger, in order."""
    return re.findall(
        r'<th scope="row"><a href="/roster/\d+">(E-\d{3})</a></th>', text_of(response)
    )


def totals(response) -> str:
    """Everything above the ledger: the results and their explanation."""
    page = text_of(response)
    return page[page.index("<h1") : page.index('id="ledger-heading"')]


def words(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text_of(response))).split())


def test_page_two_shows_the_next_people_and_the_same_totals(client, org):
    login(client, org.hr_email)
    first = client.get(f"/gap/why?year={last_year()}")
    second = client.get(f"/gap/why?year={last_year()}&page=2")
    assert first.status_code == second.status_code == 200
    assert numbers(first) == [f"E-{i:03d}" for i in range(1, PAGE_SIZE + 1)]
    assert numbers(second) == [f"E-{i:03d}" for i in range(PAGE_SIZE + 1, PEOPLE + 1)]
    assert totals(first) == totals(second)
    assert f"Entries 1 to {PAGE_SIZE} of {PEOPLE}, {PAGE_SIZE} per page." in words(first)
    assert f"Entries {PAGE_SIZE + 1} to {PEOPLE} of {PEOPLE}" in words(second)


def test_the_pager_is_a_named_navigation_that_marks_the_current_page(client, org):
    login(client, org.hr_email)
    page = text_of(client.get(f"/gap/why?year={last_year()}&page=2"))
    nav = re.search(r'<nav aria-label="Pages of the ledger"[^>]*>(.*?)</nav>', page, re.S)
    assert nav is not None
    current = re.findall(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>', nav.group(1))
    assert [text for _href, text in current] == ["Page 2"]
    assert 'rel="prev"' in nav.group(1)
    assert 'rel="next"' not in nav.group(1)
    assert "page=1" in nav.group(1)


def test_the_pager_speaks_indonesian_first(client, org):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "id"
    login(client, org.hr_email)
    page = words(client.get(f"/gap/why?year={last_year()}"))
    assert "Halaman 2" in page
    assert f"Entri 1 sampai {PAGE_SIZE} dari {PEOPLE}" in page


def test_a_page_past_the_last_shows_the_last_and_says_so(client, org):
    login(client, org.hr_email)
    response = client.get(f"/gap/why?year={last_year()}&page=9")
    assert response.status_code == 200
    assert numbers(response) == [f"E-{i:03d}" for i in range(PAGE_SIZE + 1, PEOPLE + 1)]
    assert "There is no page 9: the ledger has 2 pages. This is the last one." in words(response)


@pytest.mark.parametrize("page", ["0", "-1", "dua", "1.5", "99999999"])
def test_a_page_that_is_not_a_page_number_is_not_found(client, org, page):
    login(client, org.hr_email)
    assert client.get(f"/gap/why?year={last_year()}&page={page}").status_code == 404


def test_a_short_roster_has_no_pager(client, factory):
    org = factory.org(name="PT Kecil", regency="31.71")
    fill_year(factory, org.id, {org.establishment_ids[0]: 200})
    make_employee(factory, org.id, details=True)
    login(client, org.hr_email)
    page = text_of(client.get(f"/gap/why?year={last_year()}"))
    assert "Pages of the ledger" not in page
    assert "E-001" in page
