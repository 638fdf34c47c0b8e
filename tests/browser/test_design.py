"""The design system at work, as a person meets it (issue 16, items 1, 2, 5 and 8).

- The regency picker (static/app.js) used by keyboard alone: type to filter, arrow keys,
  Enter adds, Tab reaches each remove button and Enter removes; what is sent is what the
  hidden <select multiple> holds, so the saved account has exactly the regencies left.
- At a phone's width (390 px) the roster, declarations and dashboards fit the screen (no
  sideways scrolling of the page: wide tables scroll inside their own box or stack), and the
  menu opens, and its groups unfold, by keyboard.

The browser speaks Indonesian (`id-ID`), so the page does too; the assertions read names of
regencies and pages, which are the same in both languages, or the structure a screen reader
announces (roles, names), not class names.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from compliance.models import Role, User
from compliance.services.declarations import open_declaration
from tests.browser.test_keyboard import focused, tab_to
from tests.support.axe import assert_accessible
from tests.support.browser import ACCOUNT_MENU, browser_login
from tests.support.clock import last_year
from tests.support.factories import Factory
from tests.support.roster import make_employee

PHONE = {"width": 390, "height": 844}


def _choose(page: Page, typed: str, downs: int) -> None:
    """Type into the picker, move down `downs` options and add the highlighted one."""
    page.keyboard.type(typed)
    for _ in range(downs):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def test_the_regency_picker_works_by_keyboard_alone(page: Page, factory: Factory) -> None:
    admin = factory.user(Role.ADMIN)
    browser_login(page, admin.email)
    page.goto("/admin/users")
    page.locator("#name").fill("Rina Wulandari")
    page.locator("#email").fill("rina@uld-tangerang.example")
    page.locator("#role").select_option("registry_officer")

    picker = page.get_by_role("combobox", name="Kabupaten/kota")  # the label names it
    expect(picker).to_have_attribute("aria-expanded", "false")
    picker.focus()
    page.keyboard.type("tangerang")
    options = page.get_by_role("listbox", name="Kabupaten/kota").get_by_role("option")
    expect(options).to_contain_text(
        ["Kabupaten Tangerang", "Kota Tangerang", "Kota Tangerang Selatan"]
    )
    expect(picker).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    assert_accessible(page, "regency picker with its list open")
    page.keyboard.press("Enter")  # adds Kota Tangerang; the form is not sent
    assert focused(page)["id"] == "regencies"
    _choose(page, "bantul", 1)
    _choose(page, "tangerang sel", 1)

    chosen = page.locator("[data-multi-picker] ul button")
    expect(chosen).to_have_count(3)
    expect(page.get_by_role("status").filter(has_text="Kota Tangerang Selatan")).to_have_count(1)

    # Remove Kota Tangerang: Tab to its button (named "Keluarkan Kota Tangerang"), Enter.
    # Each remove button is a Tab stop of its own; focus then stays among them.
    remove = "Keluarkan Kota Tangerang"
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('aria-label')") == remove:
            break
    expect(page.get_by_role("button", name=remove, exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(chosen).to_have_count(2)
    names = {text.removesuffix("×").strip() for text in chosen.all_inner_texts()}
    assert names == {"Kabupaten Bantul", "Kota Tangerang Selatan"}, names
    assert focused(page)["tag"] == "button"
    assert_accessible(page, "regency picker with two chosen")
    page.locator(ACCOUNT_MENU).click()  # a submenu open on a wide screen (white on brand)
    expect(page.locator(ACCOUNT_MENU)).to_have_attribute("aria-expanded", "true")
    assert_accessible(page, "account menu open")
    page.keyboard.press("Escape")

    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("rina@uld-tangerang.example")
    with factory.session() as session:
        user = session.scalar(select(User).where(User.email == "rina@uld-tangerang.example"))
        assert user is not None
        assert sorted(r.code for r in user.regencies) == ["34.02", "36.74"]


def _fits(page: Page, path: str) -> None:
    __tracebackhide__ = True
    response = page.goto(path)
    assert response is not None, path
    assert response.ok, path
    # USWDS sets `body { overflow-x: hidden }`, which would hide (and cut off) anything too
    # wide instead of widening the page: let it show, then measure.
    width = page.evaluate(
        "() => { document.body.style.overflowX = 'visible';"
        " return document.documentElement.scrollWidth; }"
    )
    assert width <= PHONE["width"], f"{path} is {width}px wide at a {PHONE['width']}px screen"


def test_pages_fit_a_phone_and_the_menu_opens_by_keyboard(page: Page, factory: Factory) -> None:
    org = factory.org(name="PT Layar Kecil Sejahtera Abadi Nusantara")
    for n in range(3):
        make_employee(factory, org.id, number=f"E-{n}", name=f"Karyawan Nomor {n}", details=True)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        open_declaration(session, hr, last_year())

    page.set_viewport_size(PHONE)
    browser_login(page, org.hr_email)
    for path in ("/roster", "/declarations", "/gap", "/dashboard"):
        _fits(page, path)

    # The menu: a Menu button on a phone, the links hidden until it is pressed.
    page.goto("/roster")
    menu_button = page.locator("header .usa-menu-btn")
    expect(menu_button).to_be_visible()
    roster_link = page.locator("header nav a[href$='/roster']")
    expect(roster_link).to_be_hidden()
    tab_to(page, "header .usa-menu-btn")
    page.keyboard.press("Enter")
    nav = page.get_by_role("navigation", name="Menu utama")
    expect(nav).to_be_visible()
    # A group unfolds by keyboard, and its current page is marked as such.
    tab_to(page, "header button[aria-controls='nav-workforce']")
    expect(roster_link).to_be_hidden()
    page.keyboard.press("Enter")
    expect(page.locator("header button[aria-controls='nav-workforce']")).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(roster_link).to_be_visible()
    expect(roster_link).to_have_attribute("aria-current", "page")
    assert_accessible(page, "menu open on a phone")
    tab_to(page, "header nav a[href$='/roster']")
    page.keyboard.press("Escape")  # closes the menu
    expect(nav).to_be_hidden()

    page.context.clear_cookies()
    browser_login(page, inspector.email)
    _fits(page, f"/inspections/organizations/{org.id}")
    _fits(page, "/inspections")
    _fits(page, "/dashboard")
