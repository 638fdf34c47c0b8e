"""Benchmark of the pages on national data, beside baselines measured in the same run.

Run on a database filled by bench/national.py (its own, fresh one):
    URL=$(PGTEST_DB=kuota_pages_50k scripts/postgres)
    DATABASE_URL=$URL .venv/bin/python bench/national.py --organizations 50000 --fill-only
    DATABASE_URL=$URL .venv/bin/python bench/national_pages.py
It changes nothing but the exports it asks for and the login records (the admin's export
writes its workbook and an audit event, as the page would).

Each page is requested through the Flask test client (the whole request: routing, login,
tenant scope, queries, template), logged in through the form as the role that sees it: an
inspector of Jawa Barat (code 32, the largest province) for the dashboard with every filter
and the drill-down of its largest organisation, the admin for the national summary (and of
Jawa Barat) and its XLSX export, and the officers of the ULDs of Kota Bandung (32.73) and
Kota Surabaya (35.78) for the registry statistics. Per page: the median server time of
`--repeat` requests after one warm-up, the slowest, the number of SQL statements one request
sends and the time it waited for them (what national size changes; the rest is Python and
rendering). Baselines of the same run: `/healthz` through the same client (one statement, no
template), and per page a plain SQL query reading the rows the page shows. The export is
timed as its task builds it, with the peak of Python memory allocated (tracemalloc) and the
workbook's size. Targets (issue 19, item 4): each first page under 100 ms; exports streamed.
No assertion on time (machines are noisy).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from _common import bench_app
from _national_fill import PASSWORD
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text

from compliance.extensions import db
from compliance.models.exports import Export, ExportStatus

PROVINCE = "32"
INSPECTOR = "pengawas-32-1@bench.example"
ADMIN = "admin@bench.example"
CITIES = {"32.73": "Kota Bandung", "35.78": "Kota Surabaya"}


class Statements:
    """Counts the SQL statements the engine sends (the pages' and the login check's) and the
    time spent waiting for them: what national size changes, apart from rendering."""

    def __init__(self, app: Flask) -> None:
        self.count = 0
        self.seconds = 0.0
        self._started = 0.0
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._before)
            event.listen(db.engine, "after_cursor_execute", self._after)

    def _before(self, *_args: Any) -> None:
        self.count += 1
        self._started = time.perf_counter()

    def _after(self, *_args: Any) -> None:
        self.seconds += time.perf_counter() - self._started


def _login(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"csrf_token": token, "email": email, "password": PASSWORD}
    )
    if response.status_code != 302:
        raise SystemExit(f"could not log in as {email}: was the database filled by national.py?")
    return client


def _ms(runs: int, measure: Callable[[], object]) -> tuple[float, float]:
    measure()  # warm-up: templates compiled, caches and the database's buffers filled
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        measure()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def _sql(app: Flask, query: str, params: dict[str, Any]) -> Callable[[], object]:
    def run() -> object:
        with app.app_context(), db.engine.connect() as conn:
            return conn.execute(text(query), params).all()

    return run


def _row(
    label: str, median: float, worst: float, statements: int, base: float, sql: float = 0.0
) -> None:
    ratio = f"x{median / base:6.1f}" if base else ""
    print(f"  {label:<60} {median:8.1f} {worst:8.1f} {statements:>4} {sql:7.1f} {ratio}")


def _page(
    app: Flask, client: FlaskClient, path: str, counter: Statements, runs: int, base: float
) -> float:
    response = client.get(path)
    if response.status_code != 200:
        print(f"  {path}: HTTP {response.status_code}")
        return 0.0
    before, waited = counter.count, counter.seconds
    client.get(path)
    statements, sql = counter.count - before, (counter.seconds - waited) * 1000
    median, worst = _ms(runs, lambda: client.get(path))
    _row(path, median, worst, statements, base, sql)
    return median


def _largest_organization(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.execute(
                text(
                    "SELECT organization_id FROM compliance_summaries WHERE province_code = :p "
                    "ORDER BY headcount DESC NULLS LAST LIMIT 1"
                ),
                {"p": PROVINCE},
            ).scalar_one()
        )


def _officer(app: Flask, regency: str) -> str:
    with app.app_context():
        return str(
            db.session.execute(
                text(
                    "SELECT u.email FROM ulds d JOIN uld_officers o ON o.uld_id = d.id "
                    "JOIN users u ON u.id = o.user_id WHERE d.regency_code = :r "
                    "ORDER BY u.id LIMIT 1"
                ),
                {"r": regency},
            ).scalar_one()
        )


def _export(app: Flask, client: FlaskClient, province: str | None) -> None:
    """Ask for the export as the page does, then build it as the task would, measured."""
    from compliance.services.exports import build_export

    page = client.get("/admin/inspections").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    data = {"csrf_token": token, **({"province": province} if province else {})}
    response = client.post("/admin/inspections/export", data=data)
    export_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        # The in-process queue builds it on a thread of its own: let that finish first, so
        # the measured build below does not share the machine with it.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            export = db.session.get(Export, export_id)
            assert export is not None
            if export.status is not ExportStatus.PREPARING:
                break
            db.session.rollback()
            time.sleep(0.5)
        export.status, export.finished_at = ExportStatus.PREPARING, None
        db.session.commit()
        tracemalloc.start()
        started = time.perf_counter()
        build_export(db.session(), export_id)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        db.session.commit()
        size = len(db.session.get(Export, export_id).content or "") * 3 / 4 / 2**10
        db.session.rollback()
    label = f"export XLSX ({province or 'national'}), built by its task"
    print(f"  {label:<60} {seconds * 1000:8.1f}          peak {peak:.1f} MB, file ~{size:.0f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--pages-only", action="store_true", help="skip the XLSX exports (about 40 s)"
    )
    args = parser.parse_args()
    app = bench_app()
    with app.app_context():
        if not db.session.execute(text("SELECT EXISTS (SELECT 1 FROM ulds)")).scalar():
            print("fill the database with bench/national.py first")
            sys.exit(1)
        orgs = db.session.execute(text("SELECT count(*) FROM organizations")).scalar()
        in_province = db.session.execute(
            text("SELECT count(*) FROM compliance_summaries WHERE province_code = :p"),
            {"p": PROVINCE},
        ).scalar()
    counter = Statements(app)
    runs = args.repeat
    print(f"{orgs:,} organisations, {in_province:,} in province {PROVINCE} (ms, {runs} requests)")
    print(f"  {'page':<60} {'median':>8} {'slowest':>8} {'SQL':>4} {'SQL ms':>7} ratio to /healthz")
    inspector = _login(app, INSPECTOR)
    base = _page(app, inspector, "/healthz", counter, runs, 0.0)

    print("baselines: plain SQL reading the rows a page shows")
    for label, query, params in (
        ("top 50 of the province by gap", "SELECT * FROM compliance_summaries "
         "WHERE province_code = :p ORDER BY gap DESC, organization_id LIMIT 50", {"p": PROVINCE}),
        ("organisations per province (national)", "SELECT province_code, count(*) FROM "
         "compliance_summaries GROUP BY province_code", {}),
        ("active candidates of Kota Bandung", "SELECT disability_categories, availability FROM "
         "candidates WHERE regency_code = '32.73' AND status = 'active'", {}),
    ):  # fmt: skip
        median, worst = _ms(runs, _sql(app, query, params))
        _row(f"SQL: {label}", median, worst, 1, base)

    print(f"inspector of province {PROVINCE}: dashboard, every filter, drill-down")
    for query in (
        "",
        "?sector=soe",
        "?sector=private",
        "?regency=32.73",
        "?size=under_100",
        "?size=1000_plus",
        "?size=unknown",
        *(
            f"?status={s}"
            for s in (
                "filed_compliant",
                "filed_shortfall",
                "correction_requested",
                "in_case",
                "overdue",
                "open",
                "not_obliged",
            )
        ),
        "?q=Nasional+4242",
        "?q=0000000004242",
        "?sector=private&regency=32.73&size=under_100&status=filed_shortfall",
        "?page=2",
    ):
        _page(app, inspector, f"/inspections{query}", counter, runs, base)
    largest = _largest_organization(app)
    _page(app, inspector, f"/inspections/organizations/{largest}", counter, runs, base)

    print("admin: national summary, a province's, and the XLSX export")
    admin = _login(app, ADMIN)
    _page(app, admin, "/admin/inspections", counter, runs, base)
    _page(app, admin, f"/admin/inspections?province={PROVINCE}", counter, runs, base)
    if not args.pages_only:
        _export(app, admin, None)
        _export(app, admin, PROVINCE)
    _page(app, admin, "/registry/statistics", counter, runs, base)

    for regency, name in CITIES.items():
        print(f"officer of the ULD of {name}: registry statistics")
        officer = _login(app, _officer(app, regency))
        _page(app, officer, "/registry/statistics", counter, runs, base)


if __name__ == "__main__":
    main()
