"""The officers' list of candidates pages, filters and sorts on the server, like the roster."""

from __future__ import annotations

import html
import re

import pytest

from tests.registry.support import make_candidate, make_officer
from tests.support.web import login, text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def officer(factory):
    return make_officer(factory, ("36.71", "36.03"))


def words(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text_of(response))).split())


def _numbers(response) -> list[int]:
    """The candidates' numbers in the order the table lists them."""
    return [int(n) for n in re.findall(r'data-label="Number">(\d+)</td>', text_of(response))]


def test_the_list_pages_by_fifty_newest_first(client, factory, officer):
    ids = [make_candidate(factory, officer, consent=False, name=f"Calon {n}") for n in range(52)]
    login(client, officer.email)
    first = client.get("/registry/candidates")
    assert "Page 1 of 2, 52 candidates" in words(first)
    assert _numbers(first) == sorted(ids, reverse=True)[:50]
    second = client.get("/registry/candidates?page=2")
    assert _numbers(second) == sorted(ids)[:2][::-1]
    past_the_end = client.get("/registry/candidates?page=9")
    assert _numbers(past_the_end) == _numbers(second)  # the last page, not an empty one
    by_number = client.get("/registry/candidates?sort=number")
    assert _numbers(by_number) == sorted(ids)[:50]


def test_filters_narrow_the_list_and_name_the_regency(client, factory, officer):
    tangerang = make_candidate(factory, officer, skills=["sewing"], availability="in_training")
    kabupaten = make_candidate(factory, officer, regency="36.03", skills=["driving"])
    draft = make_candidate(factory, officer, consent=False)
    login(client, officer.email)
    page = words(client.get("/registry/candidates?regency=36.03"))
    assert "Page 1 of 1, 1 candidate" in page
    assert "Kabupaten Tangerang" in page
    assert "36.03" not in page
    assert _numbers(client.get("/registry/candidates?skill=sewing")) == [tangerang]
    assert _numbers(client.get("/registry/candidates?availability=in_training")) == [tangerang]
    assert _numbers(client.get("/registry/candidates?status=draft")) == [draft]
    assert _numbers(client.get(f"/registry/candidates?q={kabupaten}")) == [kabupaten]
    assert "No candidate matches this search." in words(client.get("/registry/candidates?q=99999"))


@pytest.mark.parametrize(
    "query",
    ["status=nope", "sort=name", "regency=35.78", "skill=juggling", "q=Rina", "page=0"],
)
def test_a_value_that_is_not_a_choice_is_an_error_not_a_list(client, factory, officer, query):
    make_candidate(factory, officer)
    login(client, officer.email)
    response = client.get(f"/registry/candidates?{query}")
    assert response.status_code == 400
    assert _numbers(response) == []
