"""Benchmark of every scheduled job on a national-size database, filled with COPY.

Run: `DATABASE_URL=$(PGTEST_DB=kuota_bench_national scripts/postgres) .venv/bin/python
bench/national.py` (`--organizations 50000`; the issue's full size is 500,000). The database is
migrated (nothing dropped) and its regions loaded; if it already holds organisations, users,
establishments, figures or employees, the bench says so and exits 1 without changing anything:
it never deletes data it did not make. Use a database of its own, and a fresh one per run.

`--filled` runs the jobs on a database this bench filled earlier (a copy of one, made with
`CREATE DATABASE ... TEMPLATE ...`, so that a before/after comparison starts from the same rows):
it migrates it to the head (nothing dropped), fills and checks nothing, and exits 1 without
changing anything if the database was not filled by this bench. Like a run after the fill, it
writes what the jobs write (snapshots, purges, notices, mail); it never deletes anything.

The fill (COPY through psycopg 3, timed per table; `_national_fill` and `_national_records`):
- organisations spread over all 514 regencies, mostly private, a few percent central or
  regional government and state or regional owned enterprises, declarations due in January;
- about 1.2 establishments each (every fifth organisation has a branch in another regency);
- one HR manager each (one password hash shared by all: hashing is not what is measured);
- 12 months of workforce figures for last year per establishment, a row for every employment
  type its sector reports (six, nine in government; all but two are zero),
  about 24 workers per organisation on average (a long tail: a few have thousands);
- 1 % of the workers as roster employees with a disability, their categories and evidence
  numbers encrypted with the application's key ring, each with a consent record; some
  evidence expires within weeks, some consents are withdrawn, some people left long ago, so
  the privacy and evidence jobs have work;
- an admin, inspectors for every province, 200 ULDs with two officers each, 50,000 candidates
  with skills and consents, and two years of declarations with inspectors' reviews and some
  cases at nota pemeriksaan I or II (`_national_records` says how many of each).

Every account's password is `_national_fill.PASSWORD`; bench/national_pages.py logs in with it
to time the pages on the filled database.

Then every job of `compliance.jobs.schedule.JOBS` runs once, in-process, at 2 January of this
year 01:00 UTC (declarations of last year are then due within 30 days); `--jobs` picks some
(the per-organisation ones take hours at 500,000 organisations). Per job it prints the
seconds, what its `JobRun` recorded (processed/changed/failed), the growth of the process's
peak resident memory (`ru_maxrss`: a job that stays under an earlier peak shows 0) and the SQL
statements it sent (those of the mail it delivers in-process too). No assertion on time
(machines are noisy).

`--workers N` runs the jobs as production does with a task queue (`TASK_QUEUE=procrastinate`):
the scheduled run queues its organisations in batches, then N worker processes
(`_national_worker.py`, one task at a time each) share the batches until the queue is empty.
The seconds are then from the run's start until the last worker stopped; `processed` counts
the organisations queued, and the workers' CPU seconds and failed tasks are printed beside.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import _national_records
import _national_summaries
import psycopg
from _common import bench_app
from _national_fill import FILLED, FIRST_HR_EMAIL, NOW, fill
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, text

from compliance.extensions import db
from compliance.jobs.runner import run_job
from compliance.jobs.schedule import JOBS
from compliance.services.regions import load_regions


def _prepare(app: Flask, *, filled: bool) -> bool:
    """Migrate and load the regions (both idempotent); whether the database is empty or, with
    `filled`, one this bench filled (its first HR manager is there)."""
    with app.app_context():
        upgrade()
        load_regions(db.session)
        db.session.commit()
        if filled:
            ours = db.session.scalar(
                text("SELECT EXISTS (SELECT 1 FROM users WHERE email = :email)"),
                {"email": FIRST_HR_EMAIL},
            )
            if not ours:
                print("no organisations of this bench: fill the database first (without --filled)")
            return bool(ours)
        for table in FILLED:
            if db.session.scalar(text(f"SELECT EXISTS (SELECT 1 FROM {table})")):  # noqa: S608
                print(f"{table} already has rows: this bench fills an empty database only")
                return False
    return True


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _drain(workers: int) -> tuple[float, int]:
    """Start `workers` worker processes and wait until they stopped (the queue is empty): their
    CPU seconds, and the tasks left failed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    script = Path(__file__).with_name("_national_worker.py")
    processes = [subprocess.Popen([sys.executable, str(script)]) for _ in range(workers)]
    for process in processes:
        process.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    with _psycopg_url_connection() as connection:
        failed = connection.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'"
        ).fetchone()
    return cpu, int(failed[0]) if failed else 0


def _psycopg_url_connection() -> psycopg.Connection:
    url = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(url)


def _run_jobs(app: Flask, names: list[str] | None, workers: int = 0) -> None:
    print(
        f"  {'job':<24} {'seconds':>9} {'processed':>10} {'changed':>8} {'failed':>7} "
        f"{'outcome':>10} {'peak +MB':>9} {'statements':>11}"
    )
    total = 0.0
    statements = [0]
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: object) -> None:
        statements[0] += 1

    for job in JOBS:
        if names is not None and job.name not in names:
            continue
        with app.app_context():
            before, statements[0] = _maxrss_mb(), 0
            started = time.perf_counter()
            run = run_job(db.session(), job.name, job.function, NOW)
            if workers:
                cpu, failed = _drain(workers)
            seconds = time.perf_counter() - started
            total += seconds
            print(
                f"  {job.name:<24} {seconds:9.2f} {run.processed:>10} {run.changed:>8} "
                f"{run.failed:>7} {run.outcome:>10} {_maxrss_mb() - before:9.1f} "
                f"{statements[0]:>11}"
                + (
                    f"  {workers} workers: {cpu:.1f} s CPU, {failed} tasks failed"
                    if workers
                    else ""
                )
            )
            db.session.remove()
    print(f"  {'all jobs':<24} {total:9.2f}   (peak RSS {_maxrss_mb():.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organizations", type=int, default=50_000)
    parser.add_argument(
        "--jobs", nargs="+", choices=[job.name for job in JOBS], help="only these (default: all)"
    )
    parser.add_argument(
        "--fill-only", action="store_true", help="no jobs (bench/national_pages.py then)"
    )
    parser.add_argument(
        "--filled",
        action="store_true",
        help="run the jobs on a database this bench filled earlier (migrated, never emptied)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="fan the jobs out to this many worker processes (TASK_QUEUE=procrastinate)",
    )
    args = parser.parse_args()
    if args.filled and args.fill_only:
        parser.error("--filled runs jobs only; --fill-only fills only")
    app = bench_app(task_queue="procrastinate") if args.workers else bench_app()
    logging.getLogger("compliance").setLevel(logging.WARNING)  # one line per e-mail, else
    if not _prepare(app, filled=args.filled):
        sys.exit(1)
    if not args.filled:
        print(f"fill: {args.organizations:,} organisations")
        fill(app, args.organizations, _national_records.steps)
        _national_summaries.check(app, args.organizations)
    if args.fill_only:
        return
    print(f"jobs at {NOW:%Y-%m-%d %H:%M} UTC")
    _run_jobs(app, args.jobs, args.workers)


if __name__ == "__main__":
    main()
