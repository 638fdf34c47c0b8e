"""Benchmark of the bulk roster import on PostgreSQL, beside a baseline from the same run.

Run: `DATABASE_URL=$(PGTEST_DB=kuota_bench scripts/postgres) .venv/bin/python bench/imports.py`
(`--sizes 10000 100000`). The database is emptied and migrated first: use a database of its own.

For each size and format (CSV, XLSX) it prints, as medians of `--repeat` runs:
- baseline: plain parse (csv module / python-calamine) + the same cell checks + psycopg `COPY`
  of the same rows into a bare table: what the machine allows (TOOLING.md);
- import: the product's whole import as the background runner does it (store upload, validate
  every row, confirm, re-validate, write new rows with COPY (PostgreSQL) and changed rows with
  executemany, encrypting three values per row with AES-GCM, progress commits, one audit event);
- re-import: the same file again, which must write nothing (its created/updated counts print);
- database floor: the same number of employees and consent records, already encrypted,
  COPYed into the real tables and rolled back: what the schema itself costs (foreign keys,
  unique keys, indexes), which the bare-table baseline does not pay;
- encryption: the encryption alone (3 values per row), to show where the time goes.
Ratios are against the baseline of the same run; no assertion on time (machines are noisy).
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from _common import bench_app, reset_database
from cryptography.fernet import Fernet
from python_calamine import CalamineWorkbook
from sqlalchemy import delete, func, select

from compliance.extensions import db
from compliance.jobs.imports import import_in_background, validate_in_background
from compliance.models import (
    AuditEvent,
    ConsentRecord,
    Employee,
    Establishment,
    Organization,
    Reach,
    Role,
    User,
)
from compliance.models.imports import ImportKind, ImportStatus
from compliance.models.tenancy import reach_scope
from compliance.models.types import KeyRing
from compliance.services.imports import confirm_import, start_import

# The file builders are shared with the tests; run from a checkout, so put its root on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.imports import ROSTER_HEADER, csv_bytes, roster_rows, xlsx_bytes

TYPES = {"permanent", "fixed_term", "daily", "part_time", "outsourced", "intern"}


def _setup(app) -> tuple[int, int]:
    reset_database(app)
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        org = Organization(
            name="PT Bench",
            nib="9" * 13,
            npwp="9" * 15,
            sector="private",
            head_office_regency_code="31.71",
        )
        org.establishments.append(
            Establishment(name="Kantor pusat", regency_code="31.71", is_head_office=True)
        )
        db.session.add(org)
        db.session.flush()
        hr = User(
            email="hr@bench.example",
            name="HR",
            role=Role.HR_MANAGER,
            organization_id=org.id,
            password_hash="!",  # noqa: S106  (no login: an unusable hash)
        )
        db.session.add(hr)
        db.session.commit()
        return hr.id, org.establishments[0].id


def _baseline(app, data: bytes, fmt: str) -> float:
    """Parse + check + COPY, the floor the product is measured against."""
    started = time.perf_counter()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]
    else:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Data")
        rows = [[str(c) for c in row] for row in sheet.to_python()[1:]]
    checked = []
    for row in rows:
        if row[3] not in TYPES:
            raise ValueError(row)
        checked.append((row[0], row[1], row[3], date.fromisoformat(str(row[4])[:10]), row[11]))
    with app.app_context(), db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_baseline")
            cur.execute(
                "CREATE TABLE bench_baseline (number text, name text, kind text, start date, "
                "categories text)"
            )
            with cur.copy("COPY bench_baseline FROM STDIN") as copy:
                for row in checked:
                    copy.write_row(row)
        raw.commit()
    return time.perf_counter() - started


def _database_floor(app, hr_id: int, establishment_id: int, size: int) -> float:
    """What the real tables cost by themselves: `size` employees and their consents, already
    encrypted and formatted, COPYed into `employees` and `consent_records` (their indexes,
    checks and foreign keys as migrated), then rolled back. The baseline writes a bare table;
    no import into this schema can be faster than this."""
    token = KeyRing((Fernet.generate_key().decode(),)).encrypt(b'["physical","sensory"]')
    now = datetime.now()
    with app.app_context(), db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            org = cur.execute(
                "SELECT organization_id FROM establishments WHERE id = %s", (establishment_id,)
            ).fetchone()[0]
            started = time.perf_counter()
            ids = [
                row[0]
                for row in cur.execute(
                    "SELECT nextval('employees_id_seq') FROM generate_series(1, %s)", (size,)
                )
            ]
            with cur.copy(
                "COPY employees (id, organization_id, establishment_id, employee_number, name, "
                "employment_type, start_date, disability_categories, accommodation, "
                "evidence_number, evidence_type, evidence_date, evidence_expires_on, "
                "verification_state, updated_at, created_at) FROM STDIN"
            ) as copy:
                same = ("permanent", date(2024, 1, 15), token, token, token, "kpd")
                evidence = (date(2024, 6, 1), date(2029, 6, 1), "unverified", now, now)
                for index, employee_id in enumerate(ids):
                    person = (employee_id, org, establishment_id, f"F{index:06d}", f"P {index}")
                    copy.write_row((*person, *same, *evidence))
            with cur.copy(
                "COPY consent_records (employee_id, organization_id, given_by, method, given_at, "
                "consent_text_version, recorded_by_id, created_at) FROM STDIN"
            ) as copy:
                for employee_id in ids:
                    copy.write_row(
                        (employee_id, org, "employee", "written", now, "2026-11", hr_id, now)
                    )
            took = time.perf_counter() - started
        raw.rollback()
    return took


def _import(app, hr_id: int, data: bytes, fmt: str) -> tuple[float, tuple[int, int, int]]:
    started = time.perf_counter()
    with app.app_context():
        actor = db.session.scalar(
            select(User).where(User.id == hr_id).execution_options(skip_tenant_scope=True)
        )
        with reach_scope(db.session, actor.reach()):
            job = start_import(db.session, actor, ImportKind.ROSTER, f"bench.{fmt}", data)
            db.session.commit()
            job_id = job.id
        validate_in_background(job_id)
        with reach_scope(db.session, actor.reach()):
            job = confirm_import(db.session, actor, job_id)
            db.session.commit()
        import_in_background(job_id)
        with reach_scope(db.session, actor.reach()):
            job = db.session.get(type(job), job_id)
            assert job is not None
            assert job.status is ImportStatus.DONE, job.errors
            counts = (job.created_count, job.updated_count, job.unchanged_count)
        db.session.remove()
    return time.perf_counter() - started, counts


def _empty_roster(app) -> None:
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        db.session.execute(delete(ConsentRecord))
        db.session.execute(delete(Employee))
        db.session.commit()


def _encryption(count: int) -> float:
    ring = KeyRing((Fernet.generate_key().decode(),))
    started = time.perf_counter()
    for _ in range(count):
        ring.encrypt(b'["physical","sensory"]')
        ring.encrypt(b"pembaca layar")
        ring.encrypt(b"KPD-1")
    return time.perf_counter() - started


def median(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    app = bench_app()
    hr_id, establishment_id = _setup(app)
    print(
        f"{'rows':>8} {'fmt':>4} {'baseline s':>10} {'import s':>9} {'ratio':>6} "
        f"{'rows/s':>8} {'re-import s':>11} {'ratio':>6} {'re-import writes':>16}"
    )
    for size in args.sizes:
        _empty_roster(app)
        floor = median(args.repeat, lambda n=size: _database_floor(app, hr_id, establishment_id, n))
        rows = roster_rows(size, establishment_id)
        files = {"csv": csv_bytes(ROSTER_HEADER, rows), "xlsx": xlsx_bytes(ROSTER_HEADER, rows)}
        for fmt, data in files.items():
            base = median(args.repeat, lambda d=data, f=fmt: _baseline(app, d, f))
            fresh: list[float] = []
            again: list[float] = []
            writes = (0, 0, 0)
            for _ in range(args.repeat):
                _empty_roster(app)
                took, counts = _import(app, hr_id, data, fmt)
                assert counts[0] == size, counts
                fresh.append(took)
                took, writes = _import(app, hr_id, data, fmt)
                again.append(took)
            imp, re = statistics.median(fresh), statistics.median(again)
            print(
                f"{size:>8} {fmt:>4} {base:>10.2f} {imp:>9.2f} {imp / base:>6.1f} "
                f"{size / imp:>8.0f} {re:>11.2f} {re / base:>6.1f} "
                f"{f'+{writes[0]} ~{writes[1]}':>16}"
            )
        print(
            f"{size:>8} database floor (the rows, encrypted, COPYed into the real tables "
            f"with their keys and indexes): {floor:.2f} s"
        )
        print(f"{size:>8} AES-GCM encryption alone (3 values/row): {_encryption(size):.2f} s")
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        events = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("import.%"))
        )
    print(f"audit events for imports: {events} (one per import that changed something)")


if __name__ == "__main__":
    main()
