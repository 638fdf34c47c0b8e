"""One leader among several `flask jobs run` processes, elected by the database.

PostgreSQL: the leader holds a session-level advisory lock on a connection it keeps open for
as long as it lives; when the process dies the connection closes and the lock is free for
another process's next attempt. SQLite has no such locks: a `JobLease` row with an expiry,
renewed by the holder on every tick, does the same job on one machine.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Protocol

from sqlalchemy import Connection, Engine, delete, insert, or_, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from compliance.clock import utcnow
from compliance.jobs.runner import runner_name
from compliance.models.jobs import JobLease

log = logging.getLogger(__name__)
#: Any constant works; it names the scheduler's advisory lock.
ADVISORY_KEY = 8_016_054
LEASE_NAME = "scheduler"
LEASE_SECONDS = 60


class Leadership(Protocol):
    def acquire(self) -> bool:
        """True while this process leads (taking the lead if it is free)."""
        ...

    def release(self) -> None: ...


class AdvisoryLockLeader:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection: Connection | None = None
        self.lock = threading.Lock()

    def acquire(self) -> bool:
        with self.lock:
            if self.connection is not None:
                try:
                    self.connection.execute(text("SELECT 1"))
                    return True
                except DBAPIError:
                    log.warning("lost the scheduler lock with its connection")
                    self.connection.invalidate()
                    self.connection = None
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
            ).scalar()
            if taken:
                self.connection = connection
                log.info("this process leads the scheduler")
                return True
            connection.close()
            return False

    def release(self) -> None:
        with self.lock:
            if self.connection is not None:
                self.connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY}
                )
                self.connection.close()
                self.connection = None


class LeaseLeader:
    def __init__(self, engine: Engine, holder: str | None = None) -> None:
        self.engine = engine
        self.holder = holder or runner_name()

    def acquire(self) -> bool:
        now = utcnow()
        values = {"holder": self.holder, "expires_at": now + timedelta(seconds=LEASE_SECONDS)}
        try:
            with self.engine.begin() as connection:
                renewed = connection.execute(
                    update(JobLease)
                    .where(
                        JobLease.name == LEASE_NAME,
                        or_(JobLease.holder == self.holder, JobLease.expires_at < now),
                    )
                    .values(**values)
                ).rowcount
                if renewed:
                    return True
                if connection.execute(select(JobLease.name)).first() is not None:
                    return False
                connection.execute(insert(JobLease).values(name=LEASE_NAME, **values))
                return True
        except (IntegrityError, OperationalError):  # another process won the race
            return False

    def release(self) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                delete(JobLease).where(JobLease.name == LEASE_NAME, JobLease.holder == self.holder)
            )


def leadership_for(engine: Engine) -> Leadership:
    if engine.dialect.name == "postgresql":
        return AdvisoryLockLeader(engine)
    return LeaseLeader(engine)
