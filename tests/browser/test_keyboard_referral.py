"""Keyboard-only, from a referral request to a hire: the HR manager asks for candidates, the ULD
officer proposes one and sends the shortlist, records the introduction, and the HR manager
records the interview and the hire, which puts the person on the roster and lowers the gap.

Logging in uses the shared helper (the login form has its own keyboard test); everything after it
is Tab, typing, arrow keys, Space and Enter, checked through `document.activeElement`.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from compliance.models import Employee, Organization
from compliance.models.referrals import Referral, ReferralRequest, ReferralStatus
from compliance.services.declarations.status import period_status
from tests.browser.test_keyboard import (
    choose,
    focused,
    press_on,
    skip_to_main,
    tab_to,
    tick,
    wait_for_path,
    wait_for_path_like,
)
from tests.registry.support import SECRET_NAME, make_candidate, make_officer, make_uld
from tests.support.browser import browser_login
from tests.support.clock import last_year
from tests.support.declarations import fill_year
from tests.support.factories import Factory


def gap(factory: Factory, organization_id: int, year: int) -> int:
    """The organisation's gap for `year` as every page states it (the status of record)."""
    with factory.session() as session:
        organization = session.get(Organization, organization_id)
        return period_status(session, organization, year).result.gap


def start_over_as(page: Page, email: str, path: str) -> None:
    page.context.clear_cookies()
    browser_login(page, email)
    page.goto(path)
    skip_to_main(page)


def test_from_a_referral_request_to_a_hire_with_the_keyboard_only(
    page: Page, factory: Factory
) -> None:
    year = last_year()
    org = factory.org(name="PT Papan Ketik Rujukan", regency="36.71")
    fill_year(factory, org.id, {org.establishment_ids[0]: 200}, year=year)
    officer = make_officer(factory, ("36.71",), make_uld(factory, "36", "36.71"))
    make_candidate(factory, officer, training_skill="data_entry")
    gap_before = gap(factory, org.id, year)
    assert gap_before == 2  # 1 % of 200 workers

    # The HR manager describes the vacancy.
    start_over_as(page, org.hr_email, "/referrals")
    press_on(page, "main a[href$='/referrals/new']")
    wait_for_path(page, "/referrals/new")
    skip_to_main(page)
    choose(page, "#establishment_id", str(org.establishment_ids[0]))
    tab_to(page, "#title")
    page.keyboard.type("Staf administrasi")
    tab_to(page, "#tasks")
    page.keyboard.type("Entri data dan arsip")
    choose(page, "#hours", "full_time")
    choose(page, "#min_education", "senior")
    tick(page, "skill_codes", {"data_entry", "admin"})
    tab_to(page, "#positions")
    assert focused(page)["value"] == "1"  # one position unless the manager says more
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    press_on(page, "main form button[type=submit]")
    wait_for_path_like(page, r"/referrals/\d+")
    with factory.session() as session:
        request_id = session.scalar(select(ReferralRequest.id))
    assert request_id is not None

    # The officer proposes the suggested candidate and sends the shortlist.
    match = f"/registry/requests/{request_id}"
    start_over_as(page, officer.email, "/registry/requests")
    press_on(page, f"main a[href$='{match}']")
    wait_for_path(page, match)
    skip_to_main(page)
    suggested = "main form[action$='/propose']:has(input[name=candidate_id][type=hidden])"
    press_on(page, f"{suggested} button[type=submit]")
    expect(page.locator("main form[action$='/shortlist'] button")).to_be_visible()
    skip_to_main(page)
    press_on(page, "main form[action$='/shortlist'] button[type=submit]")
    expect(page.locator("main form[action$='/introduce'] select")).to_be_visible()

    # The candidate agreed to meet the company: the officer records how.
    skip_to_main(page)
    choose(page, "main form[action$='/introduce'] select", "recorded_oral")
    press_on(page, "main form[action$='/introduce'] button[type=submit]")
    expect(page.locator("main form[action$='/introduce']")).to_have_count(0)

    # The HR manager now sees the person, records the interview, then the hire.
    start_over_as(page, org.hr_email, f"/referrals/{request_id}")
    expect(page.locator("main")).to_contain_text(SECRET_NAME)
    press_on(page, "main form[action$='/interviewed'] button[type=submit]")
    expect(page.locator("main a[href$='/hire']")).to_be_visible()
    skip_to_main(page)
    press_on(page, "main a[href$='/hire']")
    wait_for_path_like(page, r"/referrals/outcomes/\d+/hire")
    skip_to_main(page)
    tab_to(page, "#employee_number")
    page.keyboard.type("E-77")
    choose(page, "#employment_type", "permanent")
    tab_to(page, "#start_date")
    page.keyboard.type(f"0101{year}")  # day and month read the same in every locale order
    choose(page, "#consent_method", "written")
    tab_to(page, "#consent_given_on")
    page.keyboard.type(f"0101{year}")
    press_on(page, "main form button[type=submit]")
    wait_for_path_like(page, r"/roster/\d+")  # the new employee's page on the roster
    expect(page.locator("main h1")).to_contain_text(SECRET_NAME)

    with factory.session() as session:
        assert session.scalar(select(Referral.status)) is ReferralStatus.HIRED
        employee = session.scalar(select(Employee).where(Employee.employee_number == "E-77"))
        assert employee is not None
        assert employee.name == SECRET_NAME
    assert gap(factory, org.id, year) == gap_before - 1
