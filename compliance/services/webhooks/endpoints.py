"""What an endpoint's owner does with it: add, change its events, disable, delete, send a test
event, send a dead delivery again, read the log.

HR managers own their organisation's endpoints, registry officers their ULD's. Every change is
audited; the audit names the endpoint's description and host, never its full URL (receivers
sometimes carry a token in the query string) nor its secret, which is shown once, when made.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.integrations.queue import enqueue
from compliance.integrations.webhooks import AddressRefused, check_url
from compliance.models.accounts import Role, User
from compliance.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from compliance.services import NotFound, PermissionDenied, ServiceError
from compliance.services.audit import record_event
from compliance.services.billing.plans import check_webhook_limit
from compliance.services.paging import Page, within
from compliance.services.registry.ulds import officer_uld
from compliance.services.webhooks import events
from compliance.services.webhooks.delivery import allow_loopback

SECRET_PREFIX = "whsec_"  # noqa: S105 (a marker, not a secret)
#: Endpoints per owner, whatever the plan: enough for every system one connects.
MAX_ENDPOINTS = 10
LOG_PAGE_SIZE = 25


@dataclass(frozen=True)
class Owner:
    """An organisation or a ULD: exactly one of the two ids is set."""

    organization_id: int | None = None
    uld_id: int | None = None

    @property
    def audience(self) -> str:
        return events.ORGANIZATION if self.organization_id is not None else events.ULD

    def owns(self, endpoint: WebhookEndpoint) -> bool:
        if self.organization_id is not None:
            return endpoint.organization_id == self.organization_id
        return endpoint.uld_id == self.uld_id


@dataclass(frozen=True)
class EndpointInput:
    url: str
    description: str
    event_types: list[str]


def owner_of(session: Session, actor: User) -> Owner | None:
    """Whose endpoints `actor` manages: an HR manager's organisation, an officer's ULD; None
    for an officer who is not a member of a ULD yet (and for every other role)."""
    if actor.role is Role.HR_MANAGER and actor.organization_id is not None:
        return Owner(organization_id=actor.organization_id)
    if actor.role is Role.REGISTRY_OFFICER:
        uld = officer_uld(session, actor)
        return Owner(uld_id=uld.id) if uld is not None else None
    return None


def _owner(session: Session, actor: User) -> Owner:
    """The actor's owner, for a change: refused when there is none."""
    owner = owner_of(session, actor)
    if owner is None:
        raise PermissionDenied(
            _("You are not a member of a ULD yet: an administrator can add you to one.")
        )
    return owner


def list_endpoints(session: Session, actor: User) -> list[WebhookEndpoint]:
    """The actor's owner's endpoints, oldest first (none without an owner)."""
    owner = owner_of(session, actor)
    if owner is None:
        return []
    column = (
        WebhookEndpoint.organization_id
        if owner.organization_id is not None
        else WebhookEndpoint.uld_id
    )
    value = owner.organization_id if owner.organization_id is not None else owner.uld_id
    return list(
        session.scalars(select(WebhookEndpoint).where(column == value).order_by(WebhookEndpoint.id))
    )


def get_endpoint(session: Session, actor: User, endpoint_id: int) -> WebhookEndpoint:
    """The actor's owner's endpoint; `NotFound` for any other (within reach or not)."""
    owner = owner_of(session, actor)
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or owner is None or not owner.owns(endpoint):
        raise NotFound(_("Webhook endpoint not found."))
    return endpoint


def _clean(session: Session, owner: Owner, data: EndpointInput) -> tuple[str, list[str]]:
    description = " ".join(data.description.split())
    if not description:
        raise ServiceError(
            _("Describe the endpoint, such as the system that receives it."), "description"
        )
    if len(description) > 100:
        raise ServiceError(_("A description has at most 100 characters."), "description")
    allowed = events.events_for(owner.audience)
    chosen = sorted(set(data.event_types))
    if not chosen:
        raise ServiceError(_("Choose at least one event."), "event_types")
    if any(name not in allowed for name in chosen):
        raise ServiceError(_("Choose events from the list."), "event_types")
    return description, chosen


