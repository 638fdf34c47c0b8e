"""Two `flask jobs run` processes against one database: only the leader runs the jobs.

Both schedulers fire every job every second; the `job_runs` table then shows one runner.
On PostgreSQL the leader's advisory lock dies with its process, so the other one takes over.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from compliance.config import Config
from compliance.extensions import db
from compliance.jobs.schedule import JOBS
from compliance.models.jobs import JobRun

#: The schedulers are other processes: they must see committed rows, and the test theirs.
pytestmark = pytest.mark.commits

ROOT = Path(__file__).resolve().parents[2]


def _scheduler(config: Config, tmp_path: Path) -> subprocess.Popen[bytes]:
    # Under `faketime` (a whole-suite run on another day) the schedulers run on the real clock:
    # libfaketime cannot fake the timed lock waits their timers rely on, and which day it is
    # does not matter to who leads.
    inherited = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and "FAKETIME" not in k}
    env = {
        **inherited,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": config.database_url,
        "INSTANCE_PATH": str(tmp_path / "jobs-instance"),
        "SECRET_KEY": config.secret_key,
        "DATA_KEYS": ",".join(config.data_keys),
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "flask"), "jobs", "run", "--every", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _runs(app) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(select(JobRun.job, JobRun.runner).order_by(JobRun.id)).all()
        db.session.remove()
        return [(job, runner) for job, runner in rows]


def _wait_for(app, check, seconds: float = 90) -> list[tuple[str, str]]:
    deadline = time.monotonic() + seconds
    while True:
        runs = _runs(app)
        if check(runs) or time.monotonic() > deadline:
            return runs
        time.sleep(0.3)


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
    process.wait(timeout=15)


def test_two_schedulers_run_each_job_once(app, config, tmp_path):
    names = {job.name for job in JOBS}
    processes = [_scheduler(config, tmp_path) for _ in range(2)]
    try:
        # Wait (the machine may be slow to start two processes) until every job ran twice.
        _wait_for(app, lambda runs: all(sum(j == n for j, _ in runs) >= 2 for n in names))
        time.sleep(2)
        # Read while both still run: once the leader stops, the other one rightly takes over.
        runs = _runs(app)
    finally:
        for process in processes:
            _stop(process)
    assert {job for job, _ in runs} == names
    runners = {runner for _, runner in runs}
    assert len(runners) == 1, f"more than one process ran jobs: {runners}"
    assert int(runners.pop().rsplit(":", 1)[1]) in {p.pid for p in processes}


def test_when_the_leader_dies_the_other_scheduler_takes_over(app, config, tmp_path):
    if not config.database_url.startswith("postgresql"):
        pytest.skip("on SQLite the lease expires after a minute; the advisory lock is instant")
    first = _scheduler(config, tmp_path)
    try:
        runs = _wait_for(app, lambda runs: len(runs) >= 2)
        assert runs
        assert all(r.endswith(f":{first.pid}") for _, r in runs)
        second = _scheduler(config, tmp_path)
        try:
            time.sleep(8)  # the second one starts, and is refused the lead
            assert all(r.endswith(f":{first.pid}") for _, r in _runs(app))
            _stop(first, signal.SIGKILL)  # no clean release: the lock goes with the connection
            taken = _wait_for(app, lambda runs: any(r.endswith(f":{second.pid}") for _, r in runs))
            assert any(r.endswith(f":{second.pid}") for _, r in taken)
        finally:
            _stop(second)
    finally:
        _stop(first)


def test_a_lease_passes_to_another_process_only_once_it_expires(app, monkeypatch):
    from compliance.jobs import leader

    clock = [datetime(2026, 11, 23, 1, 0)]  # noqa: DTZ001  (naive UTC, as stored)
    monkeypatch.setattr(leader, "utcnow", lambda: clock[0])
    with app.app_context():
        first = leader.LeaseLeader(db.engine, holder="host-a:1")
        second = leader.LeaseLeader(db.engine, holder="host-b:2")
        assert first.acquire()
        assert not second.acquire()
        clock[0] += timedelta(seconds=leader.LEASE_SECONDS - 1)
        assert first.acquire()  # renewed: runs on
        clock[0] += timedelta(seconds=leader.LEASE_SECONDS - 1)
        assert not second.acquire()
        clock[0] += timedelta(seconds=leader.LEASE_SECONDS + 1)  # the leader died silently
        assert second.acquire()
        assert not first.acquire()
        second.release()
        assert first.acquire()
