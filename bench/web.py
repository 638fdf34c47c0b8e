"""Benchmark of each role's main pages served as production serves them, beside a hello-world.

Run: `DATABASE_URL=$(PGTEST_DB=kuota_bench_web scripts/postgres) .venv/bin/python bench/web.py`
(`--seconds 10 --users 16`; `--roles inspector admin` or `--paths /gap` for a part). The database
is emptied, migrated and filled with the demo data (`flask demo-data`): use a database of its own.

The product runs under gunicorn with `deploy/gunicorn.conf.py` and two workers, on a production
configuration (`Config.from_env`: full argon2 cost, JSON logs) on 127.0.0.1; a plain WSGI
hello-world (`bench/hello_wsgi.py`) runs on the same settings on another loopback port, and so
does the stack's floor (`bench/floor_wsgi.py`): Flask answering a string, and a signed-in page
that does only what every signed-in page must (session cookie, Flask-Login loading the user with
one statement through Flask-SQLAlchemy, a Jinja page extending a layout). A target ratio above
the floor's cannot be met by any page of the product on this machine, and the bench says so. Each
role's demo user logs in through the login form (CSRF token read from the page) once per
simulated user, and `--users` threads (http.client, no keep-alive: gunicorn's sync workers
close every connection) load one page at a time for `--seconds`. Per page it prints:
- req/s and its ratio to the hello-world's req/s (mean of a run before and after the pages);
- p50/p95/p99 latency and errors (any answer but 200, or no answer);
- server CPU per request: the gunicorn workers' CPU time (/proc/<pid>/stat) and that of their
  PostgreSQL backends, over the measured window, divided by the requests served;
- SQL statements per page, counted in-process: one request through the test client with a
  `before_cursor_execute` listener (nothing in the served app counts anything).
Targets are printed beside the figures (HR, officer and admin pages at least 0.15x the
hello-world, inspector pages 0.10x, p95 under 100 ms, no errors). The load generator shares the
machine's cores with the servers and the machine is shared, so figures are noisy: compare runs
made minutes apart, not across days. No assertion on time.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

#: Each role's demo login and main pages (its menu's pages without parameters), as endpoints.
ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "hr_manager": (
        "hr@maju-bersama.demo",
        (
            "main.dashboard",
            "organizations.list_establishments",
            "organizations.edit_month_figures",
            "roster.list_employees",
            "imports.list_jobs",
            "declarations.list_declarations",
            "declarations.show_gap",
            "inspections.hr_overview",
            "registry.list_requests",
            "organizations.show_own",
            "organizations.team",
            "billing.show_billing",
            "organizations.history",
        ),
    ),
    "inspector": (
        "inspektur@disnaker.demo",
        ("main.dashboard", "inspections.show_dashboard", "inspections.verify_evidence"),
    ),
    "registry_officer": (
        "petugas@uld-tangerang.demo",
        (
            "main.dashboard",
            "registry.list_candidates",
            "registry.list_routed_requests",
            "registry.show_statistics",
        ),
    ),
    "admin": (
        "admin@kuota-inklusi.demo",
        (
            "main.dashboard",
            "admin.list_users",
            "registry.list_ulds",
            "inspections.admin_summary",
            "registry.show_statistics",
            "inspections.list_holidays",
            "inspections.list_inspectorate_offices",
            "admin.audit_trail",
            "billing.list_job_runs",
        ),
    ),
}
#: Least throughput as a share of the hello-world's, per role.
TARGET_RATIO = {"hr_manager": 0.15, "inspector": 0.10, "registry_officer": 0.15, "admin": 0.15}
TARGET_P95_MS = 100.0
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Result:
    requests: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    worker_cpu: float = 0.0
    db_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000

    def per_request_ms(self, cpu: float) -> float:
        return cpu / self.requests * 1000 if self.requests else float("nan")


# --- the servers -------------------------------------------------------------------------------


def _production_env(database_url: str, port: int) -> dict[str, str]:
    """A production configuration of its own: fresh keys, production argon2 cost, JSON logs."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATA_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "AUDIT_KEYS": secrets.token_urlsafe(32),
        "EVIDENCE_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "INSTANCE_PATH": tempfile.mkdtemp(prefix="kuota-bench-web-"),
        "BASE_URL": f"http://127.0.0.1:{port}",
        "LOG_FORMAT": "json",
    }


