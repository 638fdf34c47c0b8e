"""The task queue: background work named by a task and a few ids, here or on workers.

Callers say `enqueue(session, "deliver_mail", mail_id=7)`; the task runs only if that session
commits (a rolled-back change, or savepoint, asks for nothing). Two implementations, one interface:

- **in-process** (the default; SQLite or PostgreSQL, no extra service): once the session
  commits, a short task (an e-mail) runs right there, in the same thread and session, so a page
  or a job that sends mail has sent it when it returns; a long one (an import) goes to the web
  process's thread pool. A task that asks to be tried again (`RetryLater`) is, by the
  scheduled job that sweeps its kind of work (`mail_retries`).
- **procrastinate** (`TASK_QUEUE=procrastinate`, PostgreSQL only): the job row is written by
  procrastinate *on our session's connection, inside the enqueuing transaction* (its
  `connection=` option), so a task exists exactly when the change that asked for it committed:
  nothing is lost in a crash between commit and enqueue. `flask worker` processes on any number
  of machines run the tasks; procrastinate retries them with back-off and re-queues the jobs of
  a worker that stopped sending heartbeats (a SIGKILLed one).

Tasks are registered by the jobs layer (`compliance.jobs.tasks`) and take ids only, so both
implementations run the same function, and running one twice does no harm (each task checks
the state in the database first).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_sqlalchemy.session import Session as FlaskSession
from prometheus_client import Counter
from sqlalchemy import event, text
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

from compliance.config import Config

log = logging.getLogger(__name__)
_EXTENSION = "kuota_queue"
_PENDING = "kuota_pending_tasks"
#: A worker beats every few seconds; one silent for `STALLED_AFTER_SECONDS` died (SIGKILL, a
#: lost machine) and its jobs are queued again (`ProcrastinateQueue._register_stalled_job_check`).
HEARTBEAT_SECONDS = 2
STALLED_AFTER_SECONDS = 10
STALLED_CHECK_SECONDS = 5
#: Exported at /metrics (`compliance.metrics`), by task and outcome (succeeded, retried, failed).
TASK_OUTCOMES = Counter("kuota_task_outcomes", "Task attempts by outcome.", ["task", "outcome"])


class RetryLater(Exception):
    """Raised by a task whose attempt failed for a reason that may pass (a mail server that
    refused): the queue tries again after a back-off. Any other exception is a bug: logged,
    and not retried."""


@dataclass(frozen=True)
class Task:
    """A unit of background work: its name, its function of keyword ids, how it runs."""

    name: str
    function: Callable[..., None]
    #: Long work (an import): in-process, it goes to the thread pool rather than running inline.
    background: bool = False
    #: Attempts in all before the task gives up (its function records the failure for admins).
    max_attempts: int = 1
    #: Back-off: after n failed attempts, wait `retry_seconds ** n` seconds (5 s, 25 s, 2 min,
    #: 10 min, 52 min), procrastinate's exponential wait.
    retry_seconds: int = 5
    #: procrastinate queue name: imports and exports on their own, so mail never waits behind
    #: a 100,000-row roster.
    queue: str = "default"

    def delay(self, attempts: int) -> int:
        """Seconds to wait after `attempts` failed attempts."""
        return int(self.retry_seconds**attempts)


def enqueue(session: Session, name: str, **arguments: int | str | list[int]) -> None:
    """Ask for task `name` with `arguments` (ids, a job's name and instant: JSON, never rows),
    to run once `session` commits."""
    queue = current_app.extensions[_EXTENSION]
    task = queue.tasks[name]
    queue.defer(session, task, arguments)


def tasks_of(app: Flask) -> dict[str, Task]:
    return dict(app.extensions[_EXTENSION].tasks)


def run_task(app: Flask, task: Task, ids: dict[str, Any]) -> None:
    """Run one attempt of `task` inside an app context of `app`, its session removed after."""
    from compliance.extensions import db  # the queue is an edge: it reaches the app lazily

    with app.app_context():
        try:
            task.function(**ids)
        except BaseException:
            db.session.rollback()
            raise
        finally:
            db.session.remove()


# --- in-process ----------------------------------------------------------------------------


class InProcessQueue:
    """The embedded default: tasks run in this process once the enqueuing session commits.

    Short tasks run inline, long ones in a `ThreadPoolExecutor` with an app context per task:
    no persistence, so a task lost to a restart leaves its import `importing` with every batch
    it committed whole; the user can discard it at once and upload again (imports are
    idempotent), and housekeeping ends it (`stalled_imports`)."""

    def __init__(self, app: Flask, tasks: Sequence[Task], workers: int) -> None:
        self.app = app
        self.tasks = {task.name: task for task in tasks}
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="background")
        self._futures: set[Future[None]] = set()
        self._lock = threading.Lock()
        self._running = threading.local()

    def defer(self, session: Session, task: Task, ids: dict[str, Any]) -> None:
        # The savepoint it was asked in, if any: rolled back, it takes the task with it.
        session.info.setdefault(_PENDING, []).append((self, task, ids, _savepoint(session)))

    def run_pending(self, session: Session) -> None:
        """Called after `session` committed: inline tasks now, background ones in the pool."""
        if getattr(self._running, "active", False):
            return  # a task's own commit: its tasks wait for the outer loop below
        self._running.active = True
        try:
            while pending := session.info.pop(_PENDING, []):
                for _queue, task, ids, _asked_in in pending:
                    if task.background:
                        self.submit(task, ids)
                    else:
                        self._attempt_inline(task, ids)
        finally:
            self._running.active = False

    def _attempt_inline(self, task: Task, ids: dict[str, Any]) -> None:
        from compliance.extensions import db  # the queue is an edge: it reaches the app lazily

        try:
            task.function(**ids)
        except RetryLater:
            # The task recorded its failed attempt; a scheduled job tries again after the
            # back-off (`jobs.schedule`: mail_retries), as procrastinate would on a worker.
            TASK_OUTCOMES.labels(task.name, "retried").inc()
        except Exception:
            TASK_OUTCOMES.labels(task.name, "failed").inc()
            log.exception("task failed", extra={"task": task.name})
        else:
            TASK_OUTCOMES.labels(task.name, "succeeded").inc()
        finally:
            db.session.rollback()  # whatever the task left uncommitted

    def submit(self, task: Task, ids: dict[str, Any]) -> Future[None]:
        """Run `task` in the pool, in an app context of its own."""
        future = self.executor.submit(self._attempt_in_thread, task, ids)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)
        return future

    def _attempt_in_thread(self, task: Task, ids: dict[str, Any]) -> None:
        try:
            run_task(self.app, task, ids)
        except RetryLater:
            TASK_OUTCOMES.labels(task.name, "retried").inc()
            return
        except Exception:
            TASK_OUTCOMES.labels(task.name, "failed").inc()
            log.exception("background task failed", extra={"task": task.name})
            raise
        TASK_OUTCOMES.labels(task.name, "succeeded").inc()

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)

    def wait_idle(self, timeout: float | None = None) -> None:
        """Wait until every task submitted so far has finished (tests and `flask` commands)."""
        with self._lock:
            pending = list(self._futures)
        wait(pending, timeout=timeout)


@event.listens_for(Session, "after_soft_rollback")
def _discard(session: Session, rolled_back: SessionTransaction) -> None:
    """A rollback takes the tasks asked in what it undid: all of them for the session's
    transaction; for a savepoint (one organisation's work in a job, `jobs.runner`), those
    asked inside it, as procrastinate's rows written inside it go with it. (Not
    `after_rollback`: it fires for a savepoint too, and would drop the others' tasks.)"""
    undone = rolled_back
    while not undone.nested and undone.parent is not None:  # a failed flush's: its savepoint
        undone = undone.parent
    if not undone.nested:
        session.info.pop(_PENDING, None)
    elif pending := session.info.get(_PENDING):
        pending[:] = [p for p in pending if not _inside(p[3], undone)]


def _savepoint(session: Session) -> SessionTransaction | None:
    """The innermost savepoint `session` is in (callers may pass the `scoped_session`)."""
    actual = session() if isinstance(session, scoped_session) else session
    return actual.get_nested_transaction()


def _inside(transaction: SessionTransaction | None, savepoint: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is savepoint:
            return True
        transaction = transaction.parent
    return False


class KuotaSession(FlaskSession):
    """The application's session class: once a commit returns, the in-process queue runs the
    tasks it released (`InProcessQueue.run_pending`). Not in an `after_commit` event: a session
    cannot run SQL inside its own event, and a task (delivering an e-mail) does."""

    def commit(self) -> None:
        super().commit()
        pending = self.info.get(_PENDING)
        if pending:
            pending[0][0].run_pending(self)


# --- procrastinate -------------------------------------------------------------------------


class ProcrastinateQueue:
    """Tasks as procrastinate jobs in PostgreSQL, deferred inside the enqueuing transaction."""

    def __init__(self, app: Flask, tasks: Sequence[Task], conninfo: str) -> None:
        import procrastinate

        self.app = app
        self.tasks = {task.name: task for task in tasks}
        # Two procrastinate apps with the same tasks: the worker's runs them on an async pool;
        # the other only writes jobs, synchronously, on the connection of the transaction that
        # asks for them (the worker's own connector is async, so a task that queues another
        # one, such as a batch of reminders queueing e-mails, could not use it).
        self.procrastinate = procrastinate.App(
            connector=procrastinate.PsycopgConnector(conninfo=conninfo)
        )
        self.deferring = procrastinate.App(
            connector=procrastinate.SyncPsycopgConnector(conninfo=conninfo)
        )
        for task in tasks:
            retry = (
                procrastinate.RetryStrategy(
                    # procrastinate counts the attempts after the first one.
                    max_attempts=task.max_attempts - 1,
                    exponential_wait=task.retry_seconds,
                    retry_exceptions={RetryLater},
                )
                if task.max_attempts > 1
                else False
            )
            for target in (self.procrastinate, self.deferring):
                target.task(name=task.name, queue=task.queue, retry=retry)(
                    _worker_function(app, task)
                )
        self._register_stalled_job_check()

    def _register_stalled_job_check(self) -> None:
        """Every few seconds, one worker (procrastinate's periodic lock) puts back in the queue
        the jobs of workers that stopped sending heartbeats: a SIGKILLed worker's import is
        picked up by another, which re-reads the file and finishes it (imports are idempotent)."""
        app = self.procrastinate

        @app.periodic(cron=f"* * * * * */{STALLED_CHECK_SECONDS}", periodic_id="stalled")
        @app.task(name="retry_stalled_jobs", queue="maintenance", retry=False)
        async def retry_stalled_jobs(timestamp: int) -> None:
            stalled = await app.job_manager.get_stalled_jobs(
                seconds_since_heartbeat=STALLED_AFTER_SECONDS
            )
            for job in stalled:
                log.warning("task's worker stopped: queued again", extra={"task": job.task_name})
                await app.job_manager.retry_job(job)

    def defer(self, session: Session, task: Task, ids: dict[str, Any]) -> None:
        connection = session.connection().connection.driver_connection
        self.deferring.tasks[task.name].configure(connection=connection).defer(**ids)

    def run_worker(self, concurrency: int, queues: list[str] | None, wait: bool = True) -> None:
        """Run a worker until SIGTERM/SIGINT (or, with `wait=False`, until the queue is empty)."""
        self.procrastinate.run_worker(
            concurrency=concurrency,
            queues=queues,
            wait=wait,
            name=worker_name(),
            update_heartbeat_interval=HEARTBEAT_SECONDS,
            stalled_worker_timeout=STALLED_AFTER_SECONDS,
            fetch_job_polling_interval=1.0,
            shutdown_graceful_timeout=30,
        )


def _worker_function(app: Flask, task: Task) -> Callable[..., None]:
    def run(**ids: Any) -> None:
        log.info("task started", extra={"task": task.name, "ids": ids, "worker": worker_name()})
        try:
            run_task(app, task, ids)
        except RetryLater:
            TASK_OUTCOMES.labels(task.name, "retried").inc()
            raise
        except Exception:
            TASK_OUTCOMES.labels(task.name, "failed").inc()
            raise
        TASK_OUTCOMES.labels(task.name, "succeeded").inc()

    run.__name__ = task.name
    return run


def queue_depth(session: Session) -> list[tuple[str, str, int]]:
    """(queue, status, jobs) of procrastinate's jobs table; nothing without one (SQLite, or a
    PostgreSQL database that runs in-process)."""
    if session.get_bind().dialect.name != "postgresql":
        return []
    rows = session.execute(
        text(
            "SELECT queue_name, status::text, count(*) FROM procrastinate_jobs "
            "WHERE status IN ('todo', 'doing', 'failed') GROUP BY queue_name, status"
        )
    )
    return [(str(queue), str(status), int(count)) for queue, status, count in rows]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def libpq_url(database_url: str) -> str:
    """SQLAlchemy's `postgresql+psycopg://` URL as psycopg itself takes it."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def init_queue(app: Flask, config: Config, tasks: Sequence[Task]) -> None:
    app.extensions[_EXTENSION] = (
        ProcrastinateQueue(app, tasks, libpq_url(config.database_url))
        if config.task_queue == "procrastinate"
        else InProcessQueue(app, tasks, config.background_workers)
    )


def queue_of(app: Flask) -> InProcessQueue | ProcrastinateQueue:
    found = app.extensions[_EXTENSION]
    assert isinstance(found, InProcessQueue | ProcrastinateQueue)
    return found


def in_process_queue(app: Flask) -> InProcessQueue:
    found = queue_of(app)
    assert isinstance(found, InProcessQueue), "TASK_QUEUE is not in-process"
    return found
