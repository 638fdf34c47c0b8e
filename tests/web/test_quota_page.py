"""The public Easy-Read page: generated from the rule packs, so it agrees with the engine."""

from __future__ import annotations

from datetime import date

import pytest

from compliance.quota import Snapshot, evaluate
from tests.support.web import text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_page_is_public_and_cites_the_law(client):
    response = client.get("/kuota")
    assert response.status_code == 200
    page = text_of(response)
    assert "How the quota is computed" in page
    assert "UU 8/2016 Article 53(1)" in page
    assert "product default, not in the law" in page


def test_worked_example_on_the_page_is_what_the_engine_computes(client):
    today = date(2026, 1, 15)  # any date under UU 8/2016
    snapshot = Snapshot(as_of=today, sector="private", headcount={"permanent": 250})
    result = evaluate(snapshot, today=today)
    page = text_of(client.get("/kuota"))
    assert (
        f"a private company with 250 workers: 2.5, rounded up = {result.required} persons" in page
    )


def test_regional_rules_for_bantul_and_an_unknown_region(client):
    page = text_of(client.get("/kuota?region=34.02"))
    assert "Perda Kab. Bantul 2/2024 Article 41" in page
    assert "Kabupaten Bantul" in page
    assert "Bantul" not in text_of(client.get("/kuota?region=31.71"))
    assert client.get("/kuota?region=99.99").status_code == 404


def test_page_is_in_indonesian_by_default(app):
    page = text_of(app.test_client().get("/kuota"))
    assert "UU 8/2016 Pasal 53" in page
    assert "Siapa yang wajib?" in page
