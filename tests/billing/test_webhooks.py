"""The Stripe webhook with locally signed payloads: no network, every bad input."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from compliance.models import AuditEvent
from compliance.models.billing import BillingAccount, StripeEvent, SubscriptionStatus
from tests.support.localstripe_helpers import event, post_event, set_headcount, sign, subscription
from tests.support.mail import sent_mails
from tests.support.web import login, text_of

CUSTOMER = "cus_test_known"


@pytest.fixture
def org(factory):
    org = factory.org(name="PT Besar Sekali")
    set_headcount(factory, org.id, 250)
    with factory.session() as session:
        session.add(BillingAccount(organization_id=org.id, stripe_customer_id=CUSTOMER))
    return org


def _account(factory, org) -> BillingAccount:
    with factory.session() as session:
        account = session.scalar(
            select(BillingAccount).where(BillingAccount.organization_id == org.id)
        )
        session.expunge(account)
        return account


def _count(factory, model) -> int:
    with factory.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def _now() -> int:
    return int(time.time())


def test_a_valid_event_updates_the_subscription(client, factory, org):
    payload = event(
        "customer.subscription.created", subscription(CUSTOMER, "active"), created=_now()
    )
    response = post_event(client, payload)
    assert response.status_code == 200
    assert response.json["outcome"] == "applied"
    account = _account(factory, org)
    assert account.status is SubscriptionStatus.ACTIVE
    assert account.plan == "medium"
    assert account.stripe_subscription_id == "sub_test_1"


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(lambda p: sign(p, secret="whsec_someone_else"), id="wrong-secret"),
        pytest.param(lambda p: sign(p, timestamp=int(time.time()) - 3600), id="stale-timestamp"),
        pytest.param(lambda p: "t=garbled", id="garbled-header"),
        pytest.param(lambda p: "", id="missing-header"),
    ],
)
def test_a_tampered_or_replayed_request_is_refused_and_changes_nothing(
    client, factory, org, signature
):
    payload = event(
        "customer.subscription.created", subscription(CUSTOMER, "active"), created=_now()
    )
    response = post_event(client, payload, signature(payload))
    assert response.status_code == 400
    assert _count(factory, StripeEvent) == 0
    assert _account(factory, org).status is SubscriptionStatus.NONE


def test_a_changed_body_under_a_valid_signature_is_refused(client, factory, org):
    payload = event(
        "customer.subscription.created", subscription(CUSTOMER, "active"), created=_now()
    )
    header = sign(payload)
    tampered = payload.replace(b'"active"', b'"trialing"')
    assert post_event(client, tampered, header).status_code == 400
    assert _account(factory, org).status is SubscriptionStatus.NONE


def test_the_same_event_twice_is_processed_once(client, factory, org, outbox):
    payload = event("invoice.payment_failed", {"customer": CUSTOMER}, created=_now())
    first = post_event(client, payload)
    events_after_first = _count(factory, AuditEvent)
    second = post_event(client, payload)
    assert (first.json["outcome"], second.json["outcome"]) == ("applied", "duplicate")
    assert _count(factory, AuditEvent) == events_after_first
    assert _count(factory, StripeEvent) == 1
    assert len(list(outbox.glob("*.eml"))) == 1


def test_an_older_event_arriving_late_does_not_undo_a_newer_one(client, factory, org):
    now = _now()
    newer = event("customer.subscription.updated", subscription(CUSTOMER, "active"), created=now)
    older = event(
        "customer.subscription.created", subscription(CUSTOMER, "incomplete"), created=now - 60
    )
    assert post_event(client, newer).json["outcome"] == "applied"
    assert post_event(client, older).json["outcome"] == "stale"
    assert _account(factory, org).status is SubscriptionStatus.ACTIVE


def test_a_late_payment_failure_does_not_reopen_a_settled_invoice(client, factory, org, outbox):
    now = _now()
    post_event(client, event("invoice.paid", {"customer": CUSTOMER}, created=now))
    late = event("invoice.payment_failed", {"customer": CUSTOMER}, created=now - 30)
    assert post_event(client, late).json["outcome"] == "stale"
    assert _account(factory, org).payment_failed_at is None
    assert list(outbox.glob("*.eml")) == []


def test_an_event_for_an_unknown_customer_is_recorded_and_ignored(client, factory, org, caplog):
    payload = event(
        "customer.subscription.created", subscription("cus_nobody", "active"), created=_now()
    )
    response = post_event(client, payload)
    assert response.status_code == 200
    assert response.json["outcome"] == "unknown_customer"
    with factory.session() as session:
        recorded = session.scalars(select(StripeEvent)).one()
        assert (recorded.outcome, recorded.organization_id) == ("unknown_customer", None)
    assert "unknown customer" in caplog.text
    assert _account(factory, org).status is SubscriptionStatus.NONE


def test_an_event_type_we_do_not_follow_is_recorded_as_ignored(client, factory, org):
    payload = event("charge.refunded", {"customer": CUSTOMER}, created=_now())
    assert post_event(client, payload).json["outcome"] == "ignored"


def test_checkout_completed_links_the_subscription_found_by_metadata(client, factory):
    other = factory.org(name="PT Baru Bayar")
    checkout = {
        "object": "checkout.session",
        "customer": "cus_made_in_checkout",
        "subscription": "sub_from_checkout",
        "payment_status": "paid",
        "client_reference_id": str(other.id),
        "metadata": {"organization_id": str(other.id), "plan": "large", "interval": "year"},
    }
    assert (
        post_event(client, event("checkout.session.completed", checkout, created=_now())).json[
            "outcome"
        ]
        == "applied"
    )
    account = _account(factory, other)
    assert (account.stripe_customer_id, account.stripe_subscription_id) == (
        "cus_made_in_checkout",
        "sub_from_checkout",
    )
    assert (account.plan, account.interval) == ("large", "year")
    assert account.status is SubscriptionStatus.ACTIVE  # paid: open before the subscription event


def test_a_failed_payment_shows_a_banner_and_mails_the_hr_manager(client, factory, org, outbox):
    post_event(
        client,
        event(
            "customer.subscription.created", subscription(CUSTOMER, "active"), created=_now() - 10
        ),
    )
    post_event(client, event("invoice.payment_failed", {"customer": CUSTOMER}, created=_now()))
    mails = sent_mails(outbox)
    assert len(mails) == 1
    assert mails[0].to == org.hr_email
    assert "/billing/" in mails[0].text

    login(client, org.hr_email)
    page = text_of(client.get("/establishments"))
    assert "The last payment for your subscription failed." in page
    assert "Paid features stay open until" in page

    post_event(client, event("invoice.paid", {"customer": CUSTOMER}, created=_now() + 1))
    assert "The last payment for your subscription failed." not in text_of(
        client.get("/establishments")
    )
    assert _account(factory, org).status is SubscriptionStatus.ACTIVE


def test_the_end_of_a_replaced_subscription_does_not_cancel_the_new_one(client, factory, org):
    now = _now()
    post_event(
        client,
        event(
            "customer.subscription.created",
            subscription(CUSTOMER, "active", id="sub_new"),
            created=now - 5,
        ),
    )
    old_end = event(
        "customer.subscription.deleted",
        subscription(CUSTOMER, "canceled", id="sub_old"),
        created=now,
    )
    assert post_event(client, old_end).json["outcome"] == "ignored"
    account = _account(factory, org)
    assert (account.stripe_subscription_id, account.status) == (
        "sub_new",
        SubscriptionStatus.ACTIVE,
    )


@pytest.mark.parametrize(
    "body",
    [
        {"id": "evt_no_data", "type": "customer.subscription.updated", "created": 1},
        {"id": "evt_null", "type": "customer.subscription.updated", "created": 1, "data": None},
        {"type": "customer.subscription.updated", "created": 1, "data": {"object": {}}},
    ],
    ids=["no-data", "null-data", "no-id"],
)
def test_a_signed_but_incomplete_event_is_acknowledged_and_changes_nothing(client, factory, body):
    """Signed is not complete: such an event was a 500 (and Stripe retries those for days)."""
    payload = json.dumps(body).encode()
    response = post_event(client, payload)
    assert response.status_code == 200
    assert response.json["outcome"] == "malformed"
    assert _count(factory, StripeEvent) == 0