def check_endpoint_url(url: str) -> str:
    """`url`, trimmed, or `ServiceError` on the URL field when we would not post to it."""
    url = url.strip()
    if len(url) > 500:
        raise ServiceError(_("A URL has at most 500 characters."), "url")
    try:
        check_url(url, allow_loopback=allow_loopback())
    except AddressRefused:
        raise ServiceError(
            _(
                "Enter an https address on the internet. Addresses on private or local "
                "networks are refused."
            ),
            "url",
        ) from None
    return url


def _audit(
    session: Session, actor: User, action: str, endpoint: WebhookEndpoint, **data: object
) -> None:
    record_event(
        session,
        actor,
        action,
        endpoint,
        organization_id=endpoint.organization_id,
        data={
            "description": endpoint.description,
            "host": urlsplit(endpoint.url).hostname,
            **data,
        },
    )


def _new_secret() -> str:
    return f"{SECRET_PREFIX}{secrets.token_urlsafe(32)}"


def _prefix(secret: str) -> str:
    return secret[: len(SECRET_PREFIX) + 4]


def create_endpoint(
    session: Session, actor: User, data: EndpointInput
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its signing secret, which is never shown again."""
    owner = _owner(session, actor)
    description, chosen = _clean(session, owner, data)
    url = check_endpoint_url(data.url)
    existing = len(list_endpoints(session, actor))
    if existing >= MAX_ENDPOINTS:
        raise ServiceError(
            _("You have %(count)d endpoints: delete one before adding another.", count=existing)
        )
    if owner.organization_id is not None:
        check_webhook_limit(session, owner.organization_id, existing + 1)
    secret = _new_secret()
    endpoint = WebhookEndpoint(
        organization_id=owner.organization_id,
        uld_id=owner.uld_id,
        url=url,
        description=description,
        event_types=chosen,
        secret=secret,
        secret_prefix=_prefix(secret),
        is_active=True,
        created_by_id=actor.id,
    )
    session.add(endpoint)
    session.flush()
    _audit(session, actor, "webhook.created", endpoint, events=chosen)
    return endpoint, secret


def update_endpoint(
    session: Session, actor: User, endpoint_id: int, data: EndpointInput
) -> WebhookEndpoint:
    """Change an endpoint's description, URL and events (its secret stays)."""
    endpoint = get_endpoint(session, actor, endpoint_id)
    description, chosen = _clean(session, _owner(session, actor), data)
    url = check_endpoint_url(data.url) if data.url.strip() != endpoint.url else endpoint.url
    endpoint.description, endpoint.url, endpoint.event_types = description, url, chosen
    session.flush()
    _audit(session, actor, "webhook.updated", endpoint, events=chosen)
    return endpoint


def roll_secret(session: Session, actor: User, endpoint_id: int) -> tuple[WebhookEndpoint, str]:
    """A new signing secret (a leaked one, or a receiver's yearly rotation): every attempt
    from now on signs with it, retries of earlier events too; shown once, like the first."""
    endpoint = get_endpoint(session, actor, endpoint_id)
    secret = _new_secret()
    endpoint.secret, endpoint.secret_prefix = secret, _prefix(secret)
    session.flush()
    _audit(session, actor, "webhook.secret_rolled", endpoint)
    return endpoint, secret


def set_active(session: Session, actor: User, endpoint_id: int, is_active: bool) -> WebhookEndpoint:
    """Disable (events stop being made for it; pending ones wait) or enable it again."""
    endpoint = get_endpoint(session, actor, endpoint_id)
    if endpoint.is_active != is_active:
        endpoint.is_active = is_active
        session.flush()
        _audit(session, actor, "webhook.enabled" if is_active else "webhook.disabled", endpoint)
        if is_active:
            enqueue(session, "deliver_webhook", endpoint_id=endpoint.id)
    return endpoint


def delete_endpoint(session: Session, actor: User, endpoint_id: int) -> None:
    """Delete an endpoint and its log (deliveries not sent yet are dropped)."""
    endpoint = get_endpoint(session, actor, endpoint_id)
    _audit(session, actor, "webhook.deleted", endpoint)
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    session.delete(endpoint)
    session.flush()


def send_test_event(session: Session, actor: User, endpoint_id: int) -> WebhookDelivery:
    """A `webhook.test` event for this endpoint alone, delivered like any other (in order,
    signed, retried), so its owner can see the receiver answer."""
    endpoint = get_endpoint(session, actor, endpoint_id)
    event_id = events.new_event_id()
    payload = events.body(
        event_id,
        events.TEST_EVENT,
        utcnow(),
        {"object": "webhook_endpoint", "id": endpoint.id, "test": True},
    )
    found = events.queue_delivery(session, endpoint, event_id, events.TEST_EVENT, payload)
    _audit(session, actor, "webhook.test_sent", endpoint)
    return found


def get_delivery(
    session: Session, actor: User, endpoint_id: int, delivery_id: int
) -> WebhookDelivery:
    endpoint = get_endpoint(session, actor, endpoint_id)
    found = session.get(WebhookDelivery, delivery_id)
    if found is None or found.endpoint_id != endpoint.id:
        raise NotFound(_("Delivery not found."))
    return found


def send_again(
    session: Session, actor: User, endpoint_id: int, delivery_id: int
) -> WebhookDelivery:
    """A dead delivery queued again, with a fresh count of attempts, ahead of the pending ones
    (it is older than they are)."""
    found = get_delivery(session, actor, endpoint_id, delivery_id)
    if found.status is not DeliveryStatus.DEAD:
        raise ServiceError(_("Only an event that could not be delivered can be sent again."))
    found.status, found.attempts = DeliveryStatus.PENDING, 0
    found.next_attempt_at = found.last_error = found.response_status = None
    session.flush()
    _audit(
        session,
        actor,
        "webhook.sent_again",
        found.endpoint,
        event_id=found.event_id,
        event_type=found.event_type,
    )
    enqueue(session, "deliver_webhook", endpoint_id=found.endpoint_id)
    return found


def delivery_log(
    session: Session, actor: User, endpoint_id: int, page: int
) -> Page[WebhookDelivery]:
    """One page of the endpoint's deliveries, newest first."""
    endpoint = get_endpoint(session, actor, endpoint_id)
    scope = WebhookDelivery.endpoint_id == endpoint.id
    total = session.scalar(select(func.count(WebhookDelivery.id)).where(scope)) or 0
    number = within(page, total, LOG_PAGE_SIZE)
    rows = session.scalars(
        select(WebhookDelivery)
        .where(scope)
        .order_by(WebhookDelivery.id.desc())
        .offset((number - 1) * LOG_PAGE_SIZE)
        .limit(LOG_PAGE_SIZE)
    )
    return Page(list(rows), number, total, LOG_PAGE_SIZE)


def counts_by_status(session: Session, endpoint_ids: list[int]) -> dict[tuple[int, str], int]:
    """(endpoint id, status) → deliveries, for the list page."""
    if not endpoint_ids:
        return {}
    rows = session.execute(
        select(WebhookDelivery.endpoint_id, WebhookDelivery.status, func.count())
        .where(WebhookDelivery.endpoint_id.in_(endpoint_ids))
        .group_by(WebhookDelivery.endpoint_id, WebhookDelivery.status)
    )
    return {(endpoint_id, status.value): int(count) for endpoint_id, status, count in rows}


def event_choices(session: Session, actor: User) -> list[tuple[str, str]]:
    """(event type, what it means) the actor's endpoints may receive, for the form."""
    owner = owner_of(session, actor)
    audience = owner.audience if owner is not None else events.ORGANIZATION
    return [(name, str(label)) for name, label in events.events_for(audience).items()]


def event_labels(session: Session, actor: User) -> dict[str, str]:
    """Every event type the actor's log may hold, in words (the pages show words, not the
    type names: those are for the receiver's code, listed in the README)."""
    return {**dict(event_choices(session, actor)), events.TEST_EVENT: str(events.TEST_EVENT_LABEL)}
