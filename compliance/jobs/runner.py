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
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.integrations.queue import InProcessQueue, enqueue, queue_of
from compliance.models.jobs import JobRun
from compliance.models.organizations import Organization
from compliance.models.tenancy import Reach, reach_scope

log = logging.getLogger(__name__)
#: Longest error text kept on a run (the log has the whole traceback).
ERROR_LIMIT = 4000
#: Organisations per fanned-out task: small enough that a batch's failure or a killed worker
#: repeats little (each job remembers what it did, so a repeat does nothing twice).
BATCH_SIZE = 500


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


@dataclass(frozen=True)
class _Running:
    """The job being run in this context: its name, its instant, and (in a batch task) the
    organisations of that batch."""

    job: str
    now: datetime
    batch: tuple[int, ...] | None = None


_running: ContextVar[_Running | None] = ContextVar("kuota_running_job", default=None)


def each_organization(
    session: Session,
    counts: RunCounts,
    work: Callable[[Session, Organization], int],
    *,
    only: Select[tuple[int]] | None = None,
    prepare: Callable[[Session, list[int]], None] | None = None,
) -> None:
    """Call `work` for every organisation, scoped to it, committing after each one.

    `work` returns how many things it changed. The scope is the organisation's own reach, so
    a job's work on one tenant cannot touch another's rows even by mistake.

    `only` (a query of organisation ids) limits the walk to the organisations that can have
    work. `prepare(session, ids)` is called once per chunk of `BATCH_SIZE` ids, with every
    reach, before `work` runs for them: a job reads there in a few queries what `work` would
    otherwise read organisation by organisation (at 500,000 organisations, statements per
    organisation are what a job's time is made of). What it reads is for `work` to use; what
    `work` writes stays scoped to its organisation.

    With workers (`TASK_QUEUE=procrastinate`), a scheduled run fans out instead: it queues the
    organisations in batches of `BATCH_SIZE` (task `organization_batch`), and the workers run
    this same job for one batch each, in parallel, so 500,000 organisations are shared by every
    worker rather than walked by the scheduler alone. In-process, it runs here, as before.
    """
    running = _running.get()
    query = select(Organization.id).order_by(Organization.id)
    if only is not None:
        query = query.where(Organization.id.in_(only))
    if running is not None and running.batch is not None:
        ids = list(running.batch)
        if only is not None:
            with reach_scope(session, Reach.for_everything()):
                kept = set(session.scalars(query.where(Organization.id.in_(ids))))
            ids = [organization_id for organization_id in ids if organization_id in kept]
    else:
        with reach_scope(session, Reach.for_everything()):
            ids = list(session.scalars(query))
        if running is not None and fans_out():
            _queue_batches(session, counts, running, ids)
            return
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        if prepare is not None and not _prepared(session, counts, prepare, chunk):
            continue
        for organization_id in chunk:
            _one(session, counts, work, organization_id)


def _prepared(
    session: Session,
    counts: RunCounts,
    prepare: Callable[[Session, list[int]], None],
    chunk: list[int],
) -> bool:
    """Run `prepare` for a chunk; a failure fails the chunk's organisations (the next run
    tries them again), not the run."""
    try:
        with reach_scope(session, Reach.for_everything()):
            prepare(session, chunk)
    except Exception as exc:
        session.rollback()
        log.exception("job failed to prepare a chunk", extra={"orgs": len(chunk)})
        counts.failed += len(chunk)
        counts.errors.append(f"organisations {chunk[0]}-{chunk[-1]}: {exc!r}")
        return False
    return True


def _one(
    session: Session,
    counts: RunCounts,
    work: Callable[[Session, Organization], int],
    organization_id: int,
) -> None:
    try:
        with reach_scope(session, Reach(organization_id=organization_id)):
            organization = session.get(Organization, organization_id)
            if organization is None:  # deleted since the list was read
                return
            changed = work(session, organization)
            session.commit()
    except Exception as exc:  # one tenant's failure must not stop the others
        session.rollback()
        log.exception("job failed for one organisation", extra={"org": organization_id})
        counts.failed += 1
        counts.errors.append(f"organisation {organization_id}: {exc!r}")
        return
    counts.processed += 1
    counts.changed += changed


def _queue_batches(session: Session, counts: RunCounts, running: _Running, ids: list[int]) -> None:
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        enqueue(
            session,
            "organization_batch",
            job=running.job,
            organization_ids=batch,
            at=running.now.isoformat(),
        )
        counts.processed += len(batch)
    session.commit()


def fans_out() -> bool:
    return not isinstance(queue_of(current_app), InProcessQueue)


def run_batch(
    session: Session, name: str, function: JobFunction, now: datetime, ids: list[int]
) -> RunCounts:
    """One batch of a fanned-out job (the `organization_batch` task): `function` as scheduled,
    for the organisations `ids` only. Logged, not recorded as a run (the run that queued it is)."""
    counts = RunCounts()
    token = _running.set(_Running(name, now, tuple(ids)))
    try:
        function(session, now, counts)
        session.commit()
    finally:
        _running.reset(token)
    log.info(
        "job batch finished",
        extra={
            "job": name,
            "organizations": len(ids),
            "changed": counts.changed,
            "failed": counts.failed,
        },
    )
    return counts


def run_job(session: Session, name: str, function: JobFunction, now: datetime) -> JobRun:
    """Run `function` and record the run; returns the finished `JobRun` (committed)."""
    run = JobRun(job=name, started_at=utcnow(), runner=runner_name())
    session.add(run)
    session.commit()
    counts = RunCounts()
    token = _running.set(_Running(name, now))
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
    finally:
        _running.reset(token)
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
