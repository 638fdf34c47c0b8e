"""Billing off (the default): plans are shown for information, nothing can be paid, and the
page says so instead of offering buttons that fail."""

from __future__ import annotations

import re

import pytest

from compliance.config import Config
from compliance.models.billing import BillingAccount, SubscriptionStatus
from tests.support.localstripe_helpers import set_headcount
from tests.support.web import login, post_form, text_of

PAYMENTS_OFF = "Payments are not set up on this server; nothing can be paid here yet."


@pytest.fixture
def config(database_url, instance_path) -> Config:
    return Config.for_tests(database_url, instance_path)


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _buttons(page: str, label: str) -> list[str]:
    return re.findall(rf"<button[^>]*>{label}", page)


def test_the_pay_buttons_are_disabled_and_say_why(client, factory):
    org = factory.org()
    set_headcount(factory, org.id, 600)
    login(client, org.hr_email)
    page = text_of(client.get("/billing/"))
    assert '<p class="notice" id="payments-off">' + PAYMENTS_OFF in page
    assert "Enterprise" in page
    for label in ("Pay monthly", "Pay yearly"):
        (button,) = _buttons(page, label)
        assert " disabled" in button
        assert 'aria-describedby="payments-off"' in button
    assert "/billing/checkout" not in page


@pytest.mark.parametrize(
    ("path", "data"),
    [("/billing/checkout", {"plan": "large", "interval": "month"}), ("/billing/portal", {})],
)
def test_a_payment_posted_anyway_gets_the_explanation(client, factory, path, data):
    org = factory.org()
    set_headcount(factory, org.id, 600)
    login(client, org.hr_email)
    response = post_form(client, path, data, token_from="/billing/")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/billing/")
    page = text_of(client.get("/billing/"))
    assert re.search(r"Note:</strong>\s*" + re.escape(PAYMENTS_OFF), page)
    assert "Error:" not in page


def test_the_portal_button_is_disabled_too(client, factory):
    org = factory.org()
    set_headcount(factory, org.id, 600)
    with factory.session() as session:
        session.add(
            BillingAccount(
                organization_id=org.id,
                plan="large",
                status=SubscriptionStatus.ACTIVE,
                stripe_customer_id="cus_test",
            )
        )
    login(client, org.hr_email)
    page = text_of(client.get("/billing/"))
    (button,) = _buttons(page, "Manage the subscription")
    assert " disabled" in button
    assert "/billing/portal" not in page


def test_the_webhook_refuses_everything_when_billing_is_off(client):
    response = client.post("/billing/webhook", data=b"{}", headers={"Stripe-Signature": "t=1,v1=x"})
    assert response.status_code == 400
