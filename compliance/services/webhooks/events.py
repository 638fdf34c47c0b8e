"""Which changes become webhook events, what an event says, and the deliveries it makes.

Every change worth telling another system about already writes an audit event, in the same
transaction (`services.audit.record_event`), so that is where webhook events are made: one
hook, not one call in every service. `emit` turns an audit action listed in `ACTIONS` into one
event, stores one delivery per subscribed endpoint of its owner (the organisation the event
concerns, or the ULD a referral request was routed to) and asks for a `deliver_webhook` task
per endpoint: deliveries and tasks exist exactly when the change commits.

An event says what happened and where to look, never who: ids, types, instants and links built
from `BASE_URL`; no names, no disability data. The receiver reads the rest through the API
with its own token, so it sees only what its owner may see.

This module must not import `services.audit` (which imports it).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from compliance.integrations.queue import enqueue
from compliance.models.audit import AuditEvent
from compliance.models.tenancy import SKIP_OPTION
from compliance.models.webhooks import WebhookDelivery, WebhookEndpoint
from compliance.services import settings

#: Who an endpoint belongs to, and so which events it may receive.
ORGANIZATION = "organization"
ULD = "uld"

#: Every event an organisation's endpoints may receive, as its owner reads it.
ORGANIZATION_EVENTS: Mapping[str, LazyString] = {
    "declaration.submitted": _l("A declaration was submitted or corrected"),
    "declaration.reviewed": _l("An inspector reviewed a declaration"),
    "case.opened": _l("An inspection case was opened"),
    "case.escalated": _l("An inspection case was escalated (nota II, referral for investigation)"),
    "referral.proposed": _l("A ULD sent candidates for a referral request"),
    "referral.introduced": _l("A candidate agreed to be introduced"),
    "referral.hired": _l("A referred candidate was hired"),
    "import.finished": _l("An import of the roster or of monthly figures finished"),
}
#: Every event a ULD's endpoints may receive.
ULD_EVENTS: Mapping[str, LazyString] = {
    "referral_request.received": _l("A company sent a referral request to the ULD"),
    "referral.proposed": _l("The ULD sent candidates for a referral request"),
    "referral.introduced": _l("A candidate agreed to be introduced"),
    "referral.hired": _l("A referred candidate was hired"),
}
#: Sent by the "send a test event" button only; nobody subscribes to it.
TEST_EVENT = "webhook.test"
TEST_EVENT_LABEL = _l("Test event")


def events_for(audience: str) -> Mapping[str, LazyString]:
    return ORGANIZATION_EVENTS if audience == ORGANIZATION else ULD_EVENTS


@dataclass(frozen=True)
class Subject:
    """What an event is about, and the page (per audience) that shows it."""

    object: str
    id: int | str | None
    links: Mapping[str, tuple[str, dict[str, Any]]]
    data: Mapping[str, Any]


def _declaration(event: AuditEvent, target: Any, outcome: str = "") -> Subject:
    data = {"period": event.data.get("period"), "version": event.data.get("version")}
    if outcome:
        data["outcome"] = outcome
    link = ("declarations.show_declaration", {"declaration_id": target.id})
    return Subject("declaration", target.id, {ORGANIZATION: link}, data)


def _review(outcome: str) -> Callable[[AuditEvent, Any], Subject]:
    return lambda event, target: _declaration(event, target, outcome)


def _case(event: AuditEvent, target: Any) -> Subject:
    link = ("inspections.hr_case", {"case_id": target.id})
    return Subject(
        "inspection_case", target.id, {ORGANIZATION: link}, {"stage": event.data.get("stage")}
    )


def _request(event: AuditEvent, target: Any) -> Subject:
    return Subject(
        "referral_request",
        target.id,
        {
            ORGANIZATION: ("registry.show_request", {"request_id": target.id}),
            ULD: ("registry.match_request", {"request_id": target.id}),
        },
        {"referral_request_id": target.id},
    )


def _referral(event: AuditEvent, target: Any) -> Subject:
    request_id = target.request_id
    return Subject(
        "referral",
        target.id,
        {
            ORGANIZATION: ("registry.show_request", {"request_id": request_id}),
            ULD: ("registry.match_request", {"request_id": request_id}),
        },
        {"referral_request_id": request_id},
    )


def _import(kind: str) -> Callable[[AuditEvent, Any], Subject]:
    def subject(event: AuditEvent, target: Any) -> Subject:
        link = ("imports.show_import", {"import_id": target.id})
        return Subject("import", target.id, {ORGANIZATION: link}, {"kind": kind})

    return subject


@dataclass(frozen=True)
class WebhookAction:
    """One audit action's event: its type, who may receive it, and what it is about."""

    type: str
    audiences: frozenset[str]
    subject: Callable[[AuditEvent, Any], Subject]


