"""Helpers for driving the app in headless Chromium (see tests/browser/conftest.py)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.support.factories import PASSWORD

LOGOUT_BUTTON = "form[action$='/logout'] button[type=submit]"
#: The menu group that holds Password and Log out; its button names the person logged in.
ACCOUNT_MENU = "header button[aria-controls='nav-account']"


def browser_login(page: Page, email: str, password: str = PASSWORD) -> None:
    """Log in through the login form and wait until the logged-in page is shown."""
    __tracebackhide__ = True
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    with page.expect_navigation():
        page.locator("#password").press("Enter")
    errors = page.locator(".error-summary, .flash-error")
    if errors.count():
        raise AssertionError(f"login as {email} failed: {errors.first.inner_text()}")
    # Log out sits in the account menu, behind its button: there, not necessarily shown.
    expect(page.locator(LOGOUT_BUTTON)).to_be_attached()


def browser_logout(page: Page) -> None:
    """Open the account menu and press Log out, as a person would."""
    __tracebackhide__ = True
    page.locator(ACCOUNT_MENU).click()
    with page.expect_navigation():
        page.locator(LOGOUT_BUTTON).click()
