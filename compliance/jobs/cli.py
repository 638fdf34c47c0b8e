"""`flask jobs ...`: run the scheduler, run one job now, list the jobs."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from compliance.clock import utcnow
from compliance.extensions import db
from compliance.jobs.runner import run_job
from compliance.jobs.schedule import JOBS, job_named

jobs_cli = AppGroup("jobs", help="Scheduled jobs (their own process, never the web app).")


@jobs_cli.command("run")
@click.option(
    "--every",
    type=int,
    default=None,
    help="Run every job every N seconds instead of its schedule (demonstrations and tests).",
)
def run(every: int | None) -> None:
    """Start the scheduler in this process (Ctrl+C or SIGTERM stops it)."""
    from compliance.jobs.scheduler import run_scheduler

    click.echo(f"jobs: scheduler started with {len(JOBS)} jobs")
    run_scheduler(current_app._get_current_object(), every)  # type: ignore[attr-defined]


@jobs_cli.command("run-once")
@click.argument("name", type=click.Choice([job.name for job in JOBS]))
@click.option("--now", "now_text", default=None, help="Pretend it is this UTC time (ISO 8601).")
def run_once(name: str, now_text: str | None) -> None:
    """Run one job now, whoever leads, and print its record; exit 1 if it failed."""
    now = datetime.fromisoformat(now_text) if now_text else utcnow()
    run = run_job(db.session(), name, job_named(name).function, now)
    click.echo(
        f"{name}: {run.outcome}, {run.processed} processed, {run.changed} changed, "
        f"{run.failed} failed"
    )
    if run.error:
        click.echo(run.error, err=True)
    if run.outcome == "failed":
        raise SystemExit(1)


@jobs_cli.command("list")
def list_jobs() -> None:
    """Every registered job and its schedule."""
    for job in JOBS:
        schedule = ", ".join(f"{k}={v}" for k, v in job.schedule.items())
        click.echo(f"{job.name:<22} {job.trigger}({schedule})  {job.description}")


@click.command("worker")
@with_appcontext
@click.option("--concurrency", type=int, default=2, show_default=True, help="Tasks at once.")
@click.option(
    "--queue",
    "queues",
    multiple=True,
    help="Only these queues (mail, webhooks, imports, exports, jobs, maintenance); all by default.",
)
@click.option("--once", is_flag=True, help="Run the tasks waiting now, then stop (for tests).")
def worker(concurrency: int, queues: tuple[str, ...], once: bool) -> None:
    """Run background tasks from the queue until stopped (SIGTERM finishes the running ones).

    Needs TASK_QUEUE=procrastinate and PostgreSQL; start as many as needed, on any machine."""
    from compliance.integrations.queue import ProcrastinateQueue, queue_of

    queue = queue_of(current_app._get_current_object())  # type: ignore[attr-defined]
    if not isinstance(queue, ProcrastinateQueue):
        raise click.UsageError(
            "there is no queue to work on: TASK_QUEUE is 'in-process', so tasks run inside "
            "the web process. Set TASK_QUEUE=procrastinate (with a PostgreSQL DATABASE_URL)."
        )
    click.echo(f"worker: started, {concurrency} at once, queues: {', '.join(queues) or 'all'}")
    queue.run_worker(concurrency, list(queues) or None, wait=not once)
