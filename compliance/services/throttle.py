"""Rate limits for public pages that cost the server work (checking an uploaded evidence pack).

Counted in the database, per scope and client address, within a sliding window, so every
instance behind the load balancer sees the same count; old hits are deleted as new ones come.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.accounts import RateLimitHit


def allow(session: Session, scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Record one use of `scope` by `key`; False (and nothing recorded) past `limit` uses
    within the last `window_seconds`."""
    since = utcnow() - timedelta(seconds=window_seconds)
    session.execute(
        delete(RateLimitHit).where(RateLimitHit.scope == scope, RateLimitHit.created_at < since)
    )
    used = session.scalar(
        select(func.count(RateLimitHit.id)).where(
            RateLimitHit.scope == scope, RateLimitHit.key == key[:64]
        )
    )
    if (used or 0) >= limit:
        return False
    session.add(RateLimitHit(scope=scope, key=key[:64]))
    session.flush()
    return True
