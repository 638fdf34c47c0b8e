"""Outbound webhooks: endpoints that an organisation or a ULD registers, and the log of every
event sent to them.

An endpoint belongs to exactly one owner: an organisation (its HR managers manage it) or a ULD
(its registry officers do). Its signing secret is stored encrypted with the data keys, because
the server needs it back to sign (a hash would not do); it is shown to its owner once.

A delivery is one event for one endpoint, kept with the exact body sent (so every attempt
signs the same bytes) until the retention job deletes it. Bodies hold ids, types, instants and
links only, never a name or a disability; they are encrypted anyway, as every stored answer
that may one day echo more. Deliveries of one endpoint go out in `id` order
(`services.webhooks.delivery`).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ColumnElement,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.clock import utcnow
from compliance.models.base import Base, CreatedAtMixin
from compliance.models.organizations import enum_column
from compliance.models.registry import officer_ulds
from compliance.models.tenancy import Reach, TenantScoped, nothing
from compliance.models.types import EncryptedText


class DeliveryStatus(enum.StrEnum):
    #: Not delivered yet: waiting for its turn, for a worker, or for its next attempt.
    PENDING = "pending"
    DELIVERED = "delivered"
    #: Given up after every attempt: a dead letter its owner can send again.
    DEAD = "dead"


def _owner_scope(organization: Any, uld: Any, reach: Reach) -> ColumnElement[bool]:
    """HR managers see their organisation's endpoints, officers their ULD's; nobody else."""
    if reach.everything:
        return true()
    if reach.organization_id is not None:
        return organization == reach.organization_id
    if reach.regency_codes and reach.user_id is not None:
        return uld.in_(officer_ulds(reach))
    return nothing()


class WebhookEndpoint(TenantScoped, CreatedAtMixin, Base):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (
        CheckConstraint("(organization_id IS NULL) <> (uld_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    uld_id: Mapped[int | None] = mapped_column(
        ForeignKey("ulds.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500), nullable=False)
    #: The owner's words for it ("SAP HR"), shown in lists and the audit trail.
    description: Mapped[str] = mapped_column(String(100), nullable=False)
    #: Event types (`services.webhooks.events.EVENT_TYPES`) sent to it.
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    #: `whsec_…`, encrypted: the server signs with it, so it must be able to read it back.
    secret: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    #: The secret's first characters, so its owner can tell which one a receiver holds.
    secret_prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: A worker delivering this endpoint's events holds it until then: one lane per endpoint,
    #: so its events leave in order (`services.webhooks.delivery.claim_lane`).
    delivering_until: Mapped[datetime | None] = mapped_column(DateTime)

    @classmethod
    def tenant_criteria(cls, reach: Reach) -> ColumnElement[bool]:
        return _owner_scope(cls.organization_id, cls.uld_id, reach)


class WebhookDelivery(TenantScoped, Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # The next delivery of an endpoint: its oldest pending one.
        Index("ix_webhook_deliveries_lane", "endpoint_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False
    )
    #: `evt_…`, the same for every endpoint that receives the event: receivers drop repeats.
    event_id: Mapped[str] = mapped_column(String(40), index=True, nullable=False)
    event_type: Mapped[str] = mapped_column(String(60), nullable=False)
    #: The JSON body exactly as sent; every attempt signs these bytes.
    payload: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus, "webhook_delivery_status"),
        default=DeliveryStatus.PENDING,
        nullable=False,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, index=True, nullable=False
    )
    #: When the next attempt may start (after a refusal); None: as soon as its turn comes.
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: The receiver's last HTTP status (None when no answer came).
    response_status: Mapped[int | None] = mapped_column(Integer)
    #: Why the last attempt failed, in a few words (never the receiver's whole answer).
    last_error: Mapped[str | None] = mapped_column(String(300))

    endpoint: Mapped[WebhookEndpoint] = relationship()

    @classmethod
    def tenant_criteria(cls, reach: Reach) -> ColumnElement[bool]:
        if reach.everything:
            return true()
        endpoints = WebhookEndpoint.__table__.c
        # Core columns: loader criteria are not applied again inside the subquery.
        owned = select(endpoints.id).where(
            _owner_scope(endpoints.organization_id, endpoints.uld_id, reach)
        )
        return cls.endpoint_id.in_(owned)