_BOTH = frozenset({ORGANIZATION, ULD})
_ORG = frozenset({ORGANIZATION})

#: Audit action → the webhook event it makes.
ACTIONS: Mapping[str, WebhookAction] = {
    "declaration.submitted": WebhookAction("declaration.submitted", _ORG, _declaration),
    "declaration.corrected": WebhookAction("declaration.submitted", _ORG, _declaration),
    "inspection.declaration_accepted": WebhookAction(
        "declaration.reviewed", _ORG, _review("accepted")
    ),
    "inspection.declaration_correction_requested": WebhookAction(
        "declaration.reviewed", _ORG, _review("correction_requested")
    ),
    "inspection.declaration_finding": WebhookAction(
        "declaration.reviewed", _ORG, _review("finding")
    ),
    "inspection.case_opened": WebhookAction("case.opened", _ORG, _case),
    "inspection.case_nota_2": WebhookAction("case.escalated", _ORG, _case),
    "inspection.case_referred": WebhookAction("case.escalated", _ORG, _case),
    "referral_request.created": WebhookAction(
        "referral_request.received", frozenset({ULD}), _request
    ),
    "referral_request.shortlist_sent": WebhookAction("referral.proposed", _BOTH, _request),
    "referral.introduced": WebhookAction("referral.introduced", _BOTH, _referral),
    "referral.hired": WebhookAction("referral.hired", _BOTH, _referral),
    "import.roster_imported": WebhookAction("import.finished", _ORG, _import("roster")),
    "import.figures_imported": WebhookAction("import.finished", _ORG, _import("figures")),
}


def new_event_id() -> str:
    return f"evt_{secrets.token_hex(12)}"


def body(event_id: str, event_type: str, created_at: datetime, data: Mapping[str, Any]) -> str:
    """The JSON body of an event: compact, keys sorted, so the bytes signed are stable."""
    return json.dumps(
        {
            "id": event_id,
            "type": event_type,
            "created_at": created_at.isoformat(timespec="seconds") + "Z",
            "data": dict(data),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _link(link: tuple[str, dict[str, Any]] | None) -> str | None:
    """The page's absolute link on `BASE_URL` (as `services.emails.site_url`, which this
    module cannot import: the outbox records audit events)."""
    if link is None:
        return None
    return settings().base_url + current_app.url_map.bind("localhost").build(link[0], link[1])


def queue_delivery(
    session: Session, endpoint: WebhookEndpoint, event_id: str, event_type: str, payload: str
) -> WebhookDelivery:
    """Store one delivery and ask for its endpoint's lane to be worked once `session` commits."""
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id, event_id=event_id, event_type=event_type, payload=payload
    )
    session.add(delivery)
    session.flush()
    enqueue(session, "deliver_webhook", endpoint_id=endpoint.id)
    return delivery


def emit(session: Session, event: AuditEvent, target: Any) -> int:
    """The webhook event `event` makes, stored for each subscribed endpoint; how many.

    Only the actions in `ACTIONS` cost a query. Endpoints are read past the tenant scope on
    purpose: an officer's change (a shortlist sent) is news for the company's endpoints."""
    mapped = ACTIONS.get(event.action)
    if mapped is None or isinstance(target, tuple):
        return 0
    owners = []
    if ORGANIZATION in mapped.audiences and event.organization_id is not None:
        owners.append(WebhookEndpoint.organization_id == event.organization_id)
    uld_id = getattr(target, "uld_id", None)
    if ULD in mapped.audiences and uld_id is not None:
        owners.append(WebhookEndpoint.uld_id == uld_id)
    if not owners:
        return 0
    endpoints = [
        endpoint
        for endpoint in session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.is_active.is_(True), or_(*owners))
            .order_by(WebhookEndpoint.id)
            .execution_options(**{SKIP_OPTION: True})
        )
        if mapped.type in endpoint.event_types
    ]
    if not endpoints:
        return 0
    subject = mapped.subject(event, target)
    event_id = new_event_id()
    for endpoint in endpoints:
        audience = ORGANIZATION if endpoint.organization_id is not None else ULD
        data = {
            "object": subject.object,
            "id": subject.id,
            "organization_id": event.organization_id,
            **subject.data,
            "url": _link(subject.links.get(audience)),
        }
        payload = body(event_id, mapped.type, event.occurred_at, data)
        queue_delivery(session, endpoint, event_id, mapped.type, payload)
    return len(endpoints)
