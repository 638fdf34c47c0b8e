"""Keyboard-only, from sign-up to the first submitted declaration: the journey of a new HR
manager, led by the home page's next step and its onboarding checklist.

Sign up and confirm the mailed link; give the head office its address; enter last year's
figures in the head office's year view; add an employee with a disability, record the consent,
the category and the evidence; file the declaration. After each step the checklist on the home
page ticks the step off, and once the declaration is filed it goes away. Only Tab, typing,
arrow keys, Space and Enter, checked through `document.activeElement` as in test_keyboard.py.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from compliance.models import Declaration, DeclarationStatus, Employee, Organization
from compliance.services.declarations.status import period_status
from compliance.services.workforce import PRIVATE_TYPES
from tests.browser.test_keyboard import (
    ORGANIZATION,
    choose,
    press_on,
    sign_up_with_the_keyboard,
    skip_to_main,
    tab_to,
    tick,
    type_into,
    wait_for_path,
    wait_for_path_like,
)
from tests.browser.test_keyboard_declaration import file_declaration_with_the_keyboard
from tests.support.clock import last_year
from tests.support.factories import Factory

ADDRESS = "Jl. Merdeka No. 1, Tangerang"
EMPLOYEE = "Rina Kusuma"
NOTE = "Deklarasi pertama kami"
#: Last year's workforce at the head office, every month: 95 permanent staff and one of each
#: other type, 100 workers; at 1 % one person is required.
PERMANENT, OTHERS = 95, 1


def checklist(page: Page) -> dict[str, str]:
    """The home page's onboarding steps and the state each shows ("Selesai", "Berikutnya"…)."""
    steps = page.locator("#onboarding-heading + p + ol > li")
    return {
        step.locator("h3").evaluate("h => h.firstChild.textContent.trim()"): step.locator(
            ".usa-tag"
        ).inner_text()
        for step in steps.all()
    }


def follow_next_step(page: Page, path: str) -> None:
    """On the home page, the next step's button leads to `path`."""
    page.goto("/dashboard")
    skip_to_main(page)
    press_on(page, f"main .home-next a[href$='{path}']")
    wait_for_path(page, path)
    skip_to_main(page)


def test_from_sign_up_to_the_first_declaration_with_the_keyboard_only(
    page: Page, outbox: Path, factory: Factory
) -> None:
    year = last_year()
    sign_up_with_the_keyboard(page, outbox)
    assert list(checklist(page).values()) == ["Berikutnya", *["Belum dikerjakan"] * 3]

    # 1. The head office, created at sign-up, gets its address.
    follow_next_step(page, "/establishments")
    press_on(page, "main a[href$='/edit']")
    wait_for_path_like(page, r"/establishments/\d+/edit")
    tab_to(page, "#address")  # from the name, which has focus when the form opens
    page.keyboard.type(ADDRESS)
    press_on(page, "main form button[type=submit]")
    wait_for_path(page, "/establishments")

    # 2. Last year's figures, twelve rows in the head office's year view.
    follow_next_step(page, "/establishments")
    press_on(page, "main a[href$='/figures/year']")
    wait_for_path_like(page, r"/establishments/\d+/figures/year")
    if str(year) not in page.locator("h1").inner_text():  # in January the view opens on it
        skip_to_main(page)
        press_on(page, f"main a[rel=prev][href$='/figures/{year}']")
        wait_for_path_like(page, rf"/establishments/\d+/figures/{year}")
    skip_to_main(page)
    for month in range(1, 13):
        first, *others = (f"m{year}-{month:02d}-{kind.value}" for kind in PRIVATE_TYPES)
        tab_to(page, f"#{first}")  # past the row's heading
        page.keyboard.type(str(PERMANENT))
        for cell in others:
            type_into(page, cell, str(OTHERS))
    page.keyboard.press("Enter")
    expect(page.locator(".flashes .usa-alert--success")).to_be_visible()

    # 3. An employee with a disability: employment first, then consent, then the category.
    follow_next_step(page, "/roster")
    press_on(page, "main a[href$='/roster/new']")
    wait_for_path(page, "/roster/new")
    skip_to_main(page)
    type_into(page, "employee_number", "K-001")
    type_into(page, "name", EMPLOYEE)
    tab_to(page, "#establishment_id")
    page.keyboard.press("ArrowDown")  # the only establishment, after "Choose…"
    choose(page, "#employment_type", "permanent")
    tab_to(page, "#start_date")
    page.keyboard.type(f"0101{year - 1}")  # day and month read the same in every locale order
    press_on(page, "main form button[type=submit]")
    wait_for_path_like(page, r"/roster/\d+")
    skip_to_main(page)
    press_on(page, "main a[href$='/consent']")
    wait_for_path_like(page, r"/roster/\d+/consent")
    skip_to_main(page)
    choose(page, "#given_by", "employee")
    choose(page, "#method", "written")
    tab_to(page, "#given_on")
    page.keyboard.type(f"0201{year - 1}")
    press_on(page, "main form button[type=submit]")
    wait_for_path_like(page, r"/roster/\d+")
    skip_to_main(page)
    tick(page, "categories", {"physical"})
    choose(page, "#evidence_type", "kpd")
    tab_to(page, "#evidence_number")
    page.keyboard.type("KPD-3671-0001")
    press_on(page, "main form:has(input[name=categories]) button[type=submit]")
    expect(page.locator(".flashes .usa-alert--success")).to_be_visible()

    # 4. The declaration: the home now says it is overdue and leads to the declarations.
    page.goto("/dashboard")
    assert list(checklist(page).values()) == ["Selesai", "Selesai", "Selesai", "Berikutnya"]
    follow_next_step(page, "/declarations")
    file_declaration_with_the_keyboard(page, year, NOTE)

    page.goto("/dashboard")
    expect(page.locator("h1")).to_contain_text(ORGANIZATION)
    expect(page.locator("#onboarding-heading")).to_have_count(0)  # set up: the checklist is gone

    with factory.session() as session:
        organization = session.scalar(select(Organization))
        assert organization is not None
        assert organization.name == ORGANIZATION
        head_office = organization.establishments[0]
        assert head_office.address == ADDRESS
        employee = session.scalar(select(Employee))
        assert employee is not None
        assert employee.name == EMPLOYEE
        assert employee.has_active_consent
        declaration = session.scalar(select(Declaration))
        assert declaration is not None
        assert (declaration.status, declaration.note) == (DeclarationStatus.SUBMITTED, NOTE)
        record = period_status(session, organization, year)
        assert (record.result.required, record.result.counted) == (1, 1)
