"""The Stripe webhook: verify, record once, apply in order.

- Verified: `stripe.Webhook.construct_event` checks the HMAC signature and refuses a timestamp
  older than five minutes (replays of captured requests).
- Once: the event id is the primary key of `StripeEvent`, written before anything else, so a
  redelivery (or two deliveries racing) changes nothing the second time.
- In order: Stripe does not guarantee delivery order. Each event carries its `created` time;
  `BillingAccount.state_at` keeps the newest applied, and an older event is recorded as
  `stale` and not applied.
- Unknown customers are recorded and answered 200, so Stripe stops retrying an event we will
  never be able to place; the log says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import stripe
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.billing import BillingAccount, StripeEvent, SubscriptionStatus
from compliance.models.organizations import Organization
from compliance.models.tenancy import Reach, reach_scope
from compliance.services import emails, settings
from compliance.services.audit import record_event
from compliance.services.billing.plans import ACTIVE_STATUSES, UNPAID_STATUSES, grace_ends_at

log = logging.getLogger(__name__)
Handler = Callable[[Session, BillingAccount, dict[str, Any], datetime], str]


class WebhookRejected(Exception):
    """The request is not a genuine, fresh Stripe event (answered 400)."""


def verify(payload: bytes, signature: str | None) -> dict[str, Any]:
    secret = settings().stripe_webhook_secret
    if not secret:
        raise WebhookRejected("billing is not configured")
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise WebhookRejected(str(exc)) from exc
    data: dict[str, Any] = event.to_dict()
    return data


def handle_webhook(session: Session, payload: bytes, signature: str | None) -> str:
    """Verify and process one delivery; returns the outcome recorded for the event."""
    event = verify(payload, signature)
    # Authenticated by its signature, the event is the platform speaking: no tenant to scope by.
    with reach_scope(session, Reach.for_everything()):
        return process_event(session, event)


def _timestamp(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC).replace(tzinfo=None)


def _well_formed(event: dict[str, Any]) -> bool:
    """Signed is not the same as complete: an event without its id, type, time or object is
    acknowledged (Stripe would only send it again) and changes nothing."""
    try:
        data = event["data"]["object"]
        return (
            bool(event["id"])
            and bool(event["type"])
            and int(event["created"]) > 0
            and (hasattr(data, "get"))
        )
    except (KeyError, TypeError, ValueError):
        return False


def process_event(session: Session, event: dict[str, Any]) -> str:
    if not _well_formed(event):
        log.warning("malformed stripe event ignored", extra={"event_id": event.get("id")})
        return "malformed"
    if session.get(StripeEvent, event["id"]) is not None:
        return "duplicate"
    created = _timestamp(event["created"])
    assert created is not None
    record = StripeEvent(id=event["id"], type=event["type"], created=created, outcome="received")
    session.add(record)
    session.flush()  # a concurrent delivery of the same id fails here, before any change
    handler = _handler_for(event["type"])
    obj: dict[str, Any] = event["data"]["object"]
    if handler is None:
        record.outcome = "ignored"
        return record.outcome
    account = _find_account(session, obj)
    if account is None:
        log.warning(
            "stripe event for an unknown customer ignored",
            extra={"event_id": event["id"], "type": event["type"]},
        )
        record.outcome = "unknown_customer"
        return record.outcome
    record.organization_id = account.organization_id
    record.outcome = handler(session, account, obj, created)
    session.flush()
    return record.outcome


def _customer_id(obj: dict[str, Any]) -> str | None:
    customer = obj.get("customer")
    if isinstance(customer, dict):
        customer = customer.get("id")
    return customer if isinstance(customer, str) else None


def _find_account(session: Session, obj: dict[str, Any]) -> BillingAccount | None:
    """The account by Stripe customer, else by the organisation id we put in the metadata."""
    customer = _customer_id(obj)
    if customer is not None:
        account = session.scalar(
            select(BillingAccount).where(BillingAccount.stripe_customer_id == customer)
        )
        if account is not None:
            return account
    raw = (obj.get("metadata") or {}).get("organization_id") or obj.get("client_reference_id")
    if not (isinstance(raw, str) and raw.isdigit()) or customer is None:
        return None
    organization = session.get(Organization, int(raw))
    if organization is None:
        return None
    account = session.scalar(
        select(BillingAccount).where(BillingAccount.organization_id == organization.id)
    )
    if account is None:
        account = BillingAccount(organization_id=organization.id, status=SubscriptionStatus.NONE)
        session.add(account)
    if account.stripe_customer_id not in (None, customer):
        return None  # the organisation pays through another customer: not ours to apply
    account.stripe_customer_id = customer
    return account


def _is_stale(account: BillingAccount, created: datetime) -> bool:
    return account.state_at is not None and created < account.state_at


def _audit(session: Session, account: BillingAccount, action: str, **data: Any) -> None:
    session.flush()
    record_event(session, None, action, account, organization_id=account.organization_id, data=data)


def _checkout_completed(
    session: Session, account: BillingAccount, obj: dict[str, Any], created: datetime
) -> str:
    metadata = obj.get("metadata") or {}
    account.plan = metadata.get("plan") or account.plan
    account.interval = metadata.get("interval") or account.interval
    if isinstance(obj.get("subscription"), str):
        account.stripe_subscription_id = obj["subscription"]
    paid = obj.get("payment_status") == "paid"
    if paid and account.status is SubscriptionStatus.NONE and not _is_stale(account, created):
        # The subscription's own event may come later: a paid checkout already opens the plan.
        account.status = SubscriptionStatus.ACTIVE
        account.state_at = created
    _audit(session, account, "billing.checkout_completed", plan=account.plan)
    return "applied"


def _period_end(obj: dict[str, Any]) -> int | None:
    """Since API 2025-03-31 the period sits on the subscription items (older: on the object)."""
    items = (obj.get("items") or {}).get("data") or []
    if items and items[0].get("current_period_end"):
        return int(items[0]["current_period_end"])
    value = obj.get("current_period_end")
    return int(value) if value else None


def _subscription_changed(
    session: Session, account: BillingAccount, obj: dict[str, Any], created: datetime
) -> str:
    if _is_stale(account, created):
        return "stale"
    try:
        status = SubscriptionStatus(obj.get("status") or "")
    except ValueError:
        return "ignored"
    if account.state_at == created and status is SubscriptionStatus.INCOMPLETE:
        return "stale"  # same second: a later state of the same subscription wins the tie
    current = account.stripe_subscription_id
    if current and obj.get("id") != current and status not in ACTIVE_STATUSES | UNPAID_STATUSES:
        return "ignored"  # the end of an older subscription, replaced by `current`
    metadata = obj.get("metadata") or {}
    account.stripe_subscription_id = obj.get("id")
    account.plan = metadata.get("plan") or account.plan
    account.interval = metadata.get("interval") or account.interval
    account.status = status
    account.current_period_end = _timestamp(_period_end(obj))
    account.cancel_at_period_end = bool(obj.get("cancel_at_period_end"))
    if status in ACTIVE_STATUSES:
        account.payment_failed_at = None
    elif status in UNPAID_STATUSES and account.payment_failed_at is None:
        account.payment_failed_at = created
    account.state_at = created
    _audit(session, account, "billing.subscription_changed", status=status.value)
    return "applied"


def _payment_failed(
    session: Session, account: BillingAccount, obj: dict[str, Any], created: datetime
) -> str:
    if _is_stale(account, created):
        return "stale"
    if account.status not in UNPAID_STATUSES:
        account.status = SubscriptionStatus.PAST_DUE
    if account.payment_failed_at is None:
        account.payment_failed_at = created
    account.state_at = created
    _audit(session, account, "billing.payment_failed")
    ends = grace_ends_at(account)
    emails.send_to_hr_managers(
        session,
        account.organization_id,
        "payment_failed",
        ends_at=ends,
        action_url=emails.site_url("billing.show_billing"),
    )
    return "applied"


def _payment_succeeded(
    session: Session, account: BillingAccount, obj: dict[str, Any], created: datetime
) -> str:
    if _is_stale(account, created):
        return "stale"
    if account.status in UNPAID_STATUSES:
        account.status = SubscriptionStatus.ACTIVE
    if account.payment_failed_at is not None:
        account.payment_failed_at = None
        _audit(session, account, "billing.payment_recovered")
    account.state_at = created
    return "applied"


_HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": _checkout_completed,
    "invoice.payment_failed": _payment_failed,
    "invoice.paid": _payment_succeeded,
    "invoice.payment_succeeded": _payment_succeeded,
}


def _handler_for(event_type: str) -> Handler | None:
    if event_type.startswith("customer.subscription."):
        return _subscription_changed
    return _HANDLERS.get(event_type)
