"""The whole subscription flow against localstripe: checkout, webhooks, the portal, cancellation.

The app is served on loopback so localstripe can deliver its signed webhooks to it; the test
waits for our database to follow, as a user would wait for the page to change.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import pytest
import stripe
from sqlalchemy import select

from compliance.config import Config
from compliance.models.billing import BillingAccount, StripeEvent, SubscriptionStatus
from tests.browser.conftest import live_base_url, live_server  # noqa: F401  (served on loopback)
from tests.support.localstripe_helpers import (
    API_KEY,
    WEBHOOK_SECRET,
    localstripe_answers,
    register_webhook,
    set_headcount,
    start_localstripe,
    stop_localstripe,
)
from tests.support.web import login, post_form, text_of

#: localstripe signs its webhooks with the machine's time: the app must judge them by it too.
pytestmark = pytest.mark.real_clock


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    """The fake Stripe server; started here (and stopped after) unless scripts/test runs one."""
    was_running = localstripe_answers()
    yield start_localstripe()
    if not was_running:
        stop_localstripe()


@pytest.fixture(scope="session")
def prices(localstripe_url) -> dict[str, str]:
    client = stripe.StripeClient(API_KEY, base_addresses={"api": localstripe_url})
    found = {}
    for interval, amount in (("month", 750_000), ("year", 7_500_000)):
        price = client.v1.prices.create(
            params={
                "unit_amount": amount,
                "currency": "idr",
                "recurring": {"interval": interval},
                "product_data": {"name": "Kuota Inklusi Medium"},
            }
        )
        found[f"medium:{interval}"] = price.id
    return found


@pytest.fixture
def config(database_url, instance_path, localstripe_url, prices, live_base_url) -> Config:  # noqa: F811
    return Config.for_tests(
        database_url,
        instance_path,
        base_url=live_base_url,  # Stripe's return pages lead back to the live server
        stripe_secret_key=API_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_api_base=localstripe_url,
        stripe_prices=prices,
    )


@pytest.fixture
def webhooks(live_server, localstripe_url) -> Iterator[str]:  # noqa: F811
    """localstripe's webhooks go to the served app for the test, and nowhere after it: events
    still on their way (they leave a second late) must not reach a server being shut down."""
    register_webhook(localstripe_url, f"{live_server}/billing/webhook")
    yield live_server
    register_webhook(localstripe_url, "http://127.0.0.1:9/closed")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_page(url: str, data: bytes = b"") -> tuple[int, str]:
    """Submit a form on localstripe's page as a browser would; returns (status, Location)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=data), timeout=10) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def _wait_for(factory, org_id: int, done: Callable[[BillingAccount], bool]) -> BillingAccount:
    deadline = time.monotonic() + 60  # generous: a busy machine delays the webhooks
    while True:
        with factory.session() as session:
            account = session.scalar(
                select(BillingAccount).where(BillingAccount.organization_id == org_id)
            )
            if account is not None and done(account):
                session.expunge(account)
                return account
            seen = None if account is None else (account.status, account.plan)
        if time.monotonic() > deadline:
            pytest.fail(f"the webhooks did not arrive; the account is {seen}")
        time.sleep(0.2)


def test_subscribe_through_checkout_then_cancel_in_the_portal(
    client, factory, webhooks, localstripe_url
):
    org = factory.org(name="PT Langganan", other_regencies=("31.72", "31.73"))
    set_headcount(factory, org.id, 250)
    login(client, org.hr_email)

    response = post_form(
        client, "/billing/checkout", {"plan": "medium", "interval": "month"}, token_from="/billing/"
    )
    assert response.status_code == 303
    checkout_url = response.headers["Location"]
    assert "/pay/cs_test_" in checkout_url

    status, back_to = _post_page(checkout_url, b"card=4242424242424242")
    assert status == 303
    assert "/billing/return?session_id=cs_test_" in back_to

    # Events arrive in no set order: wait until the subscription's period has come too.
    account = _wait_for(
        factory,
        org.id,
        lambda a: a.status is SubscriptionStatus.ACTIVE and a.current_period_end is not None,
    )
    assert (account.plan, account.interval) == ("medium", "month")
    assert account.stripe_subscription_id.startswith("sub_")
    assert account.current_period_end is not None
    page = text_of(client.get("/billing/"))
    assert "Medium · active" in page
    # A paid feature is open now: a fourth establishment.
    fourth = {"name": "Cabang Bandung", "regency_code": "32.73", "address": ""}
    assert post_form(client, "/establishments/new", fourth).status_code == 302

    response = post_form(client, "/billing/portal", {}, token_from="/billing/")
    assert response.status_code == 303
    with urllib.request.urlopen(response.headers["Location"], timeout=10) as opened:  # noqa: S310
        portal = opened.read().decode()
    cancel = re.search(r'action="(/portal/[^"]+/cancel/[^"]+)"', portal)
    assert cancel, portal
    status, back_to = _post_page(localstripe_url + cancel.group(1))
    assert (status, back_to.endswith("/billing/")) == (303, True)

    _wait_for(factory, org.id, lambda a: a.status is SubscriptionStatus.CANCELED)
    with factory.session() as session:
        outcomes = dict(session.execute(select(StripeEvent.type, StripeEvent.outcome)).all())
    assert outcomes["checkout.session.completed"] == "applied"
    assert outcomes["customer.subscription.deleted"] == "applied"


def test_a_declined_card_completes_nothing(client, factory, webhooks):
    org = factory.org(name="PT Kartu Ditolak")
    set_headcount(factory, org.id, 300)
    login(client, org.hr_email)
    response = post_form(
        client, "/billing/checkout", {"plan": "medium", "interval": "year"}, token_from="/billing/"
    )
    status, _ = _post_page(response.headers["Location"], b"card=4000000000000341")
    assert status == 402
    with factory.session() as session:
        account = session.scalar(select(BillingAccount))
        assert account.stripe_customer_id.startswith("cus_")
        assert account.status is SubscriptionStatus.NONE