def _gunicorn(app: str, port: int, workers: int, env: dict[str, str], log: Path) -> Any:
    command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy/gunicorn.conf.py")]
    if not app.startswith("wsgi:"):  # the bench's own apps
        command += ["--chdir", str(BENCH)]
    process = subprocess.Popen(
        [*command, app],
        cwd=ROOT,
        env={
            **os.environ,
            **env,
            "PYTHONPATH": str(ROOT),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
        },
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn {app} exited; see {log}")
        try:
            status, _, _ = _request(port, "/healthz" if app == "wsgi:app" else "/")
            if status == 200 and len(_worker_pids(process.pid)) == workers:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn {app} did not answer within 60 s; see {log}")


def _worker_pids(master: int) -> list[int]:
    path = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """user + system CPU time of each process still alive."""
    times = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        times[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return times


def _db_backend_pids(database_url: str) -> list[int]:
    import psycopg

    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        ).fetchall()
    return [row[0] for row in rows]


# --- the client --------------------------------------------------------------------------------


def _request(
    port: int, path: str, *, cookie: str = "", method: str = "GET", body: str | None = None
) -> tuple[int, dict[str, list[str]], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        header_lists: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            header_lists.setdefault(name.lower(), []).append(value)
        return response.status, header_lists, data
    finally:
        conn.close()


def _merge_cookies(cookie: str, headers: dict[str, list[str]]) -> str:
    jar = SimpleCookie(cookie)
    for line in headers.get("set-cookie", []):
        jar.load(line)
    return "; ".join(f"{key}={morsel.value}" for key, morsel in jar.items() if morsel.value)


def log_in(port: int, email: str, password: str) -> str:
    """The session cookie of a fresh login through the form, as a browser gets it."""
    status, headers, page = _request(port, "/login")
    cookie = _merge_cookies("", headers)
    match = _TOKEN.search(page.decode())
    if status != 200 or match is None:
        raise SystemExit(f"no login form on /login ({status})")
    form = urlencode({"csrf_token": match.group(1), "email": email, "password": password})
    status, headers, _ = _request(port, "/login", cookie=cookie, method="POST", body=form)
    if status != 302:
        raise SystemExit(f"login of {email} failed ({status})")
    return _merge_cookies(cookie, headers)


def load(port: int, path: str, cookies: list[str], seconds: float) -> Result:
    """One thread per cookie, each sending one request at a time until the time is up."""
    result = Result()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def user(cookie: str) -> None:
        latencies: list[float] = []
        errors = 0
        while True:
            start = time.perf_counter()
            if start >= deadline:
                break
            try:
                status, _, _ = _request(port, path, cookie=cookie)
            except OSError:
                status = 0
            latencies.append(time.perf_counter() - start)
            errors += status != 200
        with lock:
            result.latencies += latencies
            result.errors += errors

    threads = [threading.Thread(target=user, args=(cookie,)) for cookie in cookies]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    result.requests = len(result.latencies)
    return result


def measure(
    port: int, path: str, cookies: list[str], seconds: float, workers: list[int], db_pids: Callable
) -> Result:
    load(port, path, cookies, min(1.0, seconds / 5))  # warm-up: templates, pools, caches
    backends = db_pids()
    before_workers, before_db = _cpu_seconds(workers), _cpu_seconds(backends)
    result = load(port, path, cookies, seconds)
    after_workers, after_db = _cpu_seconds(workers), _cpu_seconds(backends)
    result.worker_cpu = sum(t - before_workers.get(p, t) for p, t in after_workers.items())
    result.db_cpu = sum(t - before_db.get(p, t) for p, t in after_db.items())
    return result


# --- the in-process side: demo data and SQL statements per page ---------------------------------


def prepare(env: dict[str, str], roles: list[str]) -> tuple[dict[str, list[str]], dict, str]:
    """Empty, migrate and seed the database with `flask demo-data`; count each page's SQL."""
    from _common import reset_database
    from sqlalchemy import event
    from werkzeug.test import Client

    from compliance import create_app
    from compliance.config import Config
    from compliance.extensions import db
    from compliance.services.demo import DEMO_PASSWORD

    # The same configuration as the served app (its keys read the seeded data), quieter.
    app = create_app(Config.from_env({**env, "LOG_LEVEL": "WARNING"}))
    reset_database(app)
    output = app.test_cli_runner().invoke(args=["demo-data"]).output
    logins = dict(re.findall(r"^\s+(\w+)\s+(\S+@\S+)", output, re.MULTILINE))
    missing = {ROLES[role][0] for role in roles} - set(logins.values())
    if missing:
        raise SystemExit(f"demo-data printed no login for {sorted(missing)}:\n{output}")

    paths: dict[str, list[str]] = {}
    queries: dict[tuple[str, str], int] = {}
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    with app.app_context():
        engine = db.engine
    for role in roles:
        email, endpoints = ROLES[role]
        with app.test_request_context():
            from flask import url_for

            paths[role] = [url_for(endpoint) for endpoint in endpoints]
        client: Client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = _TOKEN.search(page).group(1)  # type: ignore[union-attr]
        form = {"csrf_token": token, "email": email, "password": DEMO_PASSWORD}
        if client.post("/login", data=form).status_code != 302:
            raise SystemExit(f"in-process login of {email} failed")
        for path in paths[role]:
            client.get(path)  # first request: caches, lazy loads
            statements = 0
            event.listen(engine, "before_cursor_execute", count)
            status = client.get(path).status_code
            event.remove(engine, "before_cursor_execute", count)
            queries[role, path] = statements if status == 200 else -status
    with app.app_context():
        db.engine.dispose()
    return paths, queries, DEMO_PASSWORD


# --- the report ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per page")
    parser.add_argument("--users", type=int, default=16, help="concurrent simulated users")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--port", type=int, default=8750, help="the product's port")
    parser.add_argument("--hello-port", type=int, default=8751, help="the hello-world's port")
    parser.add_argument("--floor-port", type=int, default=8752, help="the stack floor's port")
    parser.add_argument("--roles", nargs="*", choices=list(ROLES), default=list(ROLES))
    parser.add_argument("--paths", nargs="*", default=[], help="only paths containing these")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of its own")

    env = _production_env(database_url, args.port)
    paths, queries, password = prepare(env, args.roles)
    log = Path(env["INSTANCE_PATH"]) / "gunicorn.log"
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; log {log}")
    servers = []
    try:
        hello = _gunicorn("hello_wsgi:app", args.hello_port, args.workers, env, log)
        servers.append(hello)
        floor = _gunicorn("floor_wsgi:app", args.floor_port, args.workers, env, log)
        servers.append(floor)
        product = _gunicorn("wsgi:app", args.port, args.workers, env, log)
        servers.append(product)
        hello_workers = _worker_pids(hello.pid)
        floor_workers = _worker_pids(floor.pid)
        workers = _worker_pids(product.pid)

        def db_pids() -> list[int]:
            return _db_backend_pids(env["DATABASE_URL"])

        def no_db() -> list[int]:
            return []

        cookies = {
            role: [log_in(args.port, ROLES[role][0], password) for _ in range(args.users)]
            for role in args.roles
        }
        anonymous = [""] * args.users
        hellos = [measure(args.hello_port, "/", anonymous, args.seconds, hello_workers, no_db)]
        floor_cookie = _merge_cookies("", _request(args.floor_port, "/login")[1])
        floors = {
            "Flask answering a string": measure(
                args.floor_port, "/", anonymous, args.seconds, floor_workers, no_db
            ),
            "a signed-in page (floor)": measure(
                args.floor_port,
                "/home",
                [floor_cookie] * args.users,
                args.seconds,
                floor_workers,
                db_pids,
            ),
        }
        results: dict[tuple[str, str], Result] = {}
        for role in args.roles:
            for path in paths[role]:
                if args.paths and not any(part in path for part in args.paths):
                    continue
                results[role, path] = measure(
                    args.port, path, cookies[role], args.seconds, workers, db_pids
                )
        hellos.append(measure(args.hello_port, "/", anonymous, args.seconds, hello_workers, no_db))
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)

    baseline = statistics.mean(h.rate for h in hellos)
    print(
        f"\n{args.users} users, {args.seconds:g} s per page, {args.workers} gunicorn workers; "
        f"load average at end: {os.getloadavg()[0]:.2f} (a shared machine: figures are noisy)"
    )
    print(
        "hello-world: "
        + ", ".join(
            f"{h.rate:.0f} req/s p95 {h.percentile(95):.1f} ms "
            f"cpu {h.per_request_ms(h.worker_cpu):.2f} ms/req"
            for h in hellos
        )
        + f" (before, after; baseline {baseline:.0f} req/s)"
    )
    print("the stack's floor (bench/floor_wsgi.py, no product code):")
    for name, result in floors.items():
        print(
            f"  {name:<26} {result.rate:>7.1f} req/s {result.rate / baseline:>6.3f}x hello "
            f"p95 {result.percentile(95):.1f} ms cpu {result.per_request_ms(result.worker_cpu):.2f}"
            f" + db {result.per_request_ms(result.db_cpu):.2f} ms/req, {result.errors} errors"
        )
    signed_in = floors["a signed-in page (floor)"].rate / baseline
    for role in args.roles:
        if TARGET_RATIO[role] > signed_in:
            print(
                f"  {role}: its target {TARGET_RATIO[role]:.2f}x is above the signed-in floor's "
                f"{signed_in:.3f}x: no page of this stack can meet it on this machine"
            )
    header = (
        f"{'role':<16} {'path':<34} {'req/s':>7} {'xhello':>7} {'target':>6} "
        f"{'p50':>6} {'p95':>6} {'p99':>6} {'err':>4} {'cpu/req':>7} {'db/req':>6} {'SQL':>4}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    misses = 0
    for (role, path), result in results.items():
        ratio = result.rate / baseline if baseline else 0.0
        p95 = result.percentile(95)
        target = TARGET_RATIO[role]
        missed = []
        if ratio < target:
            missed.append("rate")
        if not p95 < TARGET_P95_MS:
            missed.append("p95")
        if result.errors:
            missed.append("errors")
        misses += bool(missed)
        print(
            f"{role:<16} {path:<34} {result.rate:>7.1f} {ratio:>7.3f} {target:>6.2f} "
            f"{result.percentile(50):>6.1f} {p95:>6.1f} {result.percentile(99):>6.1f} "
            f"{result.errors:>4} {result.per_request_ms(result.worker_cpu):>7.2f} "
            f"{result.per_request_ms(result.db_cpu):>6.2f} {queries[role, path]:>4}"
            + (f"  MISSES {'+'.join(missed)}" if missed else "")
        )
    print(
        f"\nlatencies in ms; cpu/req: gunicorn workers' CPU ms per request; db/req: their "
        f"PostgreSQL backends' CPU ms per request; SQL: statements for one request (in-process; "
        f"negative: the HTTP status it answered instead). Targets: xhello ≥ target, p95 < "
        f"{TARGET_P95_MS:.0f} ms, 0 errors. {misses} of {len(results)} pages miss a target."
    )


if __name__ == "__main__":
    main()
