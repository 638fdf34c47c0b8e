"""The audit trail: an append-only, hash-chained record of every state change.

Each event stores the hash of the event before it, and its own hash covers that link plus
everything it records. Changing, inserting or deleting a row in the middle breaks the chain at
that row, which `flask audit verify` reports. The ORM refuses updates and deletes outright.
"""

from __future__ import annotations

import hashlib
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
    """Raised when code tries to change or delete a recorded audit event."""


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

    def compute_hash(self) -> str:
        return chain_hash(
            self.prev_hash,
            {
                "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
                "actor_id": self.actor_id,
                "actor_label": self.actor_label,
                "organization_id": self.organization_id,
                "action": self.action,
                "target_type": self.target_type,
                "target_id": self.target_id,
                "data": self.data,
            },
        )


def chain_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_changes(_mapper: Mapper[Any], _connection: Any, target: AuditEvent) -> None:
    raise AuditTamperingError(f"audit event {target.id} is append-only")
