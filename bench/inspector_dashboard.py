"""Benchmark of the inspector dashboard on PostgreSQL, beside a baseline from the same run.

Run: `DATABASE_URL=$(PGTEST_DB=kuota_bench_insp scripts/postgres) .venv/bin/python
bench/inspector_dashboard.py` (`--sizes 5000 50000`). The database is emptied and migrated
first: use a database of its own.

For each number of organisations (all in one province, spread over its regencies, 12 monthly
summary rows each) it prints medians of `--repeat` runs, in milliseconds:
- baseline: ranking the first page by gap by aggregating every monthly row (TOOLING.md: ~120 ms
  at 50,000 organisations), under the inspector's tenant scope;
- first page: the product's ranked page from the maintained summary, unfiltered and with each
  filter (sector, regency, size, status, search by name);
- page x10: the same with a page ten times larger (the first page grows with the page size);
- aggregates: headline figures, the month trend and the regency breakdown (these read every
  organisation of the province: they grow with it);
- whole request: GET /inspections as a logged-in inspector through the test client.
Ratios are against the baseline of the same run; no assertion on time (machines are noisy).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date

from _common import bench_app, reset_database
from sqlalchemy import func, select, text

from compliance.extensions import db
from compliance.models import Reach, Role, User
from compliance.models.inspections import SummaryMonth
from compliance.models.organizations import Sector
from compliance.models.regions import Province, Regency
from compliance.models.tenancy import reach_scope
from compliance.services.inspections.dashboard import (
    by_regency,
    headline,
    month_trend,
    ranked_page,
)
from compliance.services.inspections.filters import DashboardFilters, SizeBand, StatusFilter
from compliance.services.passwords import hash_password

PROVINCE = "32"  # Jawa Barat: 27 regencies and cities
TODAY = date(2026, 6, 15)
MONTHS = [date(2025, m, 1) for m in range(6, 13)] + [date(2026, m, 1) for m in range(1, 6)]
PASSWORD = "bench password long enough"  # noqa: S105 (a throwaway bench account)


def _fill(app, count: int) -> None:
    """COPY `count` organisations with one establishment, a summary and 12 months each."""
    with app.app_context():
        regencies = list(
            db.session.scalars(select(Regency.code).where(Regency.province_code == PROVINCE))
        )
        with db.engine.connect() as conn:
            conn.execute(
                text(
                    "TRUNCATE organizations, establishments, compliance_summaries, "
                    "compliance_summary_months, compliance_totals, compliance_counts, "
                    "compliance_summary_watermarks, users RESTART IDENTITY CASCADE"
                )
            )
            conn.commit()
            raw = conn.connection.driver_connection
            with raw.cursor() as cur:
                _copy(cur, count, regencies)
                _totals(cur)
                cur.execute(  # the summaries are current: nothing for a page view to catch up
                    "INSERT INTO compliance_summary_watermarks VALUES ('summary', 0, %s)", (count,)
                )
                cur.execute("ANALYZE")
            raw.commit()
        inspector = User(
            email="inspector@bench.example",
            name="Inspector",
            role=Role.INSPECTOR,
            password_hash=hash_password(PASSWORD),
        )
        inspector.provinces = [db.session.get(Province, PROVINCE)]
        db.session.add(inspector)
        db.session.commit()


def _copy(cur, count: int, regencies: list[str]) -> None:
    sectors = ["private"] * 8 + ["soe", "regional_government"]
    with cur.copy(
        "COPY organizations (id, name, nib, npwp, sector, head_office_regency_code, "
        "wlkp_due_month, created_at) FROM STDIN"
    ) as copy:
        for i in range(1, count + 1):
            regency = regencies[i % len(regencies)]
            copy.write_row(
                (i, f"PT Bench {i}", f"{i:013d}", f"{i:015d}", sectors[i % 10], regency, 1, TODAY)
            )
    with cur.copy(
        "COPY establishments (id, organization_id, name, regency_code, is_head_office, "
        "created_at) FROM STDIN"
    ) as copy:
        for i in range(1, count + 1):
            copy.write_row((i, i, "Kantor pusat", regencies[i % len(regencies)], True, TODAY))
    with cur.copy(
        "COPY compliance_summaries (organization_id, province_code, regency_codes, name, nib, "
        "npwp, sector, as_of_month, headcount, required, counted, gap, status, due_year, "
        "due_on, is_due_declared, has_declared, flags, audit_event_id, refreshed_at) FROM STDIN"
    ) as copy:
        for i in range(1, count + 1):
            headcount = 20 + (i * 7919) % 3000
            required = -(-headcount // 100)
            counted = (i * 31) % (required + 2)
            gap = max(required - counted, 0)
            declared = i % 3 != 0
            regency = regencies[i % len(regencies)]
            copy.write_row(
                (
                    i,
                    PROVINCE,
                    f'["{regency}"]',
                    f"PT Bench {i}",
                    f"{i:013d}",
                    f"{i:015d}",
                    sectors[i % 10],
                    MONTHS[-1],
                    headcount,
                    required,
                    counted,
                    gap,
                    "compliant" if gap == 0 else "shortfall",
                    2025,
                    date(2026, 1, 31),
                    declared,
                    declared,
                    "[]",
                    0,
                    TODAY,
                )
            )
    with cur.copy(
        "COPY compliance_summary_months (organization_id, month, headcount, required, counted) "
        "FROM STDIN"
    ) as copy:
        for i in range(1, count + 1):
            headcount = 20 + (i * 7919) % 3000
            for month in MONTHS:
                copy.write_row((i, month, headcount, -(-headcount // 100), (i * 31) % 5))


def _totals(cur) -> None:
    """The running totals and kept counts the refreshes would have built, aggregated once."""
    latest = "DATE '1900-01-01'"
    for area in ("province_code", "regency_codes->>0"):
        cur.execute(
            f"INSERT INTO compliance_totals SELECT {area}, {latest}, count(*), "  # noqa: S608
            "sum((status = 'compliant')::int), sum(coalesce(required, 0)), sum(counted) "
            f"FROM compliance_summaries GROUP BY {area}"
        )
        cur.execute(
            f"INSERT INTO compliance_totals SELECT s.{area}, m.month, count(*), 0, "  # noqa: S608
            "sum(coalesce(m.required, 0)), sum(m.counted) FROM compliance_summary_months m "
            f"JOIN compliance_summaries s USING (organization_id) GROUP BY s.{area}, m.month"
        )
    key = "province_code, status, is_due_declared, due_on, zone"  # kept counts (0029)
    cur.execute(
        f"INSERT INTO compliance_counts ({key}, organizations) "  # noqa: S608
        f"SELECT {key}, count(*) FROM compliance_summaries GROUP BY {key}"
    )


def _baseline(session, page_size: int) -> list[tuple[int, int]]:
    """The obvious ranking: aggregate every monthly row of the province's organisations."""
    m = SummaryMonth
    rows = session.execute(
        select(m.organization_id, (func.sum(m.required) - func.sum(m.counted)).label("gap"))
        .group_by(m.organization_id)
        .order_by(text("gap DESC"), m.organization_id)
        .limit(page_size)
    )
    return list(rows)


