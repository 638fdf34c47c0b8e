"""A server-rendered SVG bar chart of required and counted persons per month.

No JavaScript and no inline styles (the CSP forbids both): the geometry is computed here in
integers and the template only prints it; colours come from classes in `app.css`. The same
numbers are printed in a table below the chart, so nothing depends on seeing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from compliance.quota import QuotaResult

WIDTH = 640
HEIGHT = 240
LEFT = 40
BOTTOM = 30
TOP = 10


@dataclass(frozen=True, slots=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    css: str  # "bar-required" or "bar-counted"
    value: Decimal | int | None


@dataclass(frozen=True, slots=True)
class Tick:
    y: int
    label: int


@dataclass(frozen=True, slots=True)
class Column:
    month: date
    label_x: int
    bars: tuple[Bar, Bar]


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    baseline: int
    left: int
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]


def _scaled(value: Decimal | int, top: int, plot: int) -> int:
    return int((Decimal(value) * plot / top).to_integral_value(ROUND_HALF_UP))


def month_chart(months: tuple[QuotaResult, ...]) -> BarChart:
    """Two bars per month: required (unknown shows as no bar) and counted."""
    values = [m.required or 0 for m in months] + [m.counted for m in months]
    top = max(1, int(Decimal(max(values, default=1)).to_integral_value(ROUND_HALF_UP)))
    plot = HEIGHT - BOTTOM - TOP
    baseline = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT) // max(len(months), 1)
    bar = max(4, (slot - 8) // 2)
    columns = []
    for index, result in enumerate(months):
        x = LEFT + index * slot + 4
        required = _scaled(result.required or 0, top, plot)
        counted = _scaled(result.counted, top, plot)
        columns.append(
            Column(
                month=result.as_of.replace(day=1),
                label_x=x + bar,
                bars=(
                    Bar(x, baseline - required, bar, required, "bar-required", result.required),
                    Bar(x + bar, baseline - counted, bar, counted, "bar-counted", result.counted),
                ),
            )
        )
    step = max(1, top // 4)
    ticks = tuple(
        Tick(baseline - _scaled(value, top, plot), value) for value in range(0, top + 1, step)
    )
    return BarChart(WIDTH, HEIGHT, baseline, LEFT, tuple(columns), ticks)
