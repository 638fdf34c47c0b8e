"""Billing state: one subscription row per organisation, and every Stripe event we received.

Stripe is the source of truth for payments; `BillingAccount` is our copy, kept up to date by
webhooks. `state_at` is the Stripe `created` time of the newest event applied, so an older
event arriving late (Stripe guarantees no order) never overwrites a newer state. `StripeEvent`
makes each event id processed once: a replay finds its row and changes nothing.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.clock import utcnow
from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import (
    Organization,
    OrganizationScoped,
    enum_column,
)


class SubscriptionStatus(enum.StrEnum):
    """Stripe's subscription statuses, plus `none` before any checkout."""

    NONE = "none"
    INCOMPLETE = "incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired"
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELED = "canceled"
    UNPAID = "unpaid"
    PAUSED = "paused"


class BillingAccount(OrganizationScoped, CreatedAtMixin, Base):
    """An organisation's Stripe customer and its subscription, as the webhooks last told us."""

    __tablename__ = "billing_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    stripe_customer_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(100), index=True)
    #: The plan key in `services.billing.plans.PLANS`, and "month" or "year".
    plan: Mapped[str | None] = mapped_column(String(40))
    interval: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[SubscriptionStatus] = mapped_column(
        enum_column(SubscriptionStatus, "subscription_status"),
        default=SubscriptionStatus.NONE,
        nullable=False,
    )
    current_period_end: Mapped[datetime | None] = mapped_column(DateTime)
    cancel_at_period_end: Mapped[bool] = mapped_column(default=False, nullable=False)
    #: When the first unpaid invoice of the current problem failed; the grace period runs from it.
    payment_failed_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Stripe `created` time of the newest event applied (see the module docstring).
    state_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    organization: Mapped[Organization] = relationship()

    def __repr__(self) -> str:
        return f"<BillingAccount {self.organization_id} {self.plan} {self.status}>"


class StripeEvent(Base):
    """One received Stripe event: platform data (admins only), the key of idempotency."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    type: Mapped[str] = mapped_column(String(100), nullable=False)
    #: Stripe's `created`, as naive UTC.
    created: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    #: applied, stale (older than the state we hold), unknown_customer or ignored.
    outcome: Mapped[str] = mapped_column(String(40), nullable=False)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
