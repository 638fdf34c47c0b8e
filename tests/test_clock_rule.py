"""One clock: nothing in the package reads the time except `compliance/clock.py`.

A second way of deciding "now" is how the suite came to fail on 1 December (pages and tests
judged dates in different zones), so this walks every module's syntax tree and refuses any
other call that reads the system's or the database's clock, or names a time zone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import compliance

PACKAGE = Path(compliance.__file__).parent
CLOCK = PACKAGE / "clock.py"
MIGRATIONS = PACKAGE.parent / "migrations"

#: Attribute calls that read a clock: `datetime.now()`, `date.today()`, `time.time()`,
#: `func.now()`, `func.current_date()`... (`time.monotonic()` measures durations and is allowed).
FORBIDDEN_CALLS = {
    "now",
    "utcnow",
    "today",
    "time",
    "time_ns",
    "localtime",
    "gmtime",
    "current_date",
    "current_timestamp",
    "localtimestamp",
}
#: Receivers for which the names above mean the clock (so `organization.today()` is fine).
CLOCK_RECEIVERS = {
    *("datetime", "date", "time", "datetime.datetime", "datetime.date"),
    *("func", "sa.func", "sqlalchemy.func"),
}


def _receiver(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_receiver(node.value)}.{node.attr}"
    return ""


def clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, what) for every read of the clock or naming of a zone in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = _receiver(node.func.value)
            if node.func.attr in FORBIDDEN_CALLS and receiver in CLOCK_RECEIVERS:
                found.append((node.lineno, f"{receiver}.{node.func.attr}()"))
        if isinstance(node, ast.Call) and _receiver(node.func) in {"ZoneInfo", "zoneinfo.ZoneInfo"}:
            found.append((node.lineno, "ZoneInfo(...)"))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            lowered = node.value.lower()
            if "now()" in lowered or "current_timestamp" in lowered:
                found.append((node.lineno, f"SQL {node.value[:40]!r}"))
    return found


def _modules() -> list[Path]:
    files = [*PACKAGE.rglob("*.py"), *MIGRATIONS.rglob("*.py")]
    return sorted(p for p in files if p != CLOCK)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from datetime import datetime\nx = datetime.now(UTC)", "datetime.now()"),
        ("import datetime\nx = datetime.date.today()", "datetime.date.today()"),
        ("from sqlalchemy import func\nx = func.now()", "func.now()"),
        ("import time\nx = time.time()", "time.time()"),
        ("x = ZoneInfo('Asia/Jakarta')", "ZoneInfo(...)"),
        ("x = 'SELECT now()'", "SQL 'SELECT now()'"),
    ],
)
def test_the_rule_catches_each_way_of_reading_the_clock(source, expected):
    assert [what for _line, what in clock_reads(source)] == [expected]


def test_the_rule_allows_asking_the_clock_and_measuring_durations():
    source = "x = organization.today()\ny = time.monotonic()\nz = clock.now()"
    assert clock_reads(source) == []


def test_only_the_clock_module_reads_the_clock():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path in _modules()
        for line, what in clock_reads(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
