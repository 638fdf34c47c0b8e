"""The embedded default for background work: a thread pool inside the web process.

DESIGN.md §5: with no set-up, large imports run in the web process's own worker threads and
report progress through the database, so any web worker can show it. This is deliberately
no more than `concurrent.futures.ThreadPoolExecutor` plus an app context per task: no queue of
our own, no retries, no persistence. A task lost to a restart leaves its job row `importing`
or `validating`, with every batch it committed whole; the user can discard it at once (or
housekeeping ends it) and re-uploads (the import is idempotent).

Production swaps this module's `submit` for a real task library on PostgreSQL (for example
procrastinate, with `flask worker` processes on as many machines as needed); the task
functions (`compliance.jobs.imports`) take only ids, so they move unchanged.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from flask import Flask, current_app

from compliance.extensions import db

log = logging.getLogger(__name__)
_EXTENSION = "kuota_background"


class BackgroundRunner:
    """Runs `task(*args)` in a worker thread, inside a fresh app context of `app`."""

    def __init__(self, app: Flask, workers: int) -> None:
        self.app = app
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="background")
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def submit(self, task: Callable[..., None], *args: Any) -> Future[None]:
        future = self.executor.submit(self._run, task, args)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def wait_idle(self, timeout: float | None = None) -> None:
        """Wait until every task submitted so far has finished (its last steps included)."""
        with self._lock:
            pending = list(self._pending)
        wait(pending, timeout=timeout)

    def _run(self, task: Callable[..., None], args: tuple[Any, ...]) -> None:
        with self.app.app_context():
            try:
                task(*args)
            except Exception:
                log.exception("background task %s failed", task.__name__)
                db.session.rollback()
                raise
            finally:
                db.session.remove()

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True)


def init_background(app: Flask, workers: int) -> None:
    app.extensions[_EXTENSION] = BackgroundRunner(app, workers)


def submit(task: Callable[..., None], *args: Any) -> Future[None]:
    """Run `task(*args)` in the background of the current application."""
    runner = current_app.extensions[_EXTENSION]
    assert isinstance(runner, BackgroundRunner)
    return runner.submit(task, *args)


def runner(app: Flask) -> BackgroundRunner:
    found = app.extensions[_EXTENSION]
    assert isinstance(found, BackgroundRunner)
    return found
