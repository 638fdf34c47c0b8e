"""`flask jobs ...`: run the scheduler, run one job now, list the jobs."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

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
