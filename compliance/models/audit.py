"""The audit trail: an append-only, keyed hash chain of every state change, and signed
checkpoints that anchor it.

Each event stores the hash of the event before it, and its own hash is an HMAC-SHA256, under a
key from AUDIT_KEYS, of that link plus everything it records. Without the key, someone with
write access to the database cannot change, insert or delete a row and then recompute the
later hashes: the plain SHA-256 chain of the first version allowed exactly that. Events written
before the chain was keyed (migration 0012) have no `key_id` and keep their SHA-256 hash; they
can only come before the first keyed event.

The chain alone cannot show that its newest events were deleted. An `AuditCheckpoint` is a
statement signed with the server's Ed25519 key (the one that signs evidence packs): "event
`head_event_id`, with hash `head_hash`, was the `event_count`-th event". `flask audit verify`
checks both. The ORM refuses updates and deletes of either outright.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from compliance.clock import utcnow
from compliance.models.base import Base
from compliance.models.organizations import OrganizationScoped

GENESIS_HASH = "0" * 64


class AuditTamperingError(RuntimeError):
    """Raised when code tries to change or delete a recorded audit event or checkpoint."""


class AuditEvent(OrganizationScoped, Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: Who acted, as text, so the record stays readable if the account is deleted.
    actor_label: Mapped[str] = mapped_column(String(300), nullable=False)
    organization_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(80), index=True, nullable=False)
    target_type: Mapped[str] = mapped_column(String(80), nullable=False)
    target_id: Mapped[str | None] = mapped_column(String(80))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    #: Unique, so two concurrent writers can never fork the chain silently.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    #: The AUDIT_KEYS key `hash` is an HMAC under; None for an event from before keying.
    key_id: Mapped[str | None] = mapped_column(String(16))

    def compute_hash(self, key: bytes | None = None) -> str:
        """The event's hash: an HMAC under `key` (the key named by `key_id`), or the legacy
        plain SHA-256 when the event has no `key_id`."""
        if self.key_id is None:
            return chain_hash(self.prev_hash, self.hashed_fields())
        if key is None:
            raise ValueError(f"audit event {self.id} needs key {self.key_id} to be hashed")
        return keyed_chain_hash(key, self.key_id, self.prev_hash, self.hashed_fields())

    def hashed_fields(self) -> dict[str, Any]:
        return {
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "organization_id": self.organization_id,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "data": self.data,
        }


class AuditCheckpoint(Base):
    """A signed record of the chain's head at one moment; see the module docstring."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    #: Events with an id up to `head_event_id` when the checkpoint was signed.
    event_count: Mapped[int] = mapped_column(Integer, nullable=False)
    #: Not a foreign key: the checkpoint must outlive the deletion it exists to reveal.
    head_event_id: Mapped[int] = mapped_column(Integer, nullable=False)
    head_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    #: The Ed25519 key that signed (`signing.key_id`: a hash of its public key).
    key_id: Mapped[str] = mapped_column(String(16), nullable=False)
    #: Base64 of the Ed25519 signature of `signed_text()`.
    signature: Mapped[str] = mapped_column(String(100), nullable=False)

    def signed_text(self) -> bytes:
        """What the signature covers. The first line keeps it from ever reading as another
        document the same key signs (an evidence pack's JSON manifest)."""
        return (
            "kuota-inklusi audit checkpoint v1\n"
            f"created_at: {self.created_at.isoformat(timespec='microseconds')}\n"
            f"event_count: {self.event_count}\n"
            f"head_event_id: {self.head_event_id}\n"
            f"head_hash: {self.head_hash}\n"
            f"key_id: {self.key_id}\n"
        ).encode()


def _canonical(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """The legacy, unkeyed form: anyone can recompute it, so it only proves order."""
    return hashlib.sha256(f"{prev_hash}\n{_canonical(fields)}".encode()).hexdigest()


def keyed_chain_hash(key: bytes, key_id: str, prev_hash: str, fields: dict[str, Any]) -> str:
    message = f"{key_id}\n{prev_hash}\n{_canonical(fields)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def audit_key_id(key: bytes) -> str:
    """A key's public name: a MAC of a constant, so it reveals nothing about the key."""
    return hmac.new(key, b"kuota-inklusi audit key id", hashlib.sha256).hexdigest()[:16]


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
@event.listens_for(AuditCheckpoint, "before_update")
@event.listens_for(AuditCheckpoint, "before_delete")
def _refuse_changes(
    _mapper: Mapper[Any], _connection: Any, target: AuditEvent | AuditCheckpoint
) -> None:
    raise AuditTamperingError(f"{type(target).__name__} {target.id} is append-only")
