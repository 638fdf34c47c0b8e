"""Benchmark of the HR manager's roster list (`/roster`) on PostgreSQL, beside its own SQL.

Run: `DATABASE_URL=$(PGTEST_DB=kuota_bench scripts/postgres) .venv/bin/python bench/roster_page.py`
(`--employees 20000`). The database is emptied and migrated first: use a database of its own.
`DATABASE_URL=sqlite:////tmp/roster-bench.sqlite3` also runs (a fresh file, migrated), for a
quick look only: the figures that count are PostgreSQL's.

The organisation has `--establishments` establishments and `--employees` employees; every third
one has consent with categories and evidence (so the page decrypts those on it), every ninth
withdrew. For each list page (the first page, the last, a search, another order) it prints the
median server time of the whole request through the Flask test client (login, reach, queries,
decryption, template) beside the baseline: the very SQL statements that request sent, captured
and replayed on a plain connection, which is the floor the page pays for its data. It also
prints the size of the page the browser receives. Ratios are against the baseline of the same
run; no assertion on time (machines are noisy).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from _common import bench_app, reset_database
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, select

from compliance import create_app
from compliance.config import Config
from compliance.extensions import db
from compliance.models import ConsentRecord, Employee, Reach
from compliance.models.people import ConsentGiver, ConsentMethod, VerificationState
from compliance.models.tenancy import reach_scope
from compliance.quota import EmploymentType
from compliance.quota.vocab import EvidenceType
from compliance.services.imports.bulk import insert_rows
from compliance.services.regions import load_regions
from compliance.services.roster import PAGE_SIZE

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.factories import PASSWORD, Factory
from tests.support.web import login

#: Each request the table measures: a label and its query string.
PAGES = (
    ("first page", "/roster"),
    ("last page", "/roster?page={last}"),
    ("search", "/roster?q=Pegawai+1234"),
    ("by start date", "/roster?sort=start&page=2"),
)


def _app() -> Flask:
    """PostgreSQL as every benchmark (`_common`); SQLite from empty by the migrations, for a try."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("sqlite"):
        app = bench_app()
        reset_database(app)
        return app
    Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    app = create_app(Config.for_tests(url, Path(tempfile.mkdtemp(prefix="kuota-bench-"))))
    with app.app_context():
        upgrade()
        load_regions(db.session)
        db.session.commit()
    return app


def _organisation(app: Flask, establishments: int, employees: int) -> str:
    factory = Factory(app)
    regencies = ("31.71", "31.72", "32.73", "35.78", "36.71")
    org = factory.org(
        name="PT Bench Roster",
        regency="31.71",
        other_regencies=tuple(regencies[i % 5] for i in range(1, establishments)),
    )
    now = datetime.now()
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        insert_rows(
            db.session,
            Employee.__table__,
            [
                {
                    "organization_id": org.id,
                    "establishment_id": org.establishment_ids[i % establishments],
                    "employee_number": f"B{i:06d}",
                    "name": f"Pegawai {i}",
                    "employment_type": EmploymentType.PERMANENT,
                    "start_date": date(2010, 1, 1) + timedelta(days=i % 5000),
                    "end_date": None,
                    "disability_categories": ["physical"] if i % 3 == 0 else None,
                    "accommodation": "ramp" if i % 3 == 0 else None,
                    "evidence_type": EvidenceType.KPD if i % 3 == 0 else None,
                    "evidence_number": f"KPD-{i}" if i % 3 == 0 else None,
                    "evidence_date": date(2024, 1, 1) if i % 3 == 0 else None,
                    "evidence_expires_on": None,
                    "verification_state": VerificationState.VERIFIED,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(employees)
            ],
        )
        numbers = db.session.execute(select(Employee.id, Employee.employee_number)).all()
        consenting = [(id_, int(number[1:])) for id_, number in numbers if int(number[1:]) % 3 == 0]
        insert_rows(
            db.session,
            ConsentRecord.__table__,
            [
                {
                    "employee_id": employee_id,
                    "organization_id": org.id,
                    "given_by": ConsentGiver.EMPLOYEE,
                    "method": ConsentMethod.WRITTEN,
                    "given_at": datetime.combine(date(2020, 1, 1), clock()),
                    "consent_text_version": "2026-11",
                    "withdrawn_at": now if i % 9 == 0 else None,
                    "created_at": now,
                }
                for employee_id, i in consenting
            ],
        )
        db.session.commit()
    return org.hr_email


def _request(client: Any, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    took = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return took, len(response.data)


def _statements(app: Flask, client: Any, url: str) -> list[tuple[str, Any]]:
    """The SQL one request sends, as the driver received it."""
    sent: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        _request(client, url)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return sent


def _baseline(app: Flask, statements: list[tuple[str, Any]]) -> float:
    """The captured statements again, rows fetched, on a plain connection (no ORM, no Flask)."""
    with app.app_context():
        engine = db.engine
    with engine.connect() as conn:
        started = time.perf_counter()
        for statement, parameters in statements:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                conn.exec_driver_sql(statement, parameters).all()
        took = time.perf_counter() - started
        conn.rollback()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--establishments", type=int, default=5)
    parser.add_argument("--employees", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    app = _app()
    email = _organisation(app, args.establishments, args.employees)
    with app.app_context():
        dialect = db.engine.dialect.name
    print(f"PT Bench Roster on {dialect}: {args.employees} employees")
    print("(every third with consent and details, every ninth withdrew)")
    header = ("page", "SQL ms", "page ms", "ratio", "statements", "page KB")
    print("{:<14} {:>7} {:>8} {:>6} {:>10} {:>8}".format(*header))
    client = app.test_client()
    login(client, email, PASSWORD)
    last = -(-args.employees // PAGE_SIZE)
    for label, pattern in PAGES:
        url = pattern.format(last=last)
        _request(client, url)  # warm: templates compiled, connection pooled
        statements = _statements(app, client, url)
        base = statistics.median(_baseline(app, statements) for _ in range(args.repeat))
        runs = [_request(client, url) for _ in range(args.repeat)]
        page = statistics.median(took for took, _ in runs)
        size = runs[-1][1]
        print(
            f"{label:<14} {base * 1000:>7.1f} {page * 1000:>8.1f} {page / base:>6.1f} "
            f"{len(statements):>10} {size / 1024:>8.0f}"
        )


if __name__ == "__main__":
    main()
