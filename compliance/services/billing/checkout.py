"""Starting a Stripe Checkout Session and opening the Billing Portal.

We create the Stripe customer ourselves, before the checkout, and keep its id: every later
webhook (whatever order it arrives in) then names a customer we already know. Billing is off
until `STRIPE_SECRET_KEY` is set; the plans are still shown, and payments are refused with
`PAYMENTS_OFF` (a plain sentence, never an error page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from compliance.integrations import payments
from compliance.integrations.payments import PaymentServiceFailed
from compliance.models.accounts import User
from compliance.models.billing import BillingAccount, SubscriptionStatus
from compliance.models.organizations import Organization
from compliance.services import ServiceError, settings
from compliance.services.audit import record_event
from compliance.services.billing.plans import (
    ACTIVE_STATUSES,
    INTERVALS,
    Plan,
    Workforce,
    billing_account,
    grace_ends_at,
    has_paid_access,
    headcount,
    is_free,
    plan_for_headcount,
    plan_named,
    workforce,
)
from compliance.services.policy import own_organization_id


def own_organization(session: Session, actor: User) -> Organization:
    organization_id = own_organization_id(
        actor, _("Only the organisation's HR managers manage its subscription.")
    )
    organization = session.get(Organization, organization_id)
    assert organization is not None  # the actor's own organisation always exists
    return organization


#: What the billing page and a refused payment say while billing is off.
PAYMENTS_OFF = _l("Payments are not set up on this server; nothing can be paid here yet.")


def billing_enabled() -> bool:
    return bool(settings().stripe_secret_key)


@dataclass(frozen=True)
class BillingOverview:
    """What the billing page shows an HR manager."""

    organization: Organization
    #: The quota's workforce the plan is sized by (None before any figures).
    workforce: Workforce | None
    is_free: bool
    band: Plan | None
    account: BillingAccount | None
    has_paid_access: bool
    grace_ends_at: datetime | None
    billing_enabled: bool

    @property
    def plan(self) -> Plan | None:
        return plan_named(self.account.plan) if self.account and self.account.plan else None

    @property
    def is_subscribed(self) -> bool:
        return self.account is not None and self.account.status in ACTIVE_STATUSES


def billing_overview(session: Session, actor: User) -> BillingOverview:
    organization = own_organization(session, actor)
    account = billing_account(session, organization.id)
    counted = workforce(session, organization)
    return BillingOverview(
        organization=organization,
        workforce=counted,
        is_free=is_free(session, organization),
        band=plan_for_headcount(counted.workers if counted else None),
        account=account,
        has_paid_access=has_paid_access(account),
        grace_ends_at=grace_ends_at(account) if account else None,
        billing_enabled=billing_enabled(),
    )


def _require_enabled() -> None:
    if not billing_enabled():
        raise ServiceError(str(PAYMENTS_OFF))


def _stripe_failed(exc: PaymentServiceFailed) -> ServiceError:
    return ServiceError(
        _("The payment service could not be reached. Nothing was charged; try again later.")
    )


def _account_for(session: Session, organization: Organization) -> BillingAccount:
    account = billing_account(session, organization.id)
    if account is None:
        account = BillingAccount(organization_id=organization.id, status=SubscriptionStatus.NONE)
        session.add(account)
    return account


def start_checkout(
    session: Session,
    actor: User,
    plan_key: str,
    interval: str,
    *,
    success_url: str,
    cancel_url: str,
) -> str:
    """Create a Checkout Session for the organisation's plan; returns the URL to go to."""
    organization = own_organization(session, actor)
    _require_enabled()
    plan = plan_named(plan_key)
    if interval not in INTERVALS:
        raise ServiceError(_("Choose monthly or yearly payment."), field="interval")
    if is_free(session, organization):
        raise ServiceError(_("Your organisation uses Kuota Inklusi free: no subscription needed."))
    band = plan_for_headcount(headcount(session, organization))
    if band is not None and band.key != plan.key:
        raise ServiceError(
            _("For your organisation's headcount, choose the %(plan)s plan.", plan=band.name),
            field="plan",
        )
    account = _account_for(session, organization)
    if account.status in ACTIVE_STATUSES:
        raise ServiceError(_("Your organisation already has a subscription."))
    price = settings().stripe_prices.get(f"{plan.key}:{interval}")
    if not price:
        raise ServiceError(_("This plan cannot be paid online yet. Please contact us."))
    config = settings()
    metadata = {"organization_id": str(organization.id), "plan": plan.key, "interval": interval}
    try:
        if account.stripe_customer_id is None:
            account.stripe_customer_id = payments.create_customer(
                config, name=organization.name, email=actor.email, organization_id=organization.id
            )
        checkout_url = payments.create_checkout(
            config,
            customer_id=account.stripe_customer_id,
            price=price,
            organization_id=organization.id,
            metadata=metadata,
            success_url=success_url,
            cancel_url=cancel_url,
        )
    except PaymentServiceFailed as exc:
        raise _stripe_failed(exc) from exc
    session.flush()
    record_event(
        session,
        actor,
        "billing.checkout_started",
        account,
        organization_id=organization.id,
        data={"plan": plan.key, "interval": interval},
    )
    if not checkout_url:
        raise ServiceError(_("The payment service did not return a checkout page."))
    return checkout_url


def start_portal(session: Session, actor: User, return_url: str) -> str:
    """A Billing Portal session where the HR manager changes the card or cancels."""
    organization = own_organization(session, actor)
    _require_enabled()
    account = billing_account(session, organization.id)
    if account is None or account.stripe_customer_id is None:
        raise ServiceError(_("Your organisation has no subscription to manage yet."))
    try:
        return payments.create_portal(
            settings(), customer_id=account.stripe_customer_id, return_url=return_url
        )
    except PaymentServiceFailed as exc:
        raise _stripe_failed(exc) from exc
