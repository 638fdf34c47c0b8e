"""Keyboard-only filing of a quota declaration: from the gap page to a submitted version.

Logging in uses the shared helper (the login form has its own keyboard test); everything after
it is Tab, typing and Enter, checked through `document.activeElement` like test_keyboard.py.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from compliance.models import Declaration, DeclarationStatus
from tests.browser.test_keyboard import focused, skip_to_main, tab_to, wait_for_path
from tests.support.browser import browser_login
from tests.support.clock import last_year
from tests.support.declarations import fill_year
from tests.support.factories import Factory
from tests.support.roster import make_employee

NOTE = "Angka sudah diperiksa oleh HRD"


def file_declaration_with_the_keyboard(page: Page, year: int, note: str) -> None:
    """From the declarations list: open `year`'s declaration, add a note, submit and confirm."""
    skip_to_main(page)
    tab_to(page, "#year")
    assert focused(page)["value"] == str(year)
    tab_to(page, "main form.form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/declarations/\d+$"))
    path = page.url.split("#")[0].split("//", 1)[1].split("/", 1)[1]

    skip_to_main(page)
    tab_to(page, "#note")
    page.keyboard.type(note)
    tab_to(page, "main form.form button[value=submit]")
    page.keyboard.press("Enter")
    # The confirmation step says what will be filed; its button files it.
    expect(page.locator("h1")).to_contain_text(str(year))
    skip_to_main(page)
    tab_to(page, "main form:has(input[name=confirmed]) button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_path(page, f"/{path}")
    expect(page.locator("#reason")).to_be_visible()  # only a submitted version offers this
    expect(page.locator("main")).to_contain_text(note)


def test_file_a_declaration_with_the_keyboard_only(page: Page, factory: Factory) -> None:
    year = last_year()
    org = factory.org(name="PT Papan Ketik Deklarasi", regency="31.71", other_regencies=("35.78",))
    make_employee(factory, org.id, details=True)
    fill_year(factory, org.id, dict.fromkeys(org.establishment_ids, 120), year=year)
    browser_login(page, org.hr_email)
    page.goto("/gap")

    skip_to_main(page)
    tab_to(page, "main a[href$='/declarations']")
    page.keyboard.press("Enter")
    wait_for_path(page, "/declarations")

    file_declaration_with_the_keyboard(page, year, NOTE)

    with factory.session() as session:
        declaration = session.scalar(select(Declaration))
        assert declaration is not None
        assert (declaration.status, declaration.note) == (DeclarationStatus.SUBMITTED, NOTE)
