"""API routes for webhook endpoints: an HR manager's (the organisation's) or a ULD registry
officer's (the ULD's), the same service as the pages (`services.webhooks.endpoints`)."""

from __future__ import annotations

from flask import request
from spectree import Response as Answers

from compliance.blueprints.api import bp, spec
from compliance.blueprints.api.gate import current_api_user, token_required
from compliance.blueprints.api.idempotency import idempotent
from compliance.blueprints.api.schemas.webhooks import (
    TestDeliveryOut,
    WebhookCreated,
    WebhookIn,
    WebhookList,
    WebhookOut,
)
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.models.webhooks import WebhookEndpoint
from compliance.services.webhooks import endpoints
from compliance.services.webhooks.endpoints import EndpointInput

OWNERS = (Role.HR_MANAGER, Role.REGISTRY_OFFICER)
TAGS = ["Webhooks"]


def _out(endpoint: WebhookEndpoint) -> WebhookOut:
    return WebhookOut(
        id=endpoint.id,
        url=endpoint.url,
        description=endpoint.description,
        event_types=list(endpoint.event_types),
        is_active=endpoint.is_active,
        secret_prefix=endpoint.secret_prefix,
        created_at=endpoint.created_at,
    )


@bp.get("/webhooks")
@token_required(*OWNERS)
@spec.validate(resp=Answers(HTTP_200=WebhookList), tags=TAGS)
def list_webhooks() -> WebhookList:
    """Your organisation's (or your ULD's) webhook endpoints, oldest first."""
    found = endpoints.list_endpoints(db.session(), current_api_user())
    return WebhookList(items=[_out(e) for e in found])


@bp.post("/webhooks")
@token_required(*OWNERS, write=True)
@idempotent
@spec.validate(json=WebhookIn, resp=Answers(HTTP_201=WebhookCreated), tags=TAGS)
def add_webhook() -> tuple[WebhookCreated, int, dict[str, str]]:
    """Register an endpoint (https, on the internet). The answer holds its signing secret,
    shown this once."""
    body: WebhookIn = request.context.json  # type: ignore[attr-defined]
    endpoint, secret = endpoints.create_endpoint(
        db.session(),
        current_api_user(),
        EndpointInput(
            url=body.url, description=body.description, event_types=list(body.event_types)
        ),
    )
    out = WebhookCreated(**_out(endpoint).model_dump(), secret=secret)
    return out, 201, {"Location": f"{bp.url_prefix}/webhooks/{endpoint.id}"}


@bp.delete("/webhooks/<int:webhook_id>")
@token_required(*OWNERS, write=True)
@spec.validate(resp=Answers(HTTP_204=None, HTTP_404=None), tags=TAGS)
def delete_webhook(webhook_id: int) -> tuple[str, int]:
    """Delete an endpoint and its delivery log; events not delivered yet are dropped."""
    endpoints.delete_endpoint(db.session(), current_api_user(), webhook_id)
    return "", 204


@bp.post("/webhooks/<int:webhook_id>/test")
@token_required(*OWNERS, write=True)
@idempotent
@spec.validate(resp=Answers(HTTP_202=TestDeliveryOut, HTTP_404=None), tags=TAGS)
def test_webhook(webhook_id: int) -> tuple[TestDeliveryOut, int]:
    """Send a `webhook.test` event to this endpoint, signed and delivered like any other.
    Answers 202: the attempt is made once this request has committed; the delivery's outcome
    shows on the endpoint's page."""
    found = endpoints.send_test_event(db.session(), current_api_user(), webhook_id)
    out = TestDeliveryOut(
        delivery_id=found.id,
        event_id=found.event_id,
        status=found.status.value,
        response_status=found.response_status,
    )
    return out, 202
