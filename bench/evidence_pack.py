"""Benchmark of the evidence pack build on PostgreSQL, beside a baseline from the same run.

Run: `DATABASE_URL=$(PGTEST_DB=kuota_bench_pack scripts/postgres) .venv/bin/python
bench/evidence_pack.py` (`--employees 20000`). The database is emptied and migrated first: use
a database of its own.

The organisation has one establishment with twelve months of figures and `--employees`
employees with disabilities, each with consent, encrypted categories and evidence. It prints
medians of `--repeat` runs, in seconds:
- baseline: the same roster rows, already in memory, written to an XLSX with XlsxWriter and
  zipped: the floor for a pack of that size;
- pack: the product's whole `build_pack` (read and decrypt the roster, compute the year, PDF,
  workbook, manifest, signature, audit event), with and without names;
- verify: `verify_pack` of the result.
Ratios are against the baseline of the same run; no assertion on time (machines are noisy).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime

import xlsxwriter
from _common import bench_app, reset_database
from sqlalchemy import insert, select

from compliance.extensions import db
from compliance.models import (
    ConsentRecord,
    Employee,
    Establishment,
    Organization,
    Reach,
    Role,
    Sector,
    User,
    WorkforceFigure,
)
from compliance.models.tenancy import reach_scope
from compliance.services.declarations import open_declaration, submit_declaration
from compliance.services.inspections.evidence_pack import build_pack, verify_pack
from compliance.services.inspections.pack_content import ROSTER_COLUMNS

TYPES = ("permanent", "fixed_term", "daily", "part_time", "outsourced", "intern")
CATEGORIES = (["physical"], ["sensory"], ["intellectual"], ["mental"], ["physical", "sensory"])


def _setup(app, employees: int) -> tuple[int, int]:
    reset_database(app)
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        org = Organization(
            name="PT Pabrik Besar",
            nib="7" * 13,
            npwp="7" * 15,
            sector=Sector.PRIVATE,
            head_office_regency_code="32.73",
        )
        org.establishments.append(
            Establishment(name="Pabrik", regency_code="32.73", is_head_office=True)
        )
        db.session.add(org)
        inspector = User(
            email="inspector@bench.example",
            name="Inspector",
            role=Role.INSPECTOR,
            password_hash="!",  # noqa: S106  (no login: an unusable hash)
        )
        db.session.add(inspector)
        db.session.flush()
        establishment_id = org.establishments[0].id
        hr = User(
            email="hr@bench.example",
            name="HR",
            role=Role.HR_MANAGER,
            organization_id=org.id,
            password_hash="!",  # noqa: S106  (no login: an unusable hash)
        )
        db.session.add(hr)
        _rows(org.id, establishment_id, employees)
        db.session.flush()
        # 2025 is filed (the usual case for an inspection); 2024 is not (computed now).
        after = date(2026, 1, 15)
        draft = open_declaration(db.session, hr, 2025, today=after)
        submit_declaration(db.session, hr, draft.id, draft.revision, None, today=after)
        db.session.commit()
        return org.id, inspector.id


def _rows(organization_id: int, establishment_id: int, employees: int) -> None:
    """Core inserts through the models' column types, so the disability fields are encrypted."""
    workforce = employees * 50  # 2 % of the workforce has a disability
    db.session.execute(
        insert(WorkforceFigure),
        [
            {
                "organization_id": organization_id,
                "establishment_id": establishment_id,
                "month": date(year, m, 1),
                "employment_type": kind,
                "headcount": workforce if kind == "permanent" else 0,
            }
            for year in (2024, 2025)
            for m in range(1, 13)
            for kind in TYPES
        ],
    )
    db.session.execute(
        insert(Employee),
        [
            {
                "organization_id": organization_id,
                "establishment_id": establishment_id,
                "employee_number": f"E-{i:06d}",
                "name": f"Pekerja {i}",
                "employment_type": "permanent",
                "start_date": date(2020, 1, 1),
                "disability_categories": CATEGORIES[i % len(CATEGORIES)],
                "evidence_type": "kpd",
                "evidence_number": f"KPD-{i:08d}",
                "verification_state": "verified" if i % 4 else "unverified",
            }
            for i in range(employees)
        ],
    )
    ids = db.session.scalars(select(Employee.id)).all()
    db.session.execute(
        insert(ConsentRecord),
        [
            {
                "employee_id": employee_id,
                "organization_id": organization_id,
                "given_by": "employee",
                "method": "written",
                "given_at": datetime(2024, 12, 1),
                "consent_text_version": "1",
            }
            for employee_id in ids
        ],
    )


def _baseline(employees: int) -> float:
    rows = [
        (
            f"P-{i:012X}",
            "",
            "Pabrik",
            "permanent",
            "2020-01-01",
            "",
            "physical",
            "kpd",
            "verified",
            12,
        )
        for i in range(employees)
    ]
    started = time.perf_counter()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Daftar pekerja (Roster)")
    sheet.write_row(0, 0, ROSTER_COLUMNS)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    book.close()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("bukti.xlsx", buffer.getvalue())
    return time.perf_counter() - started


def _pack(
    app, organization_id: int, inspector_id: int, names: bool, year: int
) -> tuple[float, bytes]:
    with app.test_request_context():
        reach = Reach(province_codes=frozenset({"32"}))
        actor = db.session.scalar(
            select(User).where(User.id == inspector_id).execution_options(skip_tenant_scope=True)
        )
        started = time.perf_counter()
        with reach_scope(db.session, reach):
            pack = build_pack(
                db.session,
                actor,
                organization_id,
                year,
                include_names=names,
                reason="bench" if names else None,
                now=datetime(2026, 6, 15, tzinfo=UTC),
            )
            db.session.commit()
        took = time.perf_counter() - started
        db.session.remove()
    return took, pack.data


def _verify(app, data: bytes) -> float:
    with app.test_request_context():
        started = time.perf_counter()
        assert verify_pack(data).is_intact
        return time.perf_counter() - started


def median(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    app = bench_app()
    organization_id, inspector_id = _setup(app, args.employees)
    base = median(args.repeat, lambda: _baseline(args.employees))
    print(f"{args.employees} employees with disabilities (seconds, medians of {args.repeat})")
    print(f"  {'baseline: XLSX of the roster rows + ZIP':<42} {base:>7.2f}")
    data = b""
    cases = {
        "pack 2025 (filed), pseudonymised": (False, 2025),
        "pack 2025 (filed), with names": (True, 2025),
        "pack 2024 (not filed: computed now)": (False, 2024),
    }
    for label, (names, year) in cases.items():
        runs = [_pack(app, organization_id, inspector_id, names, year) for _ in range(args.repeat)]
        took = statistics.median(t for t, _ in runs)
        data = runs[-1][1]
        print(f"  {label:<42} {took:>7.2f}  x{took / base:.1f}  ({len(data) / 1e6:.1f} MB)")
    took = median(args.repeat, lambda: _verify(app, data))
    print(f"  {'verify the pack':<42} {took:>7.2f}  x{took / base:.1f}")


if __name__ == "__main__":
    main()
