"""Helpers for driving the app in headless Chromium (see tests/browser/conftest.py)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.support.factories import PASSWORD

LOGOUT_BUTTON = "form[action$='/logout'] button[type=submit]"


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
    expect(page.locator(LOGOUT_BUTTON)).to_be_visible()
