"""Benchmark of every scheduled job on a national-size database, filled with COPY.

Run: `DATABASE_URL=$(PGTEST_DB=kuota_bench_national scripts/postgres) .venv/bin/python
bench/national.py` (`--organizations 50000`; the issue's full size is 500,000). The database is
migrated (nothing dropped) and its regions loaded; if it already holds organisations, users,
establishments, figures or employees, the bench says so and exits 1 without changing anything:
it never deletes data it did not make. Use a database of its own, and a fresh one per run.

The fill (COPY through psycopg 3, timed per table):
- organisations spread over all 514 regencies, mostly private, a few percent central or
  regional government and state or regional owned enterprises, declarations due in January;
- about 1.2 establishments each (every fifth organisation has a branch in another regency);
- one HR manager each (one password hash shared by all: hashing is not what is measured);
- 12 months of workforce figures for last year per establishment, a row for every employment
  type its sector reports (six, nine in government; all but two are zero),
  about 24 workers per organisation on average (a long tail: a few have thousands);
- 1 % of the workers as roster employees with a disability, their categories and evidence
  numbers encrypted with the application's key ring, each with a consent record; some
  evidence expires within weeks, some consents are withdrawn, some people left long ago, so
  the privacy and evidence jobs have work.

Then every job of `compliance.jobs.schedule.JOBS` runs once, in-process, at 2 January of this
year 01:00 UTC (declarations of last year are then due within 30 days); `--jobs` picks some
(the per-organisation ones take hours at 500,000 organisations). Per job it prints the
seconds, what its `JobRun` recorded (processed/changed/failed) and the growth of the process's
peak resident memory (`ru_maxrss`: a job that stays under an earlier peak shows 0). No
assertion on time (machines are noisy).
"""

from __future__ import annotations

import argparse
import logging
import random
import resource
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from _common import bench_app
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select, text

from compliance.extensions import db
from compliance.jobs.runner import run_job
from compliance.jobs.schedule import JOBS
from compliance.models.organizations import Sector
from compliance.models.regions import Regency
from compliance.models.types import EncryptedList, EncryptedText
from compliance.services.passwords import hash_password
from compliance.services.regions import load_regions
from compliance.services.workforce import employment_types_for

THIS_YEAR = date.today().year
LAST_YEAR = THIS_YEAR - 1
NOW = datetime(THIS_YEAR, 1, 2, 1, 0)  # naive UTC, as stored: 08:00 in Jakarta
MONTHS = [date(LAST_YEAR, m, 1) for m in range(1, 13)]
CREATED = datetime(LAST_YEAR - 1, 12, 1)
#: Tables the bench fills; any row in one of them means the database is not its own.
FILLED = ("organizations", "users", "establishments", "workforce_figures", "employees")
#: Sector of organisation i by i % 100: 95 % private, the rest public in its four kinds.
SECTORS = (
    ["private"] * 95
    + ["soe"] * 2
    + ["regional_soe"]
    + ["central_government"]
    + ["regional_government"]
)
PRIVATE_TYPES = ("permanent", "fixed_term")
PUBLIC_TYPES = ("pns", "pppk")
CATEGORIES = ("physical", "sensory", "intellectual", "mental")
MAX_WORKERS = 50_000


@dataclass
class Plan:
    """What was written, kept in memory only as far as later tables need it."""

    workers: list[int] = field(default_factory=list)  # per organisation, index 0 = id 1
    establishments: list[tuple[int, int, str]] = field(default_factory=list)  # id, org, regency
    employees: int = 0


def _workers(rng: random.Random) -> int:
    """A long tail of sizes with a mean near 24 (a Pareto of shape 1.6 from 9, capped)."""
    return min(int(9 * rng.paretovariate(1.6)), MAX_WORKERS)


def _organizations(cur, count: int, regencies: list[str], plan: Plan) -> int:
    rng = random.Random(1)
    with cur.copy(
        "COPY organizations (id, name, nib, npwp, sector, head_office_regency_code, "
        "wlkp_due_month, created_at) FROM STDIN"
    ) as copy:
        for i in range(1, count + 1):
            regency = regencies[(i * 7919) % len(regencies)]
            sector = SECTORS[i % 100]
            copy.write_row(
                (i, f"PT Nasional {i}", f"{i:013d}", f"{i:015d}", sector, regency, 1, CREATED)
            )
            plan.workers.append(_workers(rng))
    return count


