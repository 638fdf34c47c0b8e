"""Billing tests run with billing configured: a webhook secret, and prices on the fake Stripe."""

from __future__ import annotations

import pytest

from compliance.config import Config
from tests.support.localstripe_helpers import API_KEY, WEBHOOK_SECRET

PRICES = {"medium:month": "price_medium_month", "medium:year": "price_medium_year"}


@pytest.fixture
def config(database_url, instance_path) -> Config:
    return Config.for_tests(
        database_url,
        instance_path,
        stripe_secret_key=API_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        # Nothing listens here: offline tests must never reach a Stripe server.
        stripe_api_base="http://127.0.0.1:9",
        stripe_prices=PRICES,
    )


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
