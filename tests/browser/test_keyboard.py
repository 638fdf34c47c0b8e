"""Keyboard-only use: sign up, log out and log in again with Tab, typing, Enter and Space.

No clicks and no filling by selector: the tests press keys and read `document.activeElement`
to know where focus is, as a screen-reader or switch user would. Every Tab stop must show a
visible focus indicator.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.browser import ACCOUNT_MENU, LOGOUT_BUTTON
from tests.support.mail import sent_mails

MAX_TAB_STOPS = 40
MAX_OPTIONS = 30
#: How long a page reached at #main may take to focus the main content itself.
FRAGMENT_FOCUS_MS = 5_000
FOCUS_ON_MAIN = "() => document.activeElement && document.activeElement.id === 'main'"
ORGANIZATION = "PT Papan Ketik Nusantara"
EMAIL = "dewi@papanketik.example.com"
PASSWORD = "tiga kata rahasia"


def focused(page: Page) -> dict[str, str]:
    """What has focus, and how it is drawn."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {
            tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
            type: el.getAttribute('type') || '', href: el.getAttribute('href') || '',
            value: 'value' in el ? String(el.value) : '', text: el.innerText || '',
            outline: style.outlineStyle === 'none' ? 'none' : style.outlineWidth,
            shadow: style.boxShadow,
          };
        }"""
    )


def assert_focus_visible(page: Page) -> None:
    __tracebackhide__ = True
    element = focused(page)
    visible = element["outline"] not in {"none", "0px"} or element["shadow"] != "none"
    assert visible, f"focus is not visible on {element}"


def tab(page: Page) -> dict[str, str]:
    """Press Tab; check the focus is visible unless it left the page for the browser's own
    controls (after the last Tab stop), where the next Tab comes back to the first."""
    page.keyboard.press("Tab")
    element = focused(page)
    if element["tag"] != "body":
        assert_focus_visible(page)
    return element


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching `selector` has focus."""
    __tracebackhide__ = True
    stops = []
    for _ in range(MAX_TAB_STOPS):
        stops.append(tab(page))
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    path = "\n".join(f"  {s['tag']}#{s['id']} {s['href'] or s['text'][:30]}" for s in stops)
    raise AssertionError(f"Tab never reached {selector}; focus went through:\n{path}")


def type_into(page: Page, field_id: str, text: str) -> None:
    """Tab to the next field, check it is the expected one, and type."""
    __tracebackhide__ = True
    element = tab(page)
    assert element["id"] == field_id, f"expected focus on #{field_id}, not {element}"
    page.keyboard.type(text)


def wait_for_path(page: Page, path: str) -> None:
    # Not a glob on the URL: a fragment (#main, from the skip link) survives redirects.
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def skip_to_main(page: Page) -> None:
    """The skip link is the first Tab stop; Enter moves focus to the main content.

    A page reached from a form without an action (it posts to its own URL, #main included, once
    the skip link was used) keeps #main through the redirect: the browser then focuses the main
    content itself, and there is nothing to skip."""
    __tracebackhide__ = True
    page.wait_for_load_state("load")
    if urlsplit(page.url).fragment == "main":
        try:  # the browser moves focus to the fragment's target as the page settles
            page.wait_for_function(FOCUS_ON_MAIN, timeout=FRAGMENT_FOCUS_MS)
            return
        except PlaywrightTimeoutError:
            pass  # it did not: go through the skip link as on any page
    element = tab(page)
    assert (element["tag"], element["href"]) == ("a", "#main"), element
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"


def choose(page: Page, selector: str, value: str) -> None:
    """Tab to a select and move through its options with the arrow keys until `value`."""
    __tracebackhide__ = True
    tab_to(page, selector)
    page.keyboard.press("Home")
    for _ in range(MAX_OPTIONS):
        if focused(page)["value"] == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{selector} has no option {value!r}")


def press_on(page: Page, selector: str, key: str = "Enter") -> None:
    """Tab to a control and press a key on it."""
    tab_to(page, selector)
    page.keyboard.press(key)


def tick(page: Page, name: str, values: set[str]) -> None:
    """Tab through a group of checkboxes in page order, ticking `values` with Space."""
    order = page.locator(f"input[name={name}]").evaluate_all("els => els.map(e => e.value)")
    for value in [v for v in order if v in values]:
        press_on(page, f"input[name={name}][value={value}]", "Space")
        assert page.locator(f"input[name={name}][value={value}]").is_checked()


