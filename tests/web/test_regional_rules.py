"""Regional rules reach the employer (issue 15, item 6): a Bantul BUMD sees Perda Kab. Bantul
2/2024 on its gap page, "why", its declaration, the receipt, the evidence pack, the inspector's
drill-down and the Easy-Read page of its regency, with the duty, its status and its citation."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from compliance.models import Declaration, Role, User
from compliance.services.demo import DEMO_PASSWORD
from compliance.services.inspections.evidence_pack import build_pack
from compliance.services.receipts import receipt_pdf
from tests.support.clock import last_year
from tests.support.declarations import fill_year, submit_year
from tests.support.pdf import pdf_text
from tests.support.roster import make_employee
from tests.support.web import login, text_of

PACK = "id-3402-bantul-perda-2-2024"
CITATION = "Perda Kab. Bantul 2/2024 Article 41"


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def words(response) -> str:
    """The page's text as a reader sees it: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text_of(response))).split())


@pytest.fixture
def bantul(factory):
    """A BUMD with 220 workers in Bantul (34.02): UU 8/2016 asks 2 % (4.4 → 5 people), the
    Perda 1 % of the workers there (2.2 → 3 people, it has ≥ 100); one person counts."""
    org = factory.org(name="PD Bantul Makmur", sector="regional_soe", regency="34.02")
    make_employee(factory, org.id, number="B-001", name="Wening Lestari", details=True)
    fill_year(factory, org.id, {org.establishment_ids[0]: 220})
    return org


def test_gap_page_and_why_show_the_perda_with_status_and_citation(client, bantul):
    login(client, bantul.hr_email)
    page = words(client.get(f"/gap?year={last_year()}"))
    assert "Regional rules" in page
    assert "Perda Kab. Bantul 2/2024 in Bantul Regency" in page
    assert "Regional status Shortfall" in page
    assert "People required each month: 3." in page  # the Perda's 1 % of 220, rounded up
    assert "People required each month: 5." in page  # the national 2 %, unchanged
    assert "Report placements of workers with disabilities" in page  # a regional duty
    assert CITATION in page
    assert "/kuota?region=34.02" in text_of(client.get(f"/gap?year={last_year()}"))
    why = words(client.get(f"/gap/why?year={last_year()}"))
    assert "Regional rules for Bantul Regency: Perda Kab. Bantul 2/2024" in why
    assert "Minimum size 100 workers: N = 220 reaches it" in why
    assert "Sanction risk: A reprimand or written warning." in why
    assert CITATION in why


def test_declaration_receipt_and_evidence_pack_carry_the_perda(app, client, factory, bantul):
    declaration_id = submit_year(factory, bantul.id)
    with factory.session() as session:
        declaration = session.get(Declaration, declaration_id)
        data = declaration.data
        plain = pdf_text(receipt_pdf(declaration))
    assert [o["pack_id"] for o in data["overlays"]] == [PACK]
    assert data["overlays"][0]["status"] == "shortfall"
    assert PACK in [p["id"] for p in data["packs"]]
    assert data["entity"]["required"] == "5"  # the overlay never changes the national figures

    login(client, bantul.hr_email)
    page = words(client.get(f"/declarations/{declaration_id}"))
    assert "Perda Kab. Bantul 2/2024 in Bantul Regency" in page
    assert "Regional status Shortfall" in page
    assert CITATION in page

    assert "Perda Kab. Bantul 2/2024 Pasal 41" in plain  # the citation of the duty
    assert "Aturan daerah (Regional rules)" in plain
    response = client.get(f"/declarations/{declaration_id}/receipt.xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    regional = book.get_sheet_by_name("Aturan daerah (Regional rules)").to_python()
    assert regional[1][0] == PACK
    assert regional[1][1] == "Kabupaten Bantul"  # the region by name, never its code
    assert regional[1][3] == "Di bawah kuota (Shortfall)"  # the pages' words, in both languages
    assert "Perda Kab. Bantul 2/2024 Pasal 41" in regional[1][8]
    summary = str(book.get_sheet_by_name("Ringkasan (Summary)").to_python())
    assert "Aturan daerah (Regional rules)" in summary

    inspector = factory.user(Role.INSPECTOR, provinces=("34",))
    with (
        app.test_request_context(headers={"Accept-Language": "en"}),
        factory.session() as session,
    ):
        pack = build_pack(session, session.get(User, inspector.id), bantul.id, last_year())
    with zipfile.ZipFile(io.BytesIO(pack.data)) as archive:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(archive.read("bukti.xlsx")))
    rows = workbook.get_sheet_by_name("Aturan daerah (Regional rules)").to_python()
    assert (rows[1][0], rows[1][3]) == (PACK, "Di bawah kuota (Shortfall)")
    assert "Perda Kab. Bantul 2/2024" in str(
        workbook.get_sheet_by_name("Ringkasan (Summary)").to_python()
    )
    assert PACK in [p["id"] for p in pack.manifest["rule_packs"]]


def test_inspector_drill_down_shows_the_perda_declared_or_live(client, factory, bantul):
    inspector = factory.user(Role.INSPECTOR, provinces=("34",))
    login(client, inspector.email)
    live = words(client.get(f"/inspections/organizations/{bantul.id}"))
    assert "Regional rules computed now from the current figures" in live
    assert "Perda Kab. Bantul 2/2024 in Bantul Regency" in live
    assert CITATION in live
    submit_year(factory, bantul.id)
    declared = words(client.get(f"/inspections/organizations/{bantul.id}"))
    assert f"Regional rules as declared for {last_year()}" in declared
    assert "Regional status Shortfall" in declared


def test_easy_read_page_of_the_regency_states_the_duty(client):
    page = words(client.get("/kuota?region=34.02"))
    assert "Regional rules shown for" in page
    assert CITATION in page
    assert "Report placements of workers with disabilities" in page
    assert client.get("/kuota?region=34").status_code == 200  # a whole province is a region too


def test_the_perda_reads_the_workforce_in_bantul_only(client, factory):
    """80 workers in Bantul and 500 in Jakarta: the national 1 % is owed on 580 (6 people);
    the Perda's threshold of 100 is not reached in Bantul, so its duty does not apply."""
    org = factory.org(name="PT Dua Daerah", regency="31.71", other_regencies=("34.02",))
    jakarta, bantul = org.establishment_ids
    fill_year(factory, org.id, {jakarta: 500, bantul: 80})
    login(client, org.hr_email)
    page = words(client.get(f"/gap?year={last_year()}"))
    assert "Perda Kab. Bantul 2/2024 in Bantul Regency" in page
    assert "Your establishments there Cabang 34.02" in page
    assert "Regional status No obligation" in page
    assert "People required each month: 6." in page


def test_the_demo_bantul_bumd_sees_its_perda(app, client):
    """The demo's PD Bantul Sejahtera (BUMD, 220 workers in Bantul) shows the overlay."""
    app.test_cli_runner().invoke(args=["demo-data"])
    login(client, "hr@bantul-sejahtera.demo", DEMO_PASSWORD)
    page = words(client.get("/gap"))
    assert "Perda Kab. Bantul 2/2024 in Bantul Regency" in page
    assert "People required each month: 3." in page  # 1 % of 220, rounded up
    assert CITATION in page
