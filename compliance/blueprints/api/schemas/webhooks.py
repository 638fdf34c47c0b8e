"""Bodies of the webhook routes (HR managers and ULD registry officers)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from compliance.blueprints.api.schemas.common import Input, Instant, Output

#: Every event type an endpoint may ask for (`services.webhooks.events`); which ones an owner
#: may choose depends on who owns it (an organisation or a ULD): the service says so per field.
EventType = Literal[
    "declaration.submitted",  # organisations
    "declaration.reviewed",  # organisations
    "case.opened",  # organisations
    "case.escalated",  # organisations
    "referral_request.received",  # ULDs
    "referral.proposed",  # both
    "referral.introduced",  # both
    "referral.hired",  # both
    "import.finished",  # organisations
]


class WebhookOut(Output):
    id: int
    url: str
    description: str
    event_types: list[str]
    is_active: bool
    secret_prefix: str = Field(description="The signing secret's first characters.")
    created_at: Instant


class WebhookCreated(WebhookOut):
    secret: str = Field(
        description="The signing secret (`whsec_…`), in this answer only: keep it to check "
        "the `Kuota-Signature` header."
    )


class WebhookIn(Input):
    url: Annotated[
        str, Field(min_length=1, max_length=500, examples=["https://hr.example.co.id/kuota"])
    ]
    description: Annotated[str, Field(min_length=1, max_length=100, examples=["SAP HR"])]
    event_types: Annotated[list[EventType], Field(min_length=1)]


class WebhookList(Output):
    items: list[WebhookOut]


class TestDeliveryOut(Output):
    delivery_id: int
    event_id: str
    status: Literal["pending", "delivered", "dead"] = Field(
        description="`delivered` once the receiver answered 2xx; `pending` while it is retried."
    )
    response_status: int | None = Field(description="The receiver's HTTP status, if it answered.")
