"""The national fill of bench/national.py: organisations and their workforce, by COPY.

Why a module of its own: the fill is most of the bench, and the jobs' timing beside it reads
better without it. `fill` runs every step in order, timed per table; the registry, the staff
accounts and two years of declarations with reviews and cases come from `_national_records`.
Rows are written by COPY through psycopg 3 on the engine's raw connection, with explicit ids
(the sequences are set afterwards), so later steps refer to earlier rows without reading them
back.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from compliance.extensions import db
from compliance.models.organizations import Sector
from compliance.models.regions import Regency
from compliance.models.types import EncryptedList, EncryptedText
from compliance.services.passwords import hash_password
from compliance.services.workforce import employment_types_for

THIS_YEAR = date.today().year
LAST_YEAR = THIS_YEAR - 1
NOW = datetime(THIS_YEAR, 1, 2, 1, 0)  # naive UTC, as stored: 08:00 in Jakarta
MONTHS = [date(LAST_YEAR, m, 1) for m in range(1, 13)]
CREATED = datetime(LAST_YEAR - 1, 12, 1)
PASSWORD = "bench password long enough"  # noqa: S105 (every bench account's; see _users)
#: The first HR manager's address (`_users`): there, the database is one this bench filled.
FIRST_HR_EMAIL = "hr1@bench.example"
#: Tables the bench fills; any row in one of them means the database is not its own.
FILLED = (
    "organizations",
    "users",
    "establishments",
    "workforce_figures",
    "employees",
    "ulds",
    "candidates",
    "declarations",
)
#: Tables with an id sequence to move past the ids written.
SEQUENCED = (
    "organizations",
    "establishments",
    "users",
    "employees",
    "consent_records",
    "ulds",
    "candidates",
    "candidate_consents",
    "reporting_periods",
    "declarations",
    "declaration_reviews",
    "inspection_cases",
    "inspection_case_events",
)
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
    #: Per organisation, (roster id, establishment) of those still employed: what its
    #: declarations count.
    counted: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    #: Periods filed: (organisation, year, last version's id, first filed at, due on).
    filed: list[tuple[int, int, int, datetime, date]] = field(default_factory=list)
    #: The ranked period's last declaration per organisation: (id, its stored entity result).
    declared: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    #: The newest review outcome per reviewed declaration.
    reviewed: dict[int, str] = field(default_factory=dict)


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


def _users(cur, plan: Plan, password: str) -> int:
    with cur.copy(
        "COPY users (id, email, name, password_hash, role, organization_id, session_token, "
        "is_active, created_at) FROM STDIN"
    ) as copy:
        for org in range(1, len(plan.workers) + 1):
            copy.write_row(
                (
                    org,
                    f"hr{org}@bench.example",  # organisation 1's is FIRST_HR_EMAIL
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
            if left is None:
                plan.counted.setdefault(org, []).append((i + 1, est))
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


#: More steps after the workforce's: (cursor, plan, password hash) -> named steps.
MoreSteps = Callable[[Any, "Plan", str], list[tuple[str, Callable[[], object]]]]


def fill(app: Flask, count: int, more: MoreSteps) -> None:
    """COPY everything, printing the rows and seconds per table."""
    plan = Plan()
    with app.app_context():
        regencies = sorted(db.session.scalars(select(Regency.code)))
        password = hash_password(PASSWORD)
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            with raw.cursor() as cur:
                steps: list[tuple[str, Callable[[], object]]] = [
                    ("organizations", lambda: _organizations(cur, count, regencies, plan)),
                    ("establishments", lambda: _establishments(cur, regencies, plan)),
                    ("users (HR managers)", lambda: _users(cur, plan, password)),
                    ("workforce_figures", lambda: _figures(cur, plan)),
                    ("employees+consent_records", lambda: _roster(cur, plan)),
                    *more(cur, plan, password),
                ]
                started_all = time.perf_counter()
                for name, step in steps:
                    started = time.perf_counter()
                    rows = step()
                    seconds = time.perf_counter() - started
                    print(f"  fill {name:<34} {rows!s:>16} rows {seconds:8.1f} s")
                for table in SEQUENCED:
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
                raw.commit()
                started = time.perf_counter()
                raw.autocommit = True
                cur.execute("VACUUM ANALYZE")
                raw.autocommit = False
                print(f"  vacuum analyze {time.perf_counter() - started:59.1f} s")
                print(f"  fill total {time.perf_counter() - started_all:63.1f} s")
    print(
        f"  {count:,} organisations, {len(plan.establishments):,} establishments, "
        f"{sum(plan.workers):,} workers, {plan.employees:,} roster employees"
    )
