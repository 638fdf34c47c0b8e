"""Writing and verifying the keyed hash chain of the audit trail.

Each event's hash is an HMAC under the newest AUDIT_KEYS key, and the event names that key, so
keys can be rotated: a new key goes first, old ones stay to verify the events they hashed.
Events from before the chain was keyed keep their plain SHA-256 hash; they are accepted only
before the first keyed event, because an unkeyed event after a keyed one is exactly what a
rewrite without the key looks like. The first keyed event's link then protects the legacy
events before it; what the chain alone cannot show (its tail cut off, or a trail rewritten
wholesale in the legacy form) the signed checkpoints do (`audit_checkpoints`).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.models.audit import GENESIS_HASH, AuditEvent, audit_key_id
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import settings
from compliance.services.webhooks.events import emit

#: Any constant works; it names the PostgreSQL advisory lock that serialises chain appends.
_CHAIN_LOCK_KEY = 8_016_053


@dataclass(frozen=True)
class AuditKeys:
    """The AUDIT_KEYS ring: every key by its id; `newest_id` hashes new events."""

    by_id: Mapping[str, bytes]
    newest_id: str

    @classmethod
    def from_settings(cls) -> AuditKeys:
        keys = [key.encode() for key in settings().audit_keys]
        return cls({audit_key_id(key): key for key in keys}, audit_key_id(keys[0]))


def lock_chain(session: Session) -> None:
    """Serialise appenders (and checkpoint writers) until commit, on PostgreSQL; otherwise two
    transactions could read the same tail. SQLite allows one writer at a time anyway."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})


#: The API token a request acts through (its owner's name for it), named in every event the
#: request records: "every write is audited with the token's name" without each service
#: taking one more argument.
_API_TOKEN: ContextVar[str | None] = ContextVar("audit_api_token", default=None)


def act_through_token(name: str | None) -> Token[str | None]:
    """Name `name` (an API token) in the events recorded from here on in this context; the API
    sets it per request and hands the returned value to `stop_acting_through_token`."""
    return _API_TOKEN.set(name)


def stop_acting_through_token(reset: Token[str | None]) -> None:
    _API_TOKEN.reset(reset)


def _with_token(data: dict[str, Any] | None) -> dict[str, Any]:
    token = _API_TOKEN.get()
    return {**(data or {}), "api_token": token} if token else (data or {})


def record_event(
    session: Session,
    actor: User | None,
    action: str,
    target: Any,
    *,
    organization_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction.

    `target` is a model instance (its class name and id are recorded) or a `(type, id)` pair.
    """
    keys = AuditKeys.from_settings()
    lock_chain(session)
    tail = session.scalars(
        select(AuditEvent.hash)
        .order_by(AuditEvent.id.desc())
        .limit(1)
        .execution_options(**{SKIP_OPTION: True})  # the tail may be another tenant's event
    ).first()
    if isinstance(target, tuple):
        target_type, target_id = target
    else:
        target_type, target_id = type(target).__name__, getattr(target, "id", None)
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.id if actor else None,
        actor_label=f"{actor.email} ({actor.role.value})" if actor else "system",
        organization_id=organization_id,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        data=_with_token(data),
        prev_hash=tail or GENESIS_HASH,
        key_id=keys.newest_id,
    )
    event.hash = event.compute_hash(keys.by_id[keys.newest_id])
    session.add(event)
    session.flush()
    # Every change passes here, in its own transaction: the one place webhook events are made.
    emit(session, event, target)
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None = None
    reason: str = ""
    #: Events read that were hashed before the chain was keyed.
    legacy: int = 0

    @property
    def is_intact(self) -> bool:
        return self.first_broken_id is None


def _problem(event: AuditEvent, expected_prev: str, keyed: bool, keys: AuditKeys) -> str:
    """Why `event` does not fit where it is in the chain, or "" when it does."""
    if event.prev_hash != expected_prev:
        return "previous hash does not match: a row was removed or inserted"
    if event.key_id is None:
        if keyed:
            return "unkeyed event after keyed ones: the chain was rewritten without the key"
        computed = event.compute_hash()
    else:
        key = keys.by_id.get(event.key_id)
        if key is None:
            return f"hashed with key {event.key_id}, which AUDIT_KEYS no longer holds: add it back"
        computed = event.compute_hash(key)
    if computed != event.hash:
        return "content does not match its hash: the row was changed"
    return ""


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole chain in order and report the first event that does not fit."""
    keys = AuditKeys.from_settings()
    expected_prev = GENESIS_HASH
    checked = legacy = 0
    keyed = False
    events = session.scalars(
        select(AuditEvent)
        .order_by(AuditEvent.id)
        .execution_options(yield_per=1000, **{SKIP_OPTION: True})
    )
    try:
        for event in events:
            checked += 1
            problem = _problem(event, expected_prev, keyed, keys)
            if problem:
                return ChainReport(checked, event.id, problem, legacy)
            keyed = keyed or event.key_id is not None
            legacy += event.key_id is None
            expected_prev = event.hash
    finally:
        events.close()  # a server-side cursor on PostgreSQL: release it on early return too
    return ChainReport(checked, legacy=legacy)
