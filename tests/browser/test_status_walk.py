"""One organisation walked through file → review → correction → case in Chromium, reading the
same status of record on the HR pages, the inspector's list and drill-down and the evidence pack
at every step (issue 15's "done when"). The browser speaks Indonesian (`id-ID`).
"""

from __future__ import annotations

import io
import re
import zipfile

from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from compliance.models import Role
from tests.support.axe import assert_accessible
from tests.support.browser import browser_login, browser_logout
from tests.support.clock import last_year
from tests.support.declarations import fill_year
from tests.support.factories import Factory

FILED = "Disampaikan: kurang dari kuota"
CORRECTION = "Pengawas meminta koreksi"
IN_CASE = "Dalam kasus pemeriksaan"


def _log_out(page: Page) -> None:
    browser_logout(page)
    page.wait_for_url(re.compile(r"/login"))


def _row(page: Page, table_heading: str, first_cell: str):
    """The row starting with `first_cell` in the table labelled by `table_heading`'s id."""
    table = page.locator(f"table[aria-labelledby='{table_heading}']")
    return table.locator("tr", has=page.locator(f"th:text-is('{first_cell}')"))


def _hr_sees(page: Page, year: str, *words: str) -> None:
    page.goto("/declarations")
    row = _row(page, "standing-heading", year)
    for word in words:
        expect(row).to_contain_text(word)


def _inspector_sees(page: Page, org_id: int, name: str, year: str, *words: str) -> None:
    page.goto("/inspections")
    ranked = page.locator("tr", has=page.locator(f"a:text-is('{name}')"))
    expect(ranked).to_contain_text(f"{year}:")
    expect(ranked).to_contain_text(words[0])
    page.goto(f"/inspections/organizations/{org_id}")
    row = _row(page, "standing-heading", year)
    for word in words:
        expect(row).to_contain_text(word)


def _pack_status(page: Page, year: str) -> str:
    """The status of record printed in the evidence pack's workbook."""
    drill_down = page.url
    form = page.locator("form[action$='/evidence-pack']")
    form.locator("input[name='pack-year']").fill(year)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()  # to the export's page: prepared at once
    with page.expect_download() as download:
        page.locator("a[href$='/download']").click()
    page.goto(drill_down)  # back to the organisation, as the inspector goes on there
    with zipfile.ZipFile(download.value.path()) as pack:
        name = next(n for n in pack.namelist() if n.endswith(".xlsx"))
        book = CalamineWorkbook.from_filelike(io.BytesIO(pack.read(name)))
    rows = book.get_sheet_by_name("Ringkasan (Summary)").to_python()
    return next(str(r[1]) for r in rows if str(r[0]).startswith("Status catatan"))


def test_one_status_from_filing_to_case(page: Page, factory: Factory) -> None:
    year = str(last_year())
    org = factory.org(name="PT Jalan Status", regency="31.71")
    fill_year(factory, org.id, {org.establishment_ids[0]: 150})
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))

    # 1. The HR manager files last year's declaration.
    browser_login(page, org.hr_email)
    page.goto("/declarations")
    page.locator("#year").fill(year)
    page.locator("form[action$='/declarations'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/declarations/\d+$"))
    page.locator("button[value=submit]").click()
    expect(page.locator("h1")).to_contain_text(year)  # the confirmation step
    assert_accessible(page)
    page.locator("form:has(input[name=confirmed]) button[type=submit]").click()
    expect(page.locator("#reason")).to_be_visible()
    _hr_sees(page, year, FILED)
    _log_out(page)

    # 2. The inspector reads the same, and asks for a correction.
    browser_login(page, inspector.email)
    _inspector_sees(page, org.id, org.name, year, FILED)
    assert _pack_status(page, year).startswith("Disampaikan: kurang dari kuota")
    page.locator("#message").fill("Jumlah pekerja Januari perlu diperiksa ulang.")
    page.locator("form[action*='/correction'] button[type=submit]").click()
    _inspector_sees(page, org.id, org.name, year, FILED, CORRECTION)
    _log_out(page)

    # 3. The HR manager sees the request, corrects and files the new version.
    browser_login(page, org.hr_email)
    _hr_sees(page, year, FILED, CORRECTION)
    _row(page, "standing-heading", year).locator("a").first.click()
    page.locator("#reason").fill("Jumlah pekerja Januari diperbaiki")
    page.locator("form[action$='/correct'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/declarations/\d+$"))
    page.locator("button[value=submit]").click()
    page.locator("form:has(input[name=confirmed]) button[type=submit]").click()
    expect(page.locator("#reason")).to_be_visible()
    _hr_sees(page, year, FILED)
    expect(_row(page, "standing-heading", year)).not_to_contain_text(CORRECTION)
    _log_out(page)

    # 4. The inspector records a finding on the new version: a case opens.
    browser_login(page, inspector.email)
    page.goto(f"/inspections/organizations/{org.id}")
    page.locator("#finding").fill("Kuota belum terpenuhi setelah koreksi.")
    page.locator("form[action*='/finding'] button[type=submit]").click()
    _inspector_sees(page, org.id, org.name, year, FILED, IN_CASE)
    assert "Dalam kasus pemeriksaan" in _pack_status(page, year)
    _log_out(page)

    # 5. The HR home says so, with the case's deadline.
    browser_login(page, org.hr_email)
    _hr_sees(page, year, FILED, IN_CASE)
    page.goto("/gap")
    expect(page.locator("#open-cases-heading")).to_be_visible()
