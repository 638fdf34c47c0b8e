"""Writing and verifying the hash-chained audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.models.audit import GENESIS_HASH, AuditEvent
from compliance.models.tenancy import SKIP_OPTION

#: Any constant works; it names the PostgreSQL advisory lock that serialises chain appends.
_CHAIN_LOCK_KEY = 8_016_053


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
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appenders until commit; otherwise two transactions could read the same tail.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
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
        data=data or {},
        prev_hash=tail or GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None = None
    reason: str = ""

    @property
    def is_intact(self) -> bool:
        return self.first_broken_id is None


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole chain in order and report the first event that does not fit."""
    expected_prev = GENESIS_HASH
    checked = 0
    events = session.scalars(
        select(AuditEvent)
        .order_by(AuditEvent.id)
        .execution_options(yield_per=1000, **{SKIP_OPTION: True})
    )
    try:
        for event in events:
            checked += 1
            if event.prev_hash != expected_prev:
                return ChainReport(
                    checked, event.id, "previous hash does not match: a row was removed or inserted"
                )
            if event.compute_hash() != event.hash:
                return ChainReport(
                    checked, event.id, "content does not match its hash: the row was changed"
                )
            expected_prev = event.hash
    finally:
        events.close()  # a server-side cursor on PostgreSQL: release it on early return too
    return ChainReport(checked)
