"""Keyboard-only entry of a month's figures for every establishment on the month grid.

Logging in uses the shared helper; after it, only Tab, typing and Enter, checked through
`document.activeElement` like test_keyboard.py: within a row each cell is the next Tab stop
after the previous one, rows come in reading order, and Enter in a cell saves the whole grid.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from compliance.models import AuditEvent, WorkforceFigure
from compliance.services.workforce import PRIVATE_TYPES
from tests.browser.test_keyboard import skip_to_main, tab_to, type_into
from tests.support.browser import browser_login
from tests.support.clock import last_year
from tests.support.factories import Factory


def test_fill_the_month_grid_with_the_keyboard_only(page: Page, factory: Factory) -> None:
    org = factory.org(name="PT Papan Ketik Gudang", regency="31.71", other_regencies=("34.02",))
    month = f"{last_year()}-06"
    browser_login(page, org.hr_email)
    page.goto(f"/establishments/figures?month={month}")

    skip_to_main(page)
    for number, establishment_id in enumerate(org.establishment_ids):
        first, *others = (f"e{establishment_id}-{kind.value}" for kind in PRIVATE_TYPES)
        tab_to(page, f"#{first}")  # past the row's heading, a link to the year view
        page.keyboard.type(str(40 + number))
        for cell in others:
            type_into(page, cell, str(number + 3))
    page.keyboard.press("Enter")  # in the last cell: submits with the form's first button, Save

    expect(page.locator(".flashes .usa-alert--success")).to_be_visible()
    expect(page.locator(f"#e{org.establishment_ids[0]}-permanent")).to_have_value("40")
    with factory.session() as session:
        assert session.scalar(select(func.count()).select_from(WorkforceFigure)) == 12
        events = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "workforce.figures_recorded")
        )
        assert events == 2
