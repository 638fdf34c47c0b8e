"""Rate limits for public pages that cost the server work (checking an uploaded evidence pack).

Counted in the database, per scope and client address, within a sliding window, so every
instance behind the load balancer sees the same count; old hits are deleted as new ones come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.accounts import RateLimitHit


@dataclass(frozen=True)
class Quota:
    """One use counted against a limit: whether it was allowed, and what an API client is told
    in the standard `RateLimit-*` headers."""

    allowed: bool
    limit: int
    remaining: int
    #: Seconds until the window has room again.
    reset_seconds: int


def use(session: Session, scope: str, key: str, *, limit: int, window_seconds: int) -> Quota:
    """Record one use of `scope` by `key` unless `limit` uses were made within the last
    `window_seconds` (then nothing is recorded and the quota says when to come back)."""
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    session.execute(
        delete(RateLimitHit).where(RateLimitHit.scope == scope, RateLimitHit.created_at < since)
    )
    used, oldest = session.execute(
        select(func.count(RateLimitHit.id), func.min(RateLimitHit.created_at)).where(
            RateLimitHit.scope == scope, RateLimitHit.key == key[:64]
        )
    ).one()
    used = used or 0
    reset = window_seconds if oldest is None else max(1, int((oldest - since).total_seconds()))
    if used >= limit:
        return Quota(False, limit, 0, reset)
    session.add(RateLimitHit(scope=scope, key=key[:64], created_at=now))
    session.flush()
    return Quota(True, limit, limit - used - 1, reset)


def allow(session: Session, scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Record one use of `scope` by `key`; False (and nothing recorded) past `limit` uses
    within the last `window_seconds`."""
    return use(session, scope, key, limit=limit, window_seconds=window_seconds).allowed
