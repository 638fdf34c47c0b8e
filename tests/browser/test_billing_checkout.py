"""An HR manager subscribes in Chromium: our billing page, localstripe's checkout page, back."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.billing.test_localstripe_flow import (  # noqa: F401
    config,
    localstripe_url,
    prices,
    webhooks,
)
from tests.support.axe import assert_accessible
from tests.support.browser import browser_login
from tests.support.localstripe_helpers import set_headcount

#: localstripe signs its webhooks with the machine's time: the app must judge them by it too.
pytestmark = [pytest.mark.browser, pytest.mark.real_clock]
CHECKOUT = "form[action$='/billing/checkout']"
#: How long the webhook may take to arrive: generous, since a slow machine only slows it down.
WEBHOOK_WAIT_S = 60


def test_subscribe_by_clicking_through_checkout(page: Page, factory, webhooks) -> None:  # noqa: F811
    org = factory.org(name="PT Klik Bayar")
    set_headcount(factory, org.id, 450)
    browser_login(page, org.hr_email)
    page.goto("/billing/")
    assert_accessible(page, "billing page with a plan to choose")

    with page.expect_navigation():
        page.locator(f"{CHECKOUT} input[name=interval][value=year] ~ button").click()
    expect(page.get_by_role("heading", name="Checkout (localstripe)")).to_be_visible()
    page.get_by_label("Card number").fill("4242424242424242")
    with page.expect_navigation():
        page.get_by_role("button", name="Pay").click()
    assert "/billing/return?session_id=cs_test_" in page.url

    # The webhook arrives about a second later (more on a busy machine): the billing page then
    # shows the subscription. Once subscribed, it offers no checkout any more, only the portal.
    deadline = time.monotonic() + WEBHOOK_WAIT_S
    page.goto("/billing/")
    while page.locator(CHECKOUT).count() and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        page.goto("/billing/")
    expect(page.locator(CHECKOUT)).to_have_count(0)
    expect(page.locator("form[action$='/billing/portal'] button")).to_be_visible()
    assert_accessible(page, "billing page with an active subscription")
