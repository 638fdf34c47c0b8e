"""The inspectors' summary of the national fill, written by COPY and checked against the service.

Why: the pages on national data read `compliance_summaries` (one row per organisation and
province), its months and the area totals, which the `compliance_summaries` job rebuilds one
organisation at a time through `refresh_summary`. At the time of writing that job takes about
72 ms per organisation on this machine (README), hours at 50,000, so a bench of pages cannot
wait for it. The fill knows every organisation's workforce, roster and declarations, so it
writes the rows the job would write at `NOW`, with the quota engine's own monthly results;
then `check` runs the real `refresh_summary` for a sample of organisations, inside a
transaction it rolls back, and prints every column that differs. A page timed on these rows
reads what it would read after the nightly job.

What the job would find at `NOW` (2 January): the ranked period is the year before last
(due 31 January of last year); an organisation that filed it is `filed_<result>` with the
declared result in whole people, and its last review; one that did not is `overdue` with no
result (there are no figures for that year). The months are those of the twelve ending in
January with figures for every establishment (February to December of last year).
"""

from __future__ import annotations

import math
import random
from datetime import date
from functools import cache
from typing import Any

from _national_fill import LAST_YEAR, NOW, SECTORS, Plan, _shares, _types
from sqlalchemy import select

from compliance.clock import zone_of_region
from compliance.extensions import db
from compliance.models.inspections import ComplianceSummary as S
from compliance.models.inspections import SummaryMonth
from compliance.models.organizations import Sector
from compliance.models.tenancy import Reach, reach_scope
from compliance.quota import DisabledEmployee, Snapshot, evaluate
from compliance.services.declarations.periods import due_date
from compliance.services.declarations.status import whole_people
from compliance.services.inspections import refresh_summary
from compliance.services.workforce import employment_types_for

RANKED = LAST_YEAR - 1
LATEST_SQL = "DATE '1900-01-01'"
#: Columns compared with what `refresh_summary` writes (refreshed_at is its clock's).
COMPARED = (
    *("province_code", "regency_codes", "name", "nib", "npwp", "sector", "as_of_month"),
    *("headcount", "required", "counted", "gap", "status", "months_complete", "due_year"),
    *("due_on", "zone", "is_due_declared", "has_declared", "last_declaration_id"),
    *("review_outcome", "flags"),
)


@cache
def _month(sector: str, main: int, second: int, counted: int, month: int) -> tuple[Any, ...]:
    """The engine's (required, counted, denominator) for one month of last year."""
    main_kind, second_kind = _types(SECTORS.index(sector))
    kinds = [k.value for k in employment_types_for(Sector(sector))]
    headcount = {kind: 0 for kind in kinds} | {main_kind: main, second_kind: second}
    end = date(LAST_YEAR + (month == 12), month % 12 + 1, 1)
    person = DisabledEmployee(
        categories=frozenset({"physical"}),
        evidence="kpd",
        employment_type=main_kind,
        is_verified=True,
    )
    result = evaluate(
        Snapshot(
            as_of=date.fromordinal(end.toordinal() - 1),
            sector=sector,
            headcount=headcount,
            disabled_employees=(person,) * counted,
        ),
        today=NOW.date(),
    )
    return result.required, result.counted, result.denominator


def _whole(value: Any) -> int | None:
    return None if value is None else math.ceil(value)


