"""Signed checkpoints of the audit chain's head, and checking them against the chain.

The keyed chain shows a changed or removed event only while a later event still links to it:
cutting off the newest events leaves a shorter chain that is intact. A checkpoint, signed with
the server's Ed25519 key (`inspections.signing`, the key that signs evidence packs), records the
head event, its hash and how many events led up to it. Verification then catches any deletion
up to a checkpoint's head, and a rewritten chain (its hashes change). Only the events written
since the newest checkpoint are unprotected, so a job writes one every hour. Each checkpoint is
also logged, so a copy lives outside the database that an intruder could empty of checkpoints.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from compliance.models.audit import AuditCheckpoint, AuditEvent
from compliance.models.tenancy import SKIP_OPTION
from compliance.services.audit import lock_chain
from compliance.services.inspections.signing import is_valid, key_id, private_key, sign

log = logging.getLogger(__name__)


def write_checkpoint(session: Session, now: datetime) -> AuditCheckpoint | None:
    """Sign the chain's current head; None when there are no events or no new ones since the
    last checkpoint (so the hourly job is a no-op on a quiet platform)."""
    lock_chain(session)  # no append may slip in between reading the head and counting
    every_tenant = {SKIP_OPTION: True}
    head = session.execute(
        select(AuditEvent.id, AuditEvent.hash)
        .order_by(AuditEvent.id.desc())
        .limit(1)
        .execution_options(**every_tenant)
    ).first()
    if head is None:
        return None
    last = session.scalars(
        select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
    ).first()
    if last is not None and (last.head_event_id, last.head_hash) == (head.id, head.hash):
        return None
    count = session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.id <= head.id)
        .execution_options(**every_tenant)
    )
    key = private_key()
    checkpoint = AuditCheckpoint(
        created_at=now,
        event_count=count or 0,
        head_event_id=head.id,
        head_hash=head.hash,
        key_id=key_id(key.public_key()),
    )
    checkpoint.signature = sign(checkpoint.signed_text(), key)
    session.add(checkpoint)
    session.flush()
    log.info(
        "audit checkpoint",
        extra={
            "checkpoint": checkpoint.id,
            "event_count": checkpoint.event_count,
            "head_event_id": checkpoint.head_event_id,
            "head_hash": checkpoint.head_hash,
            "signature": checkpoint.signature,
        },
    )
    return checkpoint


def checkpoint_audit_trail(session: Session, now: datetime) -> int:
    """The scheduled job: how many checkpoints it wrote (0 or 1)."""
    return 0 if write_checkpoint(session, now) is None else 1


@dataclass(frozen=True)
class CheckpointReport:
    checked: int
    first_broken_id: int | None = None
    reason: str = ""
    #: Checkpoints that fail (the report names the oldest).
    failed: int = 0
    #: Events after the newest checkpoint's head: deleting those would not show yet.
    unanchored: int = 0

    @property
    def is_intact(self) -> bool:
        return self.first_broken_id is None


def _bad_signatures(checkpoints: list[AuditCheckpoint]) -> dict[int, str]:
    public = private_key().public_key()
    own = key_id(public)
    problems: dict[int, str] = {}
    for checkpoint in checkpoints:
        if checkpoint.key_id != own:
            problems[checkpoint.id] = (
                f"signed with key {checkpoint.key_id}, not this server's key {own}"
            )
        elif not is_valid(checkpoint.signed_text(), checkpoint.signature, public):
            problems[checkpoint.id] = (
                "signature does not match: the checkpoint was forged or changed"
            )
    return problems


def _head_problem(
    checkpoint: AuditCheckpoint, event_id: int, event_hash: str, position: int
) -> str:
    """Why the chain no longer matches `checkpoint`, reading the first event at or after its
    head (`position`-th in the chain), or "" when it does."""
    if checkpoint.head_event_id < event_id:
        return f"its head event {checkpoint.head_event_id} is gone: events were deleted"
    if event_hash != checkpoint.head_hash:
        return f"event {event_id} no longer has the signed hash: the chain was rewritten"
    if position != checkpoint.event_count:
        return (
            f"{position} events up to event {event_id}, {checkpoint.event_count} when signed: "
            "events were deleted or inserted"
        )
    return ""


def verify_checkpoints(session: Session) -> CheckpointReport:
    """Check every checkpoint's signature, then, in one pass over the events, that its head
    event is still there with the same hash and the same number of events before it."""
    checkpoints = list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)))
    problems = _bad_signatures(checkpoints)
    pending = sorted(checkpoints, key=lambda c: c.head_event_id)
    due = position = anchored = 0  # pending[due] is the next checkpoint whose head is ahead
    rows = session.execute(
        select(AuditEvent.id, AuditEvent.hash)
        .order_by(AuditEvent.id)
        .execution_options(yield_per=5000, **{SKIP_OPTION: True})
    )
    try:
        for event_id, event_hash in rows:
            position += 1
            while due < len(pending) and pending[due].head_event_id <= event_id:
                checkpoint = pending[due]
                due += 1
                problem = _head_problem(checkpoint, event_id, event_hash, position)
                if problem:
                    problems.setdefault(checkpoint.id, problem)
                else:
                    anchored = position
    finally:
        rows.close()
    for checkpoint in pending[due:]:  # heads past the last event: the tail was cut off
        problems.setdefault(
            checkpoint.id,
            f"its head event {checkpoint.head_event_id} is gone: the newest events were deleted",
        )
    if not problems:
        return CheckpointReport(len(checkpoints), unanchored=position - anchored)
    first = min(problems)
    return CheckpointReport(len(checkpoints), first, problems[first], len(problems))
