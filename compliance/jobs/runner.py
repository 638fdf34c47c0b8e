"""Running one job: its `JobRun` record, one transaction per organisation, failures kept.

A job is a plain function `(session, now, run)`; `now` is passed in (a fake clock in tests).
Jobs that go organisation by organisation call `each_organization`, which commits after each
one: a failure rolls back only that organisation's work, is recorded on the run with its
error, and the loop goes on. The next run picks the failed organisation up again, because
every job decides what to do from what is in the database, never from what the last run did.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.jobs import JobRun
from compliance.models.organizations import Organization
from compliance.models.tenancy import Reach, reach_scope

log = logging.getLogger(__name__)
#: Longest error text kept on a run (the log has the whole traceback).
ERROR_LIMIT = 4000


@dataclass
class RunCounts:
    """What a job did: organisations (or items) looked at, changed, failed."""

    processed: int = 0
    changed: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


JobFunction = Callable[[Session, datetime, RunCounts], None]


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def each_organization(
    session: Session,
    counts: RunCounts,
    work: Callable[[Session, Organization], int],
) -> None:
    """Call `work` for every organisation, scoped to it, committing after each one.

    `work` returns how many things it changed. The scope is the organisation's own reach, so
    a job's work on one tenant cannot touch another's rows even by mistake.
    """
    with reach_scope(session, Reach.for_everything()):
        ids = list(session.scalars(select(Organization.id).order_by(Organization.id)))
    for organization_id in ids:
        try:
            with reach_scope(session, Reach(organization_id=organization_id)):
                organization = session.get(Organization, organization_id)
                if organization is None:  # deleted since the list was read
                    continue
                changed = work(session, organization)
                session.commit()
        except Exception as exc:  # one tenant's failure must not stop the others
            session.rollback()
            log.exception("job failed for one organisation", extra={"org": organization_id})
            counts.failed += 1
            counts.errors.append(f"organisation {organization_id}: {exc!r}")
            continue
        counts.processed += 1
        counts.changed += changed


def run_job(session: Session, name: str, function: JobFunction, now: datetime) -> JobRun:
    """Run `function` and record the run; returns the finished `JobRun` (committed)."""
    run = JobRun(job=name, started_at=utcnow(), runner=runner_name())
    session.add(run)
    session.commit()
    counts = RunCounts()
    try:
        function(session, now, counts)
        session.commit()
    except Exception:
        session.rollback()
        log.exception("job failed", extra={"job": name})
        counts.errors.append(traceback.format_exc(limit=5))
        outcome = "failed"
    else:
        outcome = "partial" if counts.failed else "succeeded"
    run = session.get(JobRun, run.id) or run
    run.finished_at = utcnow()
    run.outcome = outcome
    run.processed, run.changed, run.failed = counts.processed, counts.changed, counts.failed
    run.error = "\n".join(counts.errors)[:ERROR_LIMIT] or None
    session.commit()
    log.info(
        "job finished",
        extra={"job": name, "outcome": outcome, "changed": counts.changed, "failed": counts.failed},
    )
    return run
