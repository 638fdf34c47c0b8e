"""Benchmark of the deadline reminders on a filled national database (issue 19: every job under
10 minutes at 500,000 organisations).

Run: `DATABASE_URL=... .venv/bin/python bench/reminders.py [--limit N]` on a copy of a database
filled by bench/national.py (`--fill-only`), never on the only copy: the job writes notices and
e-mails. The database is migrated first. `--limit` runs the job for the first N organisations
only (a rate, when the whole run would take too long). Prints the seconds, the statements per
organisation and the e-mails stored. No assertion on time (machines are noisy).
"""

from __future__ import annotations

import argparse
import logging
import time
from datetime import datetime

from _common import bench_app
from _national_fill import NOW
from flask_migrate import upgrade
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from compliance.extensions import db
from compliance.jobs import runner
from compliance.jobs.reminders import remind_deadlines
from compliance.jobs.runner import JobFunction, RunCounts, run_job
from compliance.models.mail import OutgoingMail
from compliance.models.organizations import Organization
from compliance.models.tenancy import Reach, reach_scope


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only N organisations")
    parser.add_argument("--skip", type=int, default=0, help="after the first SKIP (with --limit)")
    args = parser.parse_args()
    app = bench_app()
    logging.getLogger("compliance").setLevel(logging.WARNING)
    statements = 0

    def counted(*_: object) -> None:
        nonlocal statements
        statements += 1

    with app.app_context():
        upgrade()
        mails_before = db.session.scalar(select(func.count()).select_from(OutgoingMail)) or 0
        db.session.remove()
        event.listen(db.engine, "before_cursor_execute", counted)
        started, cpu = time.perf_counter(), time.process_time()
        run = run_job(db.session(), "deadline_reminders", _some(args.skip, args.limit), NOW)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        event.remove(db.engine, "before_cursor_execute", counted)
        mails = (db.session.scalar(select(func.count()).select_from(OutgoingMail)) or 0) - (
            mails_before
        )
        processed = max(run.processed, 1)
        print(
            f"deadline_reminders at {NOW:%Y-%m-%d %H:%M} UTC: {seconds:.2f} s, "
            f"{run.processed} processed, {run.changed} changed, {run.failed} failed, "
            f"{run.outcome}; {statements / processed:.2f} statements and "
            f"{1000 * seconds / processed:.2f} ms ({1000 * cpu / processed:.2f} ms of this "
            f"process's CPU) per organisation; {mails} e-mails stored"
        )


def _some(skip: int, limit: int | None) -> JobFunction:
    """The job, for `limit` organisations after the first `skip` only (as one batch of a
    fanned-out run: the way that works before and after `each_organization` took `only`)."""
    if limit is None:
        return remind_deadlines

    def first_only(session: Session, now: datetime, counts: RunCounts) -> None:
        with reach_scope(session, Reach.for_everything()):
            ids = session.scalars(
                select(Organization.id).order_by(Organization.id).offset(skip).limit(limit)
            )
            batch = tuple(ids)
        token = runner._running.set(runner._Running("deadline_reminders", now, batch))
        try:
            remind_deadlines(session, now, counts)
        finally:
            runner._running.reset(token)

    return first_only


if __name__ == "__main__":
    main()
