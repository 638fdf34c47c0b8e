"""Benchmark of the quota engine: results per second for snapshots and 12-month periods.

Run: `.venv/bin/python bench/quota.py [--seconds 0.5]`. Prints figures only (no assertions).
Organisations of 10, 1,000 and 100,000 employees, with a roster of disabled employees at 2 % of
the workforce (at least one) and, as a stress case, with every employee on the roster. Head counts
arrive aggregated by employment type, so only the roster grows the work: the cost per employee
should stay flat or fall as organisations grow (linear or better), which the ratios show.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import date

from compliance.quota import (
    DisabilityCategory,
    DisabledEmployee,
    EmploymentType,
    EvidenceType,
    Period,
    Sector,
    Snapshot,
    evaluate,
    evaluate_period,
    parse_document,
)

TODAY = date(2026, 11, 23)
SIZES = (10, 1_000, 100_000)
CATEGORIES = list(DisabilityCategory)
EVIDENCE = list(EvidenceType)


def make_snapshot(employees: int, roster_share: float | None, month: int = 6) -> Snapshot:
    permanent = employees * 7 // 10
    fixed_term = employees * 2 // 10
    daily = employees // 20
    part_time = employees - permanent - fixed_term - daily
    roster = employees if roster_share is None else max(1, int(employees * roster_share))
    roster = min(roster, permanent)  # the roster are permanent workers here
    people = tuple(
        DisabledEmployee(
            categories=frozenset({CATEGORIES[i % 5], CATEGORIES[(i * 7) % 5]}),
            evidence=EVIDENCE[i % 4],
            employment_type=EmploymentType.PERMANENT,
            is_verified=i % 3 != 0,
        )
        for i in range(roster)
    )
    return Snapshot(
        as_of=date(2025, month, 28),
        sector=Sector.PRIVATE,
        headcount={
            EmploymentType.PERMANENT: permanent,
            EmploymentType.FIXED_TERM: fixed_term,
            EmploymentType.DAILY: daily,
            EmploymentType.PART_TIME: part_time,
            EmploymentType.OUTSOURCED: employees // 10,
        },
        disabled_employees=people,
        region="34.02",
    )


def rate(work: Callable[[], object], seconds: float) -> float:
    """Calls per second, repeating `work` for at least `seconds` (after one warm-up call)."""
    work()
    calls, started = 0, time.perf_counter()
    while True:
        work()
        calls += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return calls / elapsed


def report(title: str, roster_share: float | None, seconds: float) -> None:
    print(f"\n{title}")
    print(
        f"{'employees':>10} {'roster':>8} {'kind':>8} {'results/s':>12} {'µs/result':>12} "
        f"{'ns/employee':>12} {'cost ratio':>11} {'size ratio':>11}"
    )
    for kind in ("snapshot", "period"):
        previous: tuple[int, float] | None = None
        for size in SIZES:
            if kind == "snapshot":
                snapshot = make_snapshot(size, roster_share)
                roster = len(snapshot.disabled_employees)
                per_second = rate(lambda s=snapshot: evaluate(s, today=TODAY), seconds)
            else:
                period = Period(tuple(make_snapshot(size, roster_share, m) for m in range(1, 13)))
                roster = len(period.snapshots[0].disabled_employees)
                per_second = rate(lambda p=period: evaluate_period(p, today=TODAY), seconds)
            cost = 1 / per_second
            ratio = f"{cost / previous[1]:.1f}×" if previous else "-"
            growth = f"{size / previous[0]:.0f}×" if previous else "-"
            print(
                f"{size:>10,} {roster:>8,} {kind:>8} {per_second:>12,.1f} {cost * 1e6:>12,.1f} "
                f"{cost / size * 1e9:>12,.1f} {ratio:>11} {growth:>11}"
            )
            previous = (size, cost)


def report_json(seconds: float) -> None:
    snapshot = make_snapshot(100_000, 0.02)
    document = json.dumps(
        {
            "as_of": snapshot.as_of.isoformat(),
            "sector": "private",
            "region": "34.02",
            "headcount": {k.value: v for k, v in snapshot.headcount.items()},
            "disabled_employees": [
                {
                    "categories": sorted(c.value for c in p.categories),
                    "evidence": p.evidence.value,
                    "employment_type": p.employment_type.value,
                    "is_verified": p.is_verified,
                }
                for p in snapshot.disabled_employees
            ],
        }
    )

    def work() -> object:
        parsed = parse_document(document)
        assert isinstance(parsed, Snapshot)
        return json.dumps(evaluate(parsed, today=TODAY).to_dict())

    per_second = rate(work, seconds)
    print(
        f"\nJSON round trip (parse + evaluate + dump), 100,000 employees, 2,000 on the roster: "
        f"{per_second:,.1f} results/s ({1e3 / per_second:,.2f} ms each)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=0.5, help="time per measurement")
    args = parser.parse_args()
    print(
        "cost ratio = time per result / time at the previous size; size ratio = employees "
        "/ previous; linear growth means cost ratio <= size ratio"
    )
    report("Realistic roster (2 % of employees, at least 1)", 0.02, args.seconds)
    report("Stress: every employee on the roster", None, args.seconds)
    report_json(args.seconds)


if __name__ == "__main__":
    main()
