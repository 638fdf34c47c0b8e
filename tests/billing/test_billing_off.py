"""Billing off (the default): plans are shown, checkout explains that it is not configured."""

from __future__ import annotations

import pytest

from compliance.config import Config
from tests.support.localstripe_helpers import set_headcount
from tests.support.web import login, post_form, text_of


@pytest.fixture
def config(database_url, instance_path) -> Config:
    return Config.for_tests(database_url, instance_path)


def test_plans_are_shown_and_checkout_says_billing_is_not_configured(client, factory):
    org = factory.org()
    set_headcount(factory, org.id, 600)
    login(client, org.hr_email)
    page = text_of(client.get("/billing/"))
    assert "Online payment is not configured on this server." in page
    assert "Enterprise" in page
    response = post_form(
        client, "/billing/checkout", {"plan": "large", "interval": "month"}, token_from="/billing/"
    )
    assert response.status_code == 422
    assert "Billing is not configured on this server" in text_of(response)


def test_the_webhook_refuses_everything_when_billing_is_off(client):
    response = client.post("/billing/webhook", data=b"{}", headers={"Stripe-Signature": "t=1,v1=x"})
    assert response.status_code == 400