def _establishments(cur, regencies: list[str], plan: Plan) -> int:
    with cur.copy(
        "COPY establishments (id, organization_id, name, regency_code, is_head_office, "
        "created_at) FROM STDIN"
    ) as copy:
        next_id = 1
        for org in range(1, len(plan.workers) + 1):
            head = regencies[(org * 7919) % len(regencies)]
            places = [head]
            if org % 5 == 0:  # one organisation in five has a branch elsewhere
                places.append(regencies[(org * 104729 + 1) % len(regencies)])
            for n, regency in enumerate(places):
                name = "Kantor pusat" if n == 0 else "Cabang"
                copy.write_row((next_id, org, name, regency, n == 0, CREATED))
                plan.establishments.append((next_id, org, regency))
                next_id += 1
    return len(plan.establishments)


def _users(cur, plan: Plan) -> int:
    password = hash_password("bench password long enough")
    with cur.copy(
        "COPY users (id, email, name, password_hash, role, organization_id, session_token, "
        "is_active, created_at) FROM STDIN"
    ) as copy:
        for org in range(1, len(plan.workers) + 1):
            copy.write_row(
                (
                    org,
                    f"hr{org}@bench.example",
                    f"HR {org}",
                    password,
                    "hr_manager",
                    org,
                    secrets.token_urlsafe(24),
                    True,
                    CREATED,
                )
            )
    return len(plan.workers)


def _shares(plan: Plan) -> Iterator[tuple[int, int, int]]:
    """(establishment, organisation, workers there): a branch has a quarter of the staff."""
    by_org: dict[int, list[int]] = {}
    for est, org, _regency in plan.establishments:
        by_org.setdefault(org, []).append(est)
    for org, ests in by_org.items():
        total = plan.workers[org - 1]
        if len(ests) == 1:
            yield ests[0], org, total
        else:
            branch = total // 4
            yield ests[0], org, total - branch
            yield ests[1], org, branch


def _types(org: int) -> tuple[str, str]:
    """Civil servants in government; enterprises, state owned or not, employ on contracts."""
    return PUBLIC_TYPES if SECTORS[org % 100].endswith("government") else PRIVATE_TYPES


def _figures(cur, plan: Plan) -> int:
    rows = 0
    updated_at = datetime(THIS_YEAR, 1, 1)
    with cur.copy(
        "COPY workforce_figures (organization_id, establishment_id, month, employment_type, "
        "headcount, updated_at) FROM STDIN"
    ) as copy:
        for est, org, workers in _shares(plan):
            kinds = [k.value for k in employment_types_for(Sector(SECTORS[org % 100]))]
            main, second = _types(org)
            fixed_term = workers // 3
            for m, month in enumerate(MONTHS):
                drift = (est + m) % 3 - 1 if workers > 3 else 0  # a little month-to-month noise
                # Every type the sector reports has a figure (else the month is incomplete).
                counts = {main: workers - fixed_term + drift, second: fixed_term}
                for kind in kinds:
                    copy.write_row((org, est, month, kind, counts.get(kind, 0), updated_at))
                    rows += 1
    return rows


def _roster(cur, plan: Plan) -> tuple[int, int]:
    """1 % of the workers, each with a consent; the disability fields encrypted as the model
    would (its own TypeDecorators, with the key ring `create_app` installed)."""
    rng = random.Random(2)
    rows: list[tuple] = []
    for est, org, workers in _shares(plan):
        count = workers // 100 + (1 if rng.random() < (workers % 100) / 100 else 0)
        for n in range(count):
            rows.append((est, org, n))
    categories = EncryptedList().bind_many(
        [[CATEGORIES[i % len(CATEGORIES)]] for i in range(len(rows))]
    )
    evidence = EncryptedText().bind_many([f"KPD-{i:08d}" for i in range(len(rows))])
    with cur.copy(
        "COPY employees (id, organization_id, establishment_id, employee_number, name, "
        "employment_type, start_date, end_date, disability_categories, evidence_number, "
        "evidence_type, evidence_date, evidence_expires_on, verification_state, updated_at, "
        "created_at) FROM STDIN"
    ) as copy:
        for i, (est, org, n) in enumerate(rows):
            kind = _types(org)[0]
            left = date(THIS_YEAR - 7, 6, 30) if i % 100 == 7 else None  # retention job's work
            # One in twenty has evidence expiring within the reminder's horizon.
            expires = NOW.date() + timedelta(days=5 + i % 20) if i % 20 == 3 else date(2030, 1, 1)
            copy.write_row(
                (
                    i + 1,
                    org,
                    est,
                    f"E{est}-{n}",
                    f"Pegawai {i + 1}",
                    kind,
                    date(2015 + i % 9, 1 + i % 12, 1),
                    left,
                    categories[i],
                    evidence[i],
                    "kpd",
                    date(LAST_YEAR - 2, 1, 1),
                    expires,
                    "verified",
                    CREATED,
                    CREATED,
                )
            )
    with cur.copy(
        "COPY consent_records (id, employee_id, organization_id, given_by, method, given_at, "
        "consent_text_version, withdrawn_at, created_at) FROM STDIN"
    ) as copy:
        for i, (_est, org, _n) in enumerate(rows):
            # One in fifty withdrew yesterday: the hourly withdrawal job deletes their details.
            withdrawn = NOW - timedelta(days=1) if i % 50 == 11 else None
            copy.write_row(
                (i + 1, i + 1, org, "employee", "written", CREATED, "1", withdrawn, CREATED)
            )
    plan.employees = len(rows)
    return len(rows), len(rows)


