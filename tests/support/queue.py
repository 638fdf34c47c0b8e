"""Running a procrastinate worker inside a test until the queue is empty."""

from __future__ import annotations

import threading

from flask import Flask

from compliance.integrations.queue import ProcrastinateQueue, queue_of


def work_off(app: Flask, queues: list[str] | None = None, concurrency: int = 1) -> None:
    """Run a worker until no job is left, as `flask worker --once` does. In a thread of its own:
    the worker runs its own event loop, and a test process may already have one running in its
    main thread (Playwright's, after the browser tests)."""
    queue = queue_of(app)
    assert isinstance(queue, ProcrastinateQueue)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            queue.run_worker(concurrency=concurrency, queues=queues, wait=False)
        except BaseException as error:  # re-raised in the test's thread
            failures.append(error)

    thread = threading.Thread(target=run, name="test-worker")
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the worker did not finish the queue"
    if failures:
        raise failures[0]
