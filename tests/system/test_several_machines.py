"""Several machines, proved by killing processes (issue 18.3; PostgreSQL only, on loopback).

Two gunicorn instances (A and B, two workers each), two `flask worker` processes and two
`flask jobs run` schedulers share one PostgreSQL; e-mail goes to an SMTP server on loopback
that refuses the first two attempts of every message. Each process has an instance folder of
its own, so nothing can pass through a shared disk. In one run:

1. a 20,000-row roster is uploaded on A and confirmed on B;
2. the worker writing it is SIGKILLed half-way: the other worker finishes it, and every
   employee and consent is there once, progress reaches 100 % and the audit chain verifies;
3. a password reset asked on B reaches its reader once, after two refusals;
4. the scheduler that leads is SIGKILLed: the other leads within a minute, and no job runs
   twice at once;
5. the database becomes unreachable for the web instances for a few seconds (a TCP proxy in
   front of PostgreSQL is cut, so the server the rest of the suite uses keeps running): pages
   answer 503 with a kind message, `/healthz` says so, and both recover without a restart.

Timings of each step are printed (`-s` shows them) for the issue's closing note.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
import requests
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from compliance.config import PROJECT_ROOT, Config
from compliance.extensions import db
from compliance.models import ConsentRecord, Employee, ImportJob, ImportStatus
from compliance.models.jobs import JobRun
from compliance.models.tenancy import Reach, reach_scope
from compliance.services.audit import verify_chain
from tests.support.factories import PASSWORD
from tests.support.imports import ROSTER_HEADER, csv_bytes, roster_rows
from tests.support.tcp_proxy import TcpProxy

ROWS = 20_000
JOBS_EVERY = 10  # seconds: every scheduled job runs this often in this test
LOGS = PROJECT_ROOT / "artifacts" / "system"

pytestmark = [
    pytest.mark.commits,
    # The other processes run on the machine's clock; so does this test (it compares the times
    # they record, never a date).
    pytest.mark.real_clock,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
        reason="several machines share PostgreSQL (procrastinate, advisory locks)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RefusingSmtp:
    """Refuses the first two attempts of every message (by Message-ID), then accepts it."""

    def __init__(self) -> None:
        self.refusals: dict[str, int] = {}
        self.accepted: list[Any] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        key = str(message["Message-ID"])
        if self.refusals.get(key, 0) < 2:
            self.refusals[key] = self.refusals.get(key, 0) + 1
            return "451 4.3.0 Try again later"
        self.accepted.append(message)
        return "250 OK"


@dataclass
class Cluster:
    root: Path
    env: dict[str, str]
    urls: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def start(self, name: str, args: list[str], env: dict[str, str] | None = None) -> None:
        instance = self.root / name
        instance.mkdir()
        with self._log_path(name).open("wb") as log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", *args],
                cwd=PROJECT_ROOT,
                env={**self.env, **(env or {}), "INSTANCE_PATH": str(instance)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def log(self, name: str) -> str:
        return self._log_path(name).read_text(errors="replace")

    @staticmethod
    def _log_path(name: str) -> Path:
        """Kept after the run (CI keeps `artifacts/`), for reading what each process did."""
        LOGS.mkdir(parents=True, exist_ok=True)
        return LOGS / f"{name}.log"

    def pid(self, name: str) -> int:
        return self.processes[name].pid

    def kill(self, name: str) -> None:
        self.processes[name].send_signal(signal.SIGKILL)
        self.processes[name].wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait(what: str, check: Callable[[], Any], timeout: float, every: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture
def smtp() -> Iterator[tuple[RefusingSmtp, int]]:
    handler = RefusingSmtp()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def cluster(app, database_url: str, smtp, tmp_path: Path) -> Iterator[tuple[Cluster, TcpProxy]]:
    config: Config = app.extensions["kuota_config"]
    url = make_url(config.database_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    through_proxy = url.set(host="127.0.0.1", port=proxy.port)
    _, smtp_port = smtp
    env = {
        **os.environ,
        "DATABASE_URL": config.database_url,
        "TASK_QUEUE": "procrastinate",
        "SECRET_KEY": config.secret_key,
        "DATA_KEYS": ",".join(config.data_keys),
        "AUDIT_KEYS": ",".join(config.audit_keys),
        "EVIDENCE_SIGNING_KEY": config.evidence_signing_key,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "IMPORT_INLINE_ROWS": "100",
        "LOG_FORMAT": "json",
    }
    env.pop("TEST_DATABASE_URL", None)
    cluster = Cluster(tmp_path, env)
    web_env = {"DATABASE_URL": through_proxy.render_as_string(hide_password=False)}
    for name in ("a", "b"):
        port = _free_port()
        cluster.urls[name] = f"http://127.0.0.1:{port}"
        gunicorn = ["gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
        cluster.start(f"web-{name}", gunicorn, {**web_env, "BASE_URL": cluster.urls["a"]})
    for name in ("worker-1", "worker-2"):
        cluster.start(name, ["flask", "--app", "wsgi", "worker", "--concurrency", "1"])
    for name in ("scheduler-1", "scheduler-2"):
        cluster.start(name, ["flask", "--app", "wsgi", "jobs", "run", "--every", str(JOBS_EVERY)])
    try:
        for name, base in cluster.urls.items():
            _wait(f"web {name}", lambda base=base: _healthy(base), timeout=240)
        yield cluster, proxy
    finally:
        cluster.stop_all()
        proxy.cut()
        with app.app_context():
            db.session.execute(text("DELETE FROM procrastinate_jobs"))
            db.session.execute(text("DELETE FROM procrastinate_workers"))
            db.session.commit()


def _healthy(base: str) -> bool:
    try:
        return requests.get(base + "/healthz", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def _csrf(browser: requests.Session, url: str) -> str:
    page = browser.get(url, timeout=30).text
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, f"no form on {url}"
    return match.group(1)


def _login(browser: requests.Session, base: str, email: str) -> None:
    token = _csrf(browser, base + "/login")
    response = browser.post(
        base + "/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:500]


def _status(browser: requests.Session, base: str, job_id: int) -> dict[str, Any]:
    response = browser.get(f"{base}/imports/{job_id}/status", timeout=30)
    assert response.status_code == 200, response.text[:500]
    return dict(response.json())


def _worker_running(cluster: Cluster, task: str) -> str | None:
    """The worker whose log says it started `task` (its `task started` line)."""
    for name in ("worker-1", "worker-2"):
        for line in cluster.log(name).splitlines():
            if '"task started"' in line and f'"task": "{task}"' in line:
                return name
    return None


def test_several_machines_survive_killed_processes(app, factory, cluster, smtp) -> None:
    cluster_, proxy = cluster
    handler, _ = smtp
    a, b = cluster_.urls["a"], cluster_.urls["b"]
    org = factory.org(name="PT Banyak Mesin")
    with requests.Session() as browser, requests.Session() as stranger:
        browser.headers["Accept-Language"] = "en"
        _login(browser, a, org.hr_email)
        # 3, asked first: its back-off runs while the import does. A reset asked on B.
        token = _csrf(stranger, b + "/password/forgot")
        stranger.post(b + "/password/forgot", data={"csrf_token": token, "email": org.hr_email})
        _steps(app, cluster_, proxy, handler, browser, org)


def _steps(app, cluster_: Cluster, proxy: TcpProxy, handler: RefusingSmtp, browser, org) -> None:
    a, b = cluster_.urls["a"], cluster_.urls["b"]
    asked_at = time.monotonic()

    # 1. Upload on A; the check runs on a worker; confirm on B.
    started = time.monotonic()
    data = csv_bytes(ROSTER_HEADER, roster_rows(ROWS, org.establishment_ids[0]))
    token = _csrf(browser, a + "/imports")
    response = browser.post(
        a + "/imports",
        data={"csrf_token": token, "kind": "roster"},
        files={"file": ("roster.csv", data, "text/csv")},
        allow_redirects=False,
        timeout=120,
    )
    assert response.status_code == 302, response.text[:500]
    job_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    _wait("the file checked", lambda: _status(browser, b, job_id)["status"] == "ready", 180)
    cluster_.timings["upload and check 20,000 rows"] = time.monotonic() - started
    token = _csrf(browser, f"{b}/imports/{job_id}")
    response = browser.post(
        f"{b}/imports/{job_id}/confirm", data={"csrf_token": token}, allow_redirects=False
    )
    assert response.status_code == 302

    # 2. SIGKILL the worker writing it, half-way.
    def half_way() -> bool:
        status = _status(browser, a, job_id)
        return status["status"] == "importing" and 0 < status["processed"] < ROWS

    _wait("the import under way", half_way, 180, every=0.05)
    victim = _worker_running(cluster_, "run_import")
    assert victim is not None, "no worker logged the import"
    processed_at_kill = _status(browser, a, job_id)["processed"]
    cluster_.kill(victim)
    killed = time.monotonic()
    done = _wait(
        "another worker to finish the import",
        lambda: (s := _status(browser, b, job_id))["status"] == "done" and s,
        240,
        every=0.5,
    )
    cluster_.timings["import finished after the kill"] = time.monotonic() - killed
    survivor = {"worker-1": "worker-2", "worker-2": "worker-1"}[victim]
    assert '"task": "run_import"' in cluster_.log(survivor)
    assert done["percent"] == 100
    assert done["processed"] == done["total"] == ROWS
    assert 0 < processed_at_kill < ROWS
    with app.app_context(), reach_scope(db.session(), Reach.for_everything()):
        session = db.session()
        numbers = session.scalars(
            select(Employee.employee_number).where(Employee.organization_id == org.id)
        ).all()
        assert len(numbers) == len(set(numbers)) == ROWS, "each employee once"
        consents = session.scalar(
            select(func.count(ConsentRecord.id))
            .join(Employee, Employee.id == ConsentRecord.employee_id)
            .where(Employee.organization_id == org.id)
        )
        assert consents == ROWS, "one consent per employee"
        job = session.get(ImportJob, job_id)
        assert job is not None
        assert job.status is ImportStatus.DONE
        assert verify_chain(session).is_intact
        session.rollback()

    # 3. The reset mail: refused twice, then delivered once.
    def reset_mails() -> list[Any]:
        return [m for m in handler.accepted if "/password/reset/" in _text(m)]

    (reset,) = _wait("the reset mail", reset_mails, 90, every=0.5)
    cluster_.timings["reset mail delivered after two refusals"] = time.monotonic() - asked_at
    assert handler.refusals[str(reset["Message-ID"])] == 2
    accepted_ids = [str(m["Message-ID"]) for m in handler.accepted]
    assert len(accepted_ids) == len(set(accepted_ids)), "no message delivered twice"

    # 4. SIGKILL the scheduler that leads; the other leads within a minute.
    leader_pid = _wait("a scheduled run", lambda: _last_runner_pid(app), 60)
    leader = next(n for n in ("scheduler-1", "scheduler-2") if cluster_.pid(n) == leader_pid)
    follower = {"scheduler-1": "scheduler-2", "scheduler-2": "scheduler-1"}[leader]
    cluster_.kill(leader)
    killed_at = datetime.now(UTC).replace(tzinfo=None)  # JobRun times are naive UTC
    killed = time.monotonic()
    _wait(
        "the other scheduler to lead",
        lambda: _runs_by(app, cluster_.pid(follower), killed_at),
        60,
        every=0.5,
    )
    cluster_.timings["scheduler took over"] = time.monotonic() - killed
    time.sleep(JOBS_EVERY + 2)  # a further tick, so a double run would show
    _assert_no_job_ran_twice(app, since=killed_at - timedelta(seconds=JOBS_EVERY))

    # 5. The database unreachable for the web instances, for a few seconds.
    proxy.cut()
    cut = time.monotonic()
    page = browser.get(a + "/roster", timeout=30)
    assert page.status_code == 503
    assert "Temporarily unavailable" in page.text
    assert "Traceback" not in page.text
    health = requests.get(b + "/healthz", timeout=30)
    assert (health.status_code, health.json()["database"]) == (503, "unreachable")
    time.sleep(max(0.0, 3 - (time.monotonic() - cut)))
    proxy.restore()
    restored = time.monotonic()
    for base in (a, b):
        _wait("pages again", lambda base=base: browser.get(base + "/roster").status_code == 200, 30)
    cluster_.timings["pages back after the database"] = time.monotonic() - restored
    assert all(p.poll() is None for n, p in cluster_.processes.items() if n.startswith("web"))

    print("\nseveral machines, timings:")
    for what, seconds in cluster_.timings.items():
        print(f"  {what:<45} {seconds:6.1f} s")


def _text(message: Any) -> str:
    body = message.get_body(("plain",))
    return str(body.get_content()) if body is not None else ""


def _last_runner_pid(app) -> int | None:
    with app.app_context():
        runner = db.session.scalar(select(JobRun.runner).order_by(JobRun.id.desc()).limit(1))
        db.session.rollback()
    return int(runner.rsplit(":", 1)[1]) if runner else None


def _runs_by(app, pid: int, since: datetime) -> bool:
    with app.app_context():
        found = db.session.scalar(
            select(func.count(JobRun.id)).where(
                JobRun.runner.like(f"%:{pid}"), JobRun.started_at >= since
            )
        )
        db.session.rollback()
    return bool(found)


def _assert_no_job_ran_twice(app, since: datetime) -> None:
    """Two leaders at once would run the same job in the same tick: overlapping runs, or runs
    of one job closer together than a tick allows."""
    with app.app_context():
        runs = db.session.execute(
            select(JobRun.job, JobRun.started_at, JobRun.finished_at, JobRun.runner)
            .where(JobRun.started_at >= since)
            .order_by(JobRun.job, JobRun.started_at)
        ).all()
        db.session.rollback()
    by_job: dict[str, list[Any]] = {}
    for run in runs:
        by_job.setdefault(run.job, []).append(run)
    assert by_job, "no job ran"
    for job, job_runs in by_job.items():
        for first, second in itertools.pairwise(job_runs):
            ended = first.finished_at or first.started_at
            assert second.started_at >= ended, f"{job} ran twice at once: {first}, {second}"
            if first.runner != second.runner:
                continue  # the hand-over: the new leader's tick may fall anywhere
            gap = (second.started_at - first.started_at).total_seconds()
            assert gap >= JOBS_EVERY / 2, f"{job} ran twice in one tick: {first}, {second}"