def _fill(app: Flask, count: int) -> None:
    """COPY everything, printing the seconds per table."""
    plan = Plan()
    with app.app_context():
        regencies = sorted(db.session.scalars(select(Regency.code)))
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            with raw.cursor() as cur:
                steps = [
                    ("organizations", lambda: _organizations(cur, count, regencies, plan)),
                    ("establishments", lambda: _establishments(cur, regencies, plan)),
                    ("users", lambda: _users(cur, plan)),
                    ("workforce_figures", lambda: _figures(cur, plan)),
                    ("employees+consent_records", lambda: _roster(cur, plan)),
                ]
                started_all = time.perf_counter()
                for name, step in steps:
                    started = time.perf_counter()
                    rows = step()
                    seconds = time.perf_counter() - started
                    print(f"  fill {name:<26} {rows!s:>14} rows {seconds:8.1f} s")
                for table in (
                    "organizations",
                    "establishments",
                    "users",
                    "employees",
                    "consent_records",
                ):
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
                raw.commit()
                started = time.perf_counter()
                raw.autocommit = True
                cur.execute("VACUUM ANALYZE")
                raw.autocommit = False
                print(f"  vacuum analyze {time.perf_counter() - started:49.1f} s")
                print(f"  fill total {time.perf_counter() - started_all:53.1f} s")
    print(
        f"  {count:,} organisations, {len(plan.establishments):,} establishments, "
        f"{sum(plan.workers):,} workers, {plan.employees:,} roster employees"
    )


def _prepare(app: Flask) -> bool:
    """Migrate and load the regions (both idempotent); whether the database is empty."""
    with app.app_context():
        upgrade()
        load_regions(db.session)
        db.session.commit()
        for table in FILLED:
            if db.session.scalar(text(f"SELECT EXISTS (SELECT 1 FROM {table})")):  # noqa: S608
                print(f"{table} already has rows: this bench fills an empty database only")
                return False
    return True


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _run_jobs(app: Flask, names: list[str] | None) -> None:
    print(
        f"  {'job':<24} {'seconds':>9} {'processed':>10} {'changed':>8} {'failed':>7} "
        f"{'outcome':>10} {'peak +MB':>9}"
    )
    total = 0.0
    for job in JOBS:
        if names is not None and job.name not in names:
            continue
        with app.app_context():
            before = _maxrss_mb()
            started = time.perf_counter()
            run = run_job(db.session(), job.name, job.function, NOW)
            seconds = time.perf_counter() - started
            total += seconds
            print(
                f"  {job.name:<24} {seconds:9.2f} {run.processed:>10} {run.changed:>8} "
                f"{run.failed:>7} {run.outcome:>10} {_maxrss_mb() - before:9.1f}"
            )
            db.session.remove()
    print(f"  {'all jobs':<24} {total:9.2f}   (peak RSS {_maxrss_mb():.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organizations", type=int, default=50_000)
    parser.add_argument(
        "--jobs", nargs="+", choices=[job.name for job in JOBS], help="only these (default: all)"
    )
    args = parser.parse_args()
    app = bench_app()
    logging.getLogger("compliance").setLevel(logging.WARNING)  # one line per e-mail, else
    if not _prepare(app):
        sys.exit(1)
    print(f"fill: {args.organizations:,} organisations")
    _fill(app, args.organizations)
    print(f"jobs at {NOW:%Y-%m-%d %H:%M} UTC")
    _run_jobs(app, args.jobs)


if __name__ == "__main__":
    main()
