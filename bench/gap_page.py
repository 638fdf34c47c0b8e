"""Benchmark of the HR manager's gap page (`/gap`) on PostgreSQL, beside a baseline of the same run.

Run: `DATABASE_URL=$(PGTEST_DB=kuota_bench scripts/postgres) .venv/bin/python bench/gap_page.py`
(`--establishments 50 --roster 5000 20000`). The database is emptied and migrated first: use a
database of its own.

The organisation has `--establishments` establishments with 400 permanent workers each (20,000
employees at 50) and fifteen months of figures. The roster (employees with disabilities, with
consent, categories and evidence, so each is decrypted and judged month by month) is sized by
`--roster`: 5,000 is a quarter of the workforce, 20,000 the worst case of every employee on it.
It prints the median server time of `GET /gap` and of `GET /gap/why` (its first page of the
per-person ledger) (whole request: reach, queries, decryption, quota engine for every month,
template) beside a baseline: reading the same figure, roster and consent rows with one plain
SQL SELECT each (no ORM, no decryption), the floor any page showing these numbers pays.
Ratios are against the baseline of the same run; no assertion on time (machines are noisy).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

from _common import bench_app, reset_database
from sqlalchemy import delete, select, text

from compliance.clock import today_in
from compliance.extensions import db
from compliance.models import ConsentRecord, Employee, Organization, Reach, WorkforceFigure
from compliance.models.people import ConsentGiver, ConsentMethod, VerificationState
from compliance.models.tenancy import reach_scope
from compliance.quota import EmploymentType
from compliance.quota.vocab import EvidenceType
from compliance.services.dates import add_months, month_start
from compliance.services.imports.bulk import insert_rows

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.factories import PASSWORD, Factory
from tests.support.web import login

MONTHS = 15
PER_ESTABLISHMENT = 400


def _organisation(app, establishments: int) -> tuple[int, str, list[int]]:
    factory = Factory(app)
    regencies = ("31.71", "31.72", "32.73", "35.78", "36.71")
    org = factory.org(
        name="PT Bench Gap",
        regency="31.71",
        other_regencies=tuple(regencies[i % 5] for i in range(1, establishments)),
    )
    now = datetime.now()
    this_month = month_start(today_in())
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        rows = [
            {
                "organization_id": org.id,
                "establishment_id": establishment_id,
                "month": add_months(this_month, -back),
                "employment_type": EmploymentType.PERMANENT,
                "headcount": PER_ESTABLISHMENT,
                "updated_at": now,
                "updated_by_id": None,
            }
            for establishment_id in org.establishment_ids
            for back in range(MONTHS)
        ]
        insert_rows(db.session, WorkforceFigure.__table__, rows)
        db.session.commit()
    return org.id, org.hr_email, list(org.establishment_ids)


def _roster(app, organization_id: int, establishment_ids: list[int], size: int) -> None:
    now = datetime.now()
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        db.session.execute(delete(ConsentRecord))
        db.session.execute(delete(Employee))
        insert_rows(
            db.session,
            Employee.__table__,
            [
                {
                    "organization_id": organization_id,
                    "establishment_id": establishment_ids[i % len(establishment_ids)],
                    "employee_number": f"B{i:06d}",
                    "name": f"Pegawai {i}",
                    "employment_type": EmploymentType.PERMANENT,
                    "start_date": date(2020, 1, 1),
                    "end_date": None,
                    "disability_categories": ["physical"],
                    "accommodation": "ramp",
                    "evidence_type": EvidenceType.KPD,
                    "evidence_number": f"KPD-{i}",
                    "evidence_date": date(2024, 1, 1),
                    "evidence_expires_on": None,
                    "verification_state": VerificationState.VERIFIED,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(size)
            ],
        )
        ids = db.session.scalars(select(Employee.id)).all()
        insert_rows(
            db.session,
            ConsentRecord.__table__,
            [
                {
                    "employee_id": employee_id,
                    "organization_id": organization_id,
                    "given_by": ConsentGiver.EMPLOYEE,
                    "method": ConsentMethod.WRITTEN,
                    "given_at": datetime.combine(date(2020, 1, 1), clock()),
                    "consent_text_version": "2026-11",
                    "created_at": now,
                }
                for employee_id in ids
            ],
        )
        db.session.commit()


def _baseline(app, organization_id: int) -> float:
    """The same figure and roster rows (consents too) read in plain SQL: no ORM, no decryption."""
    started = time.perf_counter()
    with app.app_context(), db.engine.connect() as conn:
        for table in ("workforce_figures", "employees", "consent_records"):
            conn.execute(
                text(f"SELECT * FROM {table} WHERE organization_id = :id"),  # noqa: S608
                {"id": organization_id},
            ).all()
    return time.perf_counter() - started


def _page(client) -> float:
    started = time.perf_counter()
    response = client.get("/gap")
    took = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--establishments", type=int, default=50)
    parser.add_argument("--roster", type=int, nargs="+", default=[5_000, 20_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    app = bench_app()
    reset_database(app)
    organization_id, email, establishment_ids = _organisation(app, args.establishments)
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        name = db.session.get(Organization, organization_id).name
    print(f"{name}: {args.establishments} establishments, {MONTHS} months of figures")
    header = ("roster", "baseline ms", "/gap ms", "ratio", "/gap/why ms", "ratio")
    print("{:>7} {:>11} {:>8} {:>6} {:>11} {:>6}".format(*header))
    for size in args.roster:
        _roster(app, organization_id, establishment_ids, size)
        client = app.test_client()
        login(client, email, PASSWORD)
        _page(client)  # warm: templates compiled, connection pooled
        base = statistics.median(_baseline(app, organization_id) for _ in range(args.repeat))
        page = statistics.median(_page(client) for _ in range(args.repeat))
        why_times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            assert client.get("/gap/why").status_code == 200
            why_times.append(time.perf_counter() - started)
        why = statistics.median(why_times)
        print(
            f"{size:>7} {base * 1000:>11.0f} {page * 1000:>8.0f} {page / base:>6.1f} "
            f"{why * 1000:>11.0f} {why / base:>6.1f}"
        )


if __name__ == "__main__":
    main()