def write(cur: Any, plan: Plan) -> str:
    """COPY the summary rows, their months and the totals."""
    declared = plan.declared
    parts: dict[int, list[tuple[int, int, int]]] = {}
    employed: dict[int, int] = {}
    for people in plan.counted.values():
        for _employee, est in people:
            employed[est] = employed.get(est, 0) + 1
    for est, org, workers in _shares(plan):
        parts.setdefault(org, []).append((est, workers, employed.get(est, 0)))
    regency_of = {est: regency for est, _org, regency in plan.establishments}
    has_declared = {org for org, *_ in plan.filed}
    late = {org for org, _year, _id, first, due_on in plan.filed if first.date() > due_on}
    due = due_date(RANKED, 1)

    def series(org: int) -> list[tuple[int, Any, Any, Any]]:
        """(month, required, counted, denominator) from February to December of last year
        (January of this year has no figures yet)."""
        found = []
        counted = sum(c for _e, _w, c in parts[org])
        for m in range(2, 13):
            main = second = 0
            for est, workers, _c in parts[org]:
                drift = (est + m - 1) % 3 - 1 if workers > 3 else 0
                main += workers - workers // 3 + drift
                second += workers // 3
            found.append((m, *_month(SECTORS[org % 100], main, second, counted, m)))
        return found

    rows = months = 0
    with cur.copy(
        "COPY compliance_summaries (organization_id, province_code, regency_codes, name, nib, "
        "npwp, sector, as_of_month, headcount, required, counted, gap, status, "
        "months_complete, due_year, due_on, zone, is_due_declared, has_declared, "
        "last_declaration_id, review_outcome, flags, audit_event_id, refreshed_at) FROM STDIN"
    ) as copy:
        for org in range(1, len(plan.workers) + 1):
            if org in declared:
                declaration_id, entity = declared[org]
                result = whole_people(entity, str(entity.get("status")))
                status, complete = f"filed_{result.status}", 12
            else:
                declaration_id, result = None, whole_people(None, "insufficient_data")
                status, complete = "overdue", 0
            head = parts[org][0][0]
            flags = '["late_declaration"]' if org in late else "[]"
            by_province: dict[str, list[str]] = {}
            for code in sorted({regency_of[est] for est, _w, _c in parts[org]}):
                by_province.setdefault(code[:2], []).append(code)
            headcount = _whole(series(org)[-1][3])
            for province, codes in by_province.items():
                copy.write_row((
                    org, province, "[" + ", ".join(f'"{c}"' for c in codes) + "]",
                    f"PT Nasional {org}", f"{org:013d}", f"{org:015d}", SECTORS[org % 100],
                    date(LAST_YEAR, 12, 1), headcount, result.required,
                    result.counted or 0, -1 if result.gap is None else result.gap, status,
                    complete, RANKED, due, zone_of_region(regency_of[head]).name,
                    declaration_id is not None, org in has_declared, declaration_id,
                    plan.reviewed.get(declaration_id or 0), flags, 0, NOW,
                ))  # fmt: skip
                rows += 1
    with cur.copy(
        "COPY compliance_summary_months (organization_id, month, headcount, required, counted) "
        "FROM STDIN"
    ) as copy:
        for org in range(1, len(plan.workers) + 1):
            for m, required, got, _denominator in series(org):
                copy.write_row((org, date(LAST_YEAR, m, 1), None, required, _whole(got) or 0))
                months += 1
    _totals(cur)
    cur.execute(
        "INSERT INTO compliance_summary_watermarks VALUES ('summary', 0, %s)", (len(plan.workers),)
    )
    return f"{rows}+{months}"


def _totals(cur: Any) -> None:
    """The running totals and kept counts the refreshes would have added up, aggregated once."""
    areas = (
        "SELECT s.*, s.province_code AS area FROM compliance_summaries s UNION ALL "
        "SELECT s.*, r.code FROM compliance_summaries s, "
        "json_array_elements_text(s.regency_codes) r(code)"
    )
    cur.execute(
        "INSERT INTO compliance_totals SELECT area, " + LATEST_SQL + ", count(*), "
        "sum((status = 'filed_compliant')::int), sum(required), sum(counted) "
        f"FROM ({areas}) a WHERE required IS NOT NULL GROUP BY area"
    )
    cur.execute(
        "INSERT INTO compliance_totals SELECT a.area, m.month, count(*), 0, "  # noqa: S608
        "sum(coalesce(m.required, 0)), sum(m.counted) FROM compliance_summary_months m "
        f"JOIN ({areas}) a USING (organization_id) GROUP BY a.area, m.month"
    )
    # The rows per province and status the refreshes keep counted (migration 0029).
    key = "province_code, status, is_due_declared, due_on, zone"
    cur.execute(
        f"INSERT INTO compliance_counts ({key}, organizations) "  # noqa: S608
        f"SELECT {key}, count(*) FROM compliance_summaries GROUP BY {key}"
    )


def check(app: Any, organizations: int, sample: int = 30) -> None:
    """Compare the written rows with `refresh_summary`'s for `sample` organisations, then roll
    back; prints each difference (none expected)."""
    rng = random.Random(6)
    ids = sorted(rng.sample(range(1, organizations + 1), min(sample, organizations)))

    columns = [getattr(S, name) for name in COMPARED]
    differences = 0
    with app.app_context(), reach_scope(db.session, Reach.for_everything()):
        session = db.session()
        for org in ids:
            where = S.organization_id == org
            written = session.execute(select(*columns).where(where).order_by(S.province_code)).all()
            written_months = session.execute(
                select(SummaryMonth.month, SummaryMonth.required, SummaryMonth.counted)
                .where(SummaryMonth.organization_id == org)
                .order_by(SummaryMonth.month)
            ).all()
            refresh_summary(session, org, today=NOW.date())
            service = session.execute(select(*columns).where(where).order_by(S.province_code)).all()
            service_months = session.execute(
                select(SummaryMonth.month, SummaryMonth.required, SummaryMonth.counted)
                .where(SummaryMonth.organization_id == org)
                .order_by(SummaryMonth.month)
            ).all()
            for mine, theirs in zip(written, service, strict=False):
                for name, a, b in zip(COMPARED, mine, theirs, strict=True):
                    if a != b:
                        differences += 1
                        print(f"    organisation {org} {name}: fill {a!r}, service {b!r}")
            if len(written) != len(service) or written_months != service_months:
                differences += 1
                print(f"    organisation {org}: rows or months differ")
        session.rollback()
    print(f"  summary check: {len(ids)} organisations against refresh_summary, "
          f"{differences} differences")  # fmt: skip
