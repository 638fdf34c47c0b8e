"""Benchmark of the tenant scope every ORM query of a page pays, beside the same query unscoped.

Run: `.venv/bin/python bench/tenant_scope.py` (`--queries 2000`). A fresh SQLite file in a
temporary folder (migrated, one organisation with a few rows): the scope's cost is in Python,
adding the loader criteria of every tenant-scoped model to each statement, which is the same on
PostgreSQL; SQLite keeps the database's own share small so that cost shows.

It prints the median time per query for three statements a page runs (an organisation's
employees, its establishments with a join, one declaration by id) executed under an HR manager's
reach, beside the very same statements executed with the scope skipped (the baseline of the
same run), and the ratio. Then what a new organisation's reach costs (a job meets 500,000 of
them, one per organisation): its criteria built with the reach's values, as every reach was
until issue 19 (`tenancy._options`, time and memory of each), beside the bound criteria every
organisation now shares (`organization_options`), and a query under each of 1,000 new reaches.
No assertion on time (machines are noisy).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from compliance import create_app
from compliance.config import Config
from compliance.extensions import db
from compliance.models import Declaration, Employee, Establishment, Organization, Reach
from compliance.models.organizations import Sector
from compliance.models.tenancy import SKIP_OPTION, _options, organization_options, reach_scope
from compliance.services.regions import load_regions


def median_us(run: Callable[[], object], queries: int) -> float:
    times = []
    for _ in range(queries):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kuota-scope-bench-"))
    app = create_app(Config.for_tests(f"sqlite:///{folder / 'bench.sqlite3'}", folder))
    with app.app_context():
        upgrade()
        load_regions(db.session)
        organization = Organization(
            name="PT Bench", nib="0000000000001", npwp="000000000000001", sector=Sector.PRIVATE,
            head_office_regency_code="31.71",
        )  # fmt: skip
        db.session.add(organization)
        db.session.flush()
        db.session.add(
            Establishment(
                organization_id=organization.id, name="Kantor pusat", regency_code="31.71",
                is_head_office=True,
            )
        )  # fmt: skip
        db.session.commit()
        statements: dict[str, Select[tuple[object]]] = {
            "employees": select(Employee).where(Employee.organization_id == organization.id),
            "establishments + join": select(Establishment)
            .join(Organization)
            .where(Organization.id == organization.id),
            "declaration by id": select(Declaration).where(Declaration.id == 1),
        }
        session = db.session()
        print(f"{'statement':24s} {'scoped':>10s} {'unscoped':>10s} {'ratio':>7s}")
        with reach_scope(session, Reach(organization_id=organization.id)):
            for name, statement in statements.items():
                unscoped = statement.execution_options(**{SKIP_OPTION: True})
                for warm in (statement, unscoped):
                    session.execute(warm).all()
                scoped_us = median_us(lambda s=statement: session.execute(s).all(), args.queries)
                plain_us = median_us(lambda s=unscoped: session.execute(s).all(), args.queries)
                print(
                    f"{name:24s} {scoped_us:7.0f} µs {plain_us:7.0f} µs {scoped_us / plain_us:7.2f}"
                )
        _new_reaches(session, organization.id)


def _new_reaches(session: Session, organization_id: int, reaches: int = 1000) -> None:
    """Criteria for each new organisation reach: built with its values, or bound and shared."""
    started = time.perf_counter()
    kept = [_options(Reach(organization_id=n, user_id=n)) for n in range(reaches)]
    per_reach_us = (time.perf_counter() - started) / reaches * 1e6
    del kept
    tracemalloc.start()  # apart: tracing slows what it traces several times over
    kept = [_options(Reach(organization_id=n, user_id=n)) for n in range(reaches, 2 * reaches)]
    per_reach_kb = tracemalloc.get_traced_memory()[0] / reaches / 1024
    tracemalloc.stop()
    del kept
    started = time.perf_counter()
    for _ in range(reaches):
        organization_options(True)
    bound_us = (time.perf_counter() - started) / reaches * 1e6
    print(f"\ncriteria for a new organisation reach ({reaches:,} reaches)")
    print(f"  built with its values (before)  {per_reach_us:8.0f} µs  {per_reach_kb:6.1f} KB each")
    print(f"  bound, shared (now)             {bound_us:8.2f} µs     0.0 KB each")
    statement = select(Organization.id)
    reach_of = {"the same reach each time": lambda n: 0, "a new reach each time": int}
    for label, user_id in reach_of.items():
        started = time.perf_counter()
        for n in range(reaches):
            with reach_scope(session, Reach(organization_id=organization_id, user_id=user_id(n))):
                session.execute(statement).all()
        query_us = (time.perf_counter() - started) / reaches * 1e6
        print(f"  a query under {label:24s} {query_us:8.0f} µs")


if __name__ == "__main__":
    main()
