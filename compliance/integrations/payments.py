"""Stripe, the payment service: the one module that calls its API.

Services (`services.billing`) decide what to ask for and record what happened; this module only
talks to Stripe, with the key and (in development and tests) the base address from the settings,
so a local fake (localstripe) answers instead. Every failure to reach Stripe or a refusal by it
is one exception, `PaymentServiceFailed`: the caller tells the user nothing was charged.
Verifying a webhook's signature needs no network and stays with the webhook service.
"""

from __future__ import annotations

from collections.abc import Mapping

import stripe

from compliance.config import Config


class PaymentServiceFailed(RuntimeError):
    """Stripe could not be reached, or refused the request."""


def _client(config: Config) -> stripe.StripeClient:
    if config.stripe_api_base:
        return stripe.StripeClient(
            config.stripe_secret_key,
            base_addresses={"api": config.stripe_api_base},
            max_network_retries=0,
        )
    return stripe.StripeClient(config.stripe_secret_key)


def create_customer(config: Config, *, name: str, email: str, organization_id: int) -> str:
    """A Stripe customer for the organisation; its id."""
    try:
        customer = _client(config).v1.customers.create(
            params={
                "name": name,
                "email": email,
                "metadata": {"organization_id": str(organization_id)},
            }
        )
    except stripe.StripeError as exc:
        raise PaymentServiceFailed(str(exc)) from exc
    return customer.id


def create_checkout(
    config: Config,
    *,
    customer_id: str,
    price: str,
    organization_id: int,
    metadata: Mapping[str, str],
    success_url: str,
    cancel_url: str,
) -> str | None:
    """A Checkout Session for a subscription to `price`; the address of its page."""
    try:
        checkout = _client(config).v1.checkout.sessions.create(
            params={
                "mode": "subscription",
                "customer": customer_id,
                "line_items": [{"price": price, "quantity": 1}],
                "client_reference_id": str(organization_id),
                "metadata": dict(metadata),
                "subscription_data": {"metadata": dict(metadata)},
                "success_url": success_url,
                "cancel_url": cancel_url,
            }
        )
    except stripe.StripeError as exc:
        raise PaymentServiceFailed(str(exc)) from exc
    return checkout.url


def create_portal(config: Config, *, customer_id: str, return_url: str) -> str:
    """A Billing Portal session (change the card, cancel); the address of its page."""
    try:
        portal = _client(config).v1.billing_portal.sessions.create(
            params={"customer": customer_id, "return_url": return_url}
        )
    except stripe.StripeError as exc:
        raise PaymentServiceFailed(str(exc)) from exc
    return portal.url
