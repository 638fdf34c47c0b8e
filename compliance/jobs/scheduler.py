"""`flask jobs run`: APScheduler's BlockingScheduler in its own process.

Never started by `create_app`: every gunicorn worker would then run every job. Several
`flask jobs run` processes may run (for availability); before each run a process checks that
it leads (`leader.py`), so each scheduled run happens once.
"""

from __future__ import annotations

import logging
import signal
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from compliance.clock import utcnow
from compliance.extensions import db
from compliance.jobs.leader import LEASE_SECONDS, Leadership, leadership_for
from compliance.jobs.runner import run_job
from compliance.jobs.schedule import JOBS, Job

log = logging.getLogger(__name__)


def _tick(app: Flask, leadership: Leadership, job: Job) -> None:
    with app.app_context():
        try:
            if not leadership.acquire():
                log.debug("not the leader: skipping", extra={"job": job.name})
                return
            run_job(db.session(), job.name, job.function, utcnow())
        finally:
            db.session.remove()


def _heartbeat(app: Flask, leadership: Leadership) -> None:
    with app.app_context():
        leadership.acquire()


def build_scheduler(
    app: Flask, every_seconds: int | None = None
) -> tuple[BlockingScheduler, Leadership]:
    """The scheduler with every registered job; `every_seconds` overrides all schedules."""
    with app.app_context():
        leadership = leadership_for(db.engine)
    # One worker: jobs run one after the other, and the leadership check is never concurrent.
    scheduler = BlockingScheduler(timezone="UTC", executors={"default": ThreadPoolExecutor(1)})
    for job in JOBS:
        trigger, schedule = (
            ("interval", {"seconds": every_seconds})
            if every_seconds
            else (job.trigger, job.schedule)
        )
        scheduler.add_job(
            _tick,
            trigger,
            args=[app, leadership, job],
            id=job.name,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=600,
            **schedule,
        )
    scheduler.add_job(
        _heartbeat, "interval", args=[app, leadership], seconds=LEASE_SECONDS // 3, id="heartbeat"
    )
    return scheduler, leadership


def run_scheduler(app: Flask, every_seconds: int | None = None) -> None:
    scheduler, leadership = build_scheduler(app, every_seconds)

    def stop(signum: int, frame: FrameType | None) -> None:
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        with app.app_context():
            leadership.release()
