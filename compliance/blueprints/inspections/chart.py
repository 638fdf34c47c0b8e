"""Bar charts of required and counted persons for the dashboard (per month, per regency).

The same server-rendered SVG as the gap page (`declarations.chart`): integer geometry, colours
from CSS classes, and the numbers repeated in a table beside each chart. Bars use the real
totals; the tables print them with small-number suppression.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.blueprints.declarations.chart import BOTTOM, HEIGHT, LEFT, TOP, WIDTH, Bar, Tick
from compliance.services.inspections.dashboard import SMALL_NUMBER, Aggregate


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    label_x: int
    bars: tuple[Bar, Bar]


@dataclass(frozen=True, slots=True)
class GroupChart:
    width: int
    height: int
    baseline: int
    left: int
    groups: tuple[Group, ...]
    ticks: tuple[Tick, ...]


def _shown(value: int) -> int:
    """Small values draw as zero height: a bar's length must not reveal what the table hides."""
    return 0 if 0 < value < SMALL_NUMBER else value


def group_chart(
    aggregates: tuple[Aggregate, ...], short: dict[str, str] | None = None
) -> GroupChart:
    values = [_shown(a.required) for a in aggregates] + [_shown(a.counted) for a in aggregates]
    top = max(1, max(values, default=1))
    plot = HEIGHT - BOTTOM - TOP
    baseline = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT) // max(len(aggregates), 1)
    bar = max(2, (slot - 4) // 2)
    groups = []
    for index, item in enumerate(aggregates):
        x = LEFT + index * slot + 2
        required = _shown(item.required) * plot // top
        counted = _shown(item.counted) * plot // top
        groups.append(
            Group(
                label=(short or {}).get(item.key, item.label),
                label_x=x + bar,
                bars=(
                    Bar(x, baseline - required, bar, required, "bar-required", item.required),
                    Bar(x + bar, baseline - counted, bar, counted, "bar-counted", item.counted),
                ),
            )
        )
    step = max(1, top // 4)
    ticks = tuple(Tick(baseline - value * plot // top, value) for value in range(0, top + 1, step))
    return GroupChart(WIDTH, HEIGHT, baseline, LEFT, tuple(groups), ticks)