def wait_for_path_like(page: Page, pattern: str) -> None:
    """Wait for a path matching `pattern` whole (the skip link's #main may follow it)."""
    page.wait_for_url(lambda url: re.fullmatch(pattern, urlsplit(url).path) is not None)


def sign_up_with_the_keyboard(page: Page, outbox: Path) -> None:
    """Sign up as a new private company's HR manager and confirm the mailed link, by keyboard;
    ends on the HR home."""
    page.goto("/")
    skip_to_main(page)
    tab_to(page, "main a[href$='/signup']")
    page.keyboard.press("Enter")
    wait_for_path(page, "/signup")

    skip_to_main(page)
    type_into(page, "organization_name", ORGANIZATION)
    type_into(page, "nib", "1234567890123")
    type_into(page, "npwp", "01.234.567.8-901.000")
    assert tab(page)["id"] == "sector"
    for _ in range(page.locator("#sector option").count()):
        if focused(page)["value"] == "private":
            break
        page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "private"
    assert tab(page)["id"] == "regency"  # a combo box: type to filter, arrow to choose, Enter
    page.keyboard.type("Kota Tangerang")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "regency"
    expect(page.locator("#regency")).to_have_value("Kota Tangerang")
    expect(page.locator("select[name=regency]")).to_have_value("36.71")
    tab_to(page, "#name")  # past the combo box's clear button
    page.keyboard.type("Dewi Lestari")
    type_into(page, "email", EMAIL)
    type_into(page, "password", PASSWORD)
    type_into(page, "password_confirm", PASSWORD)
    assert tab(page)["type"] == "submit"
    page.keyboard.press("Enter")
    wait_for_path(page, "/signup/sent")

    # The mailed link, opened as from the mail program; its button finishes the sign-up.
    (mail,) = sent_mails(outbox)
    body = mail.text
    link = re.search(r"https?://\S+(/signup/confirm/\S+)", body)
    assert link, body
    page.goto(link.group(1))
    skip_to_main(page)
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")

    wait_for_path(page, "/dashboard")  # the HR home, with the onboarding checklist
    expect(page.locator("h1")).to_contain_text(ORGANIZATION)


def test_sign_up_log_out_and_log_in_with_the_keyboard_only(page: Page, outbox: Path) -> None:
    sign_up_with_the_keyboard(page, outbox)

    tab_to(page, ACCOUNT_MENU)
    page.keyboard.press("Enter")  # opens the account menu: Password, Log out
    tab_to(page, LOGOUT_BUTTON)
    page.keyboard.press("Space")
    wait_for_path(page, "/login")
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)

    tab_to(page, "#email")
    page.keyboard.type(EMAIL)
    type_into(page, "password", PASSWORD)
    page.keyboard.press("Enter")
    wait_for_path(page, "/dashboard")  # an HR manager's home: where the organisation stands
    expect(page.locator("h1")).to_contain_text(ORGANIZATION)
    expect(page.locator(LOGOUT_BUTTON)).to_be_attached()


def test_invalid_sign_up_by_keyboard_explains_each_error_at_its_field(page: Page) -> None:
    page.goto("/signup")
    skip_to_main(page)
    type_into(page, "organization_name", ORGANIZATION)
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")

    summary = page.locator(".error-summary[role=alert]")
    expect(summary).to_be_visible()
    links = summary.locator("a")
    errors = page.locator("main .usa-error-message")
    assert errors.count() >= 5  # every required field left empty
    assert links.count() == errors.count()
    for error in errors.all():
        error_id = error.get_attribute("id") or ""
        assert error.inner_text().strip(), error_id
        field = page.locator(f"#{error_id.removesuffix('-error')}")
        assert error_id in (field.get_attribute("aria-describedby") or "").split()
        assert field.get_attribute("aria-invalid") == "true"
    assert page.locator("#organization_name").get_attribute("aria-invalid") is None
    expect(page.locator("#organization_name")).to_have_value(ORGANIZATION)

    # The summary's first link takes keyboard focus to the field it names.
    first_target = (links.first.get_attribute("href") or "").removeprefix("#")
    tab_to(page, ".error-summary a")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == first_target
