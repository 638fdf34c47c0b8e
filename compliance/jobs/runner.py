"""Running one job: its `JobRun` record, a transaction per chunk of organisations, failures kept.

A job is a plain function `(session, now, run)`; `now` is passed in (a fake clock in tests).
Jobs that go organisation by organisation call `each_organization`. It commits once per chunk
of `BATCH_SIZE` organisations, each organisation's work in a savepoint of its own: a failure
rolls back only that organisation's work, is recorded on the run with its error, and the loop
goes on. The next run picks the failed organisation up again, because every job decides what
to do from what is in the database, never from what the last run did.

Why chunks and prefilters (issue 19): at 500,000 organisations a job has about 1.2 ms for
each. A commit per organisation, and a visit to every organisation whether it has work or not,
cost ten times that. So a job names the organisations that may have work (`only`, a query
that may find too many but never too few), and may read a whole chunk's rows in one query
(`prepare`) rather than a few per organisation.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, nullcontext
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
#: Organisations per fanned-out task, and per transaction (and `prepare`) within one: small
#: enough that a batch's failure or a killed worker repeats little (each job remembers what it
#: did, so a repeat does nothing twice), large enough that a commit costs little per organisation.
BATCH_SIZE = 500


@dataclass
class RunCounts:
    """What a job did: organisations (or items) looked at, changed, failed.

    For `each_organization`, `processed` counts the organisations whose work ran and committed
    (those a prefilter left out were not looked at; a failed one counts in `failed` only); when
    the run fans out, it counts the organisations queued."""

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


#: The organisations a job may have work for: a query of organisation ids (`only`).
Candidates = Select[int]
#: Reads a chunk's rows at once (`prepare`), before `work` runs for each of its organisations;
#: a context manager it returns stays open while they run (`computation.computing_ahead`).
Prepare = Callable[[Session, list[int]], AbstractContextManager[object] | None]


def each_organization(
    session: Session,
    counts: RunCounts,
    work: Callable[[Session, Organization], int],
    *,
    only: Candidates | None = None,
    prepare: Prepare | None = None,
    writes: bool = True,
) -> None:
    """Call `work` for every organisation (or every one `only` finds), scoped to it.

    `work` returns how many things it changed. The scope is the organisation's own reach, so
    a job's work on one tenant cannot touch another's rows even by mistake. `only` is a query
    of organisation ids that may have work: a superset, run under an everything-reach, since
    `work` still decides exactly; the organisations it leaves out are not looked at, which is
    what makes a daily job over 500,000 organisations take minutes rather than hours.

    Organisations go in chunks of `BATCH_SIZE`, in id order: `prepare(session, ids)` runs
    first for the chunk, under an everything-reach (to read, say, every notice of the chunk in
    one query), then `work` for each organisation in a savepoint, then one commit.

    `writes=False`: `work` only reads and computes, and hands what it found to the context
    `prepare` returned, which writes the chunk's rows when it closes. Without writes there is
    nothing for a savepoint to undo, so none is taken (two statements fewer an organisation);
    an error raised by `work` still fails that organisation alone, unless the database
    refused a statement: that spoils the chunk's transaction, so the chunk fails as a whole and
    the next run repeats it.

    With workers (`TASK_QUEUE=procrastinate`), a scheduled run fans out instead: it queues the
    candidates in batches of `BATCH_SIZE` (task `organization_batch`), and the workers run
    this same job for one batch each, in parallel, so 500,000 organisations are shared by every
    worker rather than walked by the scheduler alone; a batch looks at those of its
    organisations `only` still finds. In-process, it runs here.
    """
    running = _running.get()
    batch = None if running is None else running.batch
    ids = _candidates(session, only, batch)
    if running is not None and batch is None and fans_out():
        _queue_batches(session, counts, running, ids)
        return
    for start in range(0, len(ids), BATCH_SIZE):
        _run_chunk(session, counts, work, prepare, ids[start : start + BATCH_SIZE], writes)


def _candidates(
    session: Session, only: Candidates | None, batch: tuple[int, ...] | None
) -> list[int]:
    """The organisations to look at, in id order: those of `only` (every one without it),
    within `batch` when running one batch of a fanned-out job."""
    if only is None and batch is not None:
        return list(batch)
    organization_id = Organization.id if only is None else only.subquery().c[0]
    query = select(organization_id).distinct().order_by(organization_id)
    if batch is not None:
        query = query.where(organization_id.in_(batch))
    with reach_scope(session, Reach.for_everything()):
        return list(session.scalars(query))


def _run_chunk(
    session: Session,
    counts: RunCounts,
    work: Callable[[Session, Organization], int],
    prepare: Prepare | None,
    ids: list[int],
    writes: bool = True,
) -> None:
    """One transaction: `prepare`, each organisation's work in its savepoint, one commit.

    The chunk's counts join the run's only once the commit succeeded: a chunk whose commit
    fails (the database gone) is recorded as failed as a whole, since none of it was kept."""
    done = RunCounts()
    try:
        with ExitStack() as chunk:
            for organization in _organizations(session, prepare, ids, chunk):
                _run_one(session, done, work, organization, writes)
        session.commit()
    except Exception as exc:  # prepare or the commit: the chunk is lost, not the run
        session.rollback()
        log.exception("job failed for a chunk of organisations", extra={"orgs": len(ids)})
        counts.failed += len(ids)  # those that had failed already, and the rest
        counts.errors.extend(done.errors)
        counts.errors.append(f"organisations {ids[0]}-{ids[-1]}: {exc!r}")
        return
    counts.processed += done.processed
    counts.changed += done.changed
    counts.failed += done.failed
    counts.errors.extend(done.errors)


def _organizations(
    session: Session, prepare: Prepare | None, ids: list[int], chunk: ExitStack
) -> Iterator[Organization]:
    """The chunk's organisations, read in one query (one less statement per organisation),
    after `prepare` (what it returns to keep open is closed with `chunk`); an id deleted since
    the list was read is skipped."""
    with reach_scope(session, Reach.for_everything()):
        found = session.scalars(select(Organization).where(Organization.id.in_(ids))).all()
        if prepare is not None and (opened := prepare(session, ids)) is not None:
            chunk.enter_context(opened)
    yield from sorted(found, key=lambda organization: organization.id)


def _run_one(
    session: Session,
    counts: RunCounts,
    work: Callable[[Session, Organization], int],
    organization: Organization,
    writes: bool = True,
) -> None:
    organization_id = organization.id  # read now: a rolled-back savepoint may expire it
    try:
        with (
            reach_scope(session, Reach(organization_id=organization_id)),
            # one tenant's failure must not undo the others' writes
            session.begin_nested() if writes else nullcontext(),
        ):
            changed = work(session, organization)
    except Exception as exc:  # one tenant's failure must not stop the others
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
