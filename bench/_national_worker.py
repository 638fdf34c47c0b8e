"""One task-queue worker for `bench/national.py --workers N`: the application as the bench
builds it (the same data key, so it reads the rosters the fill encrypted), on every queue (the
jobs' batches and the mail they send), one task at a time (the work is CPU-bound: one process a
core), until the queue is empty."""

from __future__ import annotations

import logging

from _common import bench_app

from compliance.integrations.queue import ProcrastinateQueue, queue_of


def main() -> None:
    app = bench_app(task_queue="procrastinate")
    logging.getLogger("compliance").setLevel(logging.WARNING)  # a line per batch, else
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    with app.app_context():
        queue = queue_of(app)
        assert isinstance(queue, ProcrastinateQueue)
        queue.run_worker(1, None, wait=False)


if __name__ == "__main__":
    main()