def _ms(runs: int, measure: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        measure()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


FILTERS = {
    "no filter": DashboardFilters(),
    "sector": DashboardFilters(sector=Sector.SOE),
    "regency": DashboardFilters(regency="32.73"),
    "size": DashboardFilters(size=SizeBand.FROM_1000),
    "status": DashboardFilters(status=StatusFilter.NEVER_DECLARED),
    "search": DashboardFilters(query="Bench 4242"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    app = bench_app()
    reset_database(app)
    reach = Reach(province_codes=frozenset({PROVINCE}))
    for size in args.sizes:
        _fill(app, size)
        print(f"\n{size} organisations in province {PROVINCE}, {size * 12} monthly rows (ms)")
        _measure(app, reach, args.repeat)
        print(f"  {'whole request GET /inspections':<44} {_request(app, args.repeat):>8.1f}")


def _measure(app, reach: Reach, runs: int) -> None:
    codes = reach.province_codes
    with app.app_context(), reach_scope(db.session, reach):
        s = db.session
        base = _ms(runs, lambda: _baseline(s, 50))
        print(f"  {'baseline: aggregate monthly rows, top 50':<44} {base:>8.1f}")
        for name, filters in FILTERS.items():
            took = _ms(runs, lambda f=filters: ranked_page(s, f, TODAY, codes))
            print(f"  {'first page (50), ' + name:<44} {took:>8.1f}  x{took / base:.3f}")
        big = _ms(runs, lambda: ranked_page(s, DashboardFilters(), TODAY, codes, page_size=500))
        print(f"  {'first page (500), no filter':<44} {big:>8.1f}  x{big / base:.3f}")
        unfiltered = DashboardFilters()
        for name, measure in {
            "headline figures": lambda: headline(s, unfiltered, TODAY, codes),
            "headline, filtered by status": lambda: headline(s, FILTERS["status"], TODAY, codes),
            "month trend": lambda: month_trend(s, codes),
            "by regency": lambda: by_regency(s, codes),
        }.items():
            took = _ms(runs, measure)
            print(f"  {'aggregate: ' + name:<44} {took:>8.1f}  x{took / base:.3f}")


def _request(app, runs: int) -> float:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={"csrf_token": token, "email": "inspector@bench.example", "password": PASSWORD},
    )
    client.get("/inspections")  # the first view catches the summaries up
    return _ms(runs, lambda: client.get("/inspections"))


if __name__ == "__main__":
    main()
