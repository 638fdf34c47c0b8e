"""Bar charts of required and counted persons for the dashboard (per month, per regency).

The same server-rendered SVG as the gap page (`declarations.chart`): integer geometry, colours
from CSS classes, and the numbers repeated in a table beside each chart. A count the tables
suppress (`dashboard.is_suppressed`, the one rule) is drawn as a hatched bar of a fixed small
height marked "<5": visibly there, but its length tells nothing the table hides. Every other
bar is to scale; a zero draws no bar.

Group labels that would not fit their slot are turned 45 degrees (and long names shortened;
the table has them in full), and a chart with many groups grows wider rather than squeezing
the bars below the width of their "<5" mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from compliance.blueprints.declarations.chart import BOTTOM, HEIGHT, LEFT, TOP, WIDTH, Tick
from compliance.services.inspections.dashboard import (
    SMALL_NUMBER,
    Aggregate,
    is_suppressed,
    suppressed,
)

#: Height of a suppressed bar, whatever its value: a mark, not a measure.
SUPPRESSED_HEIGHT = 12
#: The narrowest bar: wide enough for the "<5" printed above a suppressed one.
MIN_BAR = 20
MAX_BAR = 40
GAP = 6  # between two groups
#: Width of one label character at the 12px label size, generously (DejaVu Sans digits are
#: 7.6px): a label that may not fit is turned rather than left to collide with its neighbour.
CHAR_WIDTH = 8
LABEL_CHARS = 18  # longer labels are shortened with "…"
ROTATED_BOTTOM_MAX = 120


@dataclass(frozen=True, slots=True)
class GroupBar:
    x: int
    y: int
    width: int
    height: int
    series: str  # "required" or "counted"
    value: int
    text: str  # as the tables print it: "12", "<5", "0"
    is_suppressed: bool

    @property
    def css(self) -> str:
        # Not "bar-required" on a hatched bar: that class's fill would hide the hatch.
        if self.is_suppressed:
            return f"bar-suppressed bar-suppressed-{self.series}"
        return f"bar-{self.series}"

    @property
    def mid_x(self) -> int:
        return self.x + self.width // 2


@dataclass(frozen=True, slots=True)
class Group:
    label: str  # as drawn (perhaps shortened)
    title: str  # in full
    label_x: int
    bars: tuple[GroupBar, GroupBar]


@dataclass(frozen=True, slots=True)
class GroupChart:
    width: int
    height: int
    baseline: int
    left: int
    groups: tuple[Group, ...]
    ticks: tuple[Tick, ...]
    is_rotated: bool  # group labels turned 45 degrees
    mark: str  # what a suppressed bar is marked with ("<5"), or "" if none is
    threshold: int = SMALL_NUMBER

    @property
    def has_suppressed(self) -> bool:
        return bool(self.mark)

    @property
    def is_wide(self) -> bool:
        """Wider than the page's chart width: shown at its own size, scrolling sideways."""
        return self.width > WIDTH

    @property
    def label_y(self) -> int:
        return self.baseline + (14 if self.is_rotated else 18)


def _shortened(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _bar(series: str, value: int, x: int, width: int, baseline: int, scale: float) -> GroupBar:
    hidden = is_suppressed(value)
    if hidden:
        height = SUPPRESSED_HEIGHT
    elif value:  # a count that is not zero never rounds down to no bar at all
        height = max(1, round(value * scale))
    else:
        height = 0
    return GroupBar(x, baseline - height, width, height, series, value, suppressed(value), hidden)


def group_chart(
    aggregates: tuple[Aggregate, ...], short: dict[str, str] | None = None
) -> GroupChart:
    """Two bars per aggregate, required then counted; `short` maps keys to shorter labels."""
    titles = [(short or {}).get(a.key, a.label) for a in aggregates]
    labels = [_shortened(t) for t in titles]
    count = max(len(aggregates), 1)
    slot = max((WIDTH - LEFT) // count, 2 * MIN_BAR + GAP)
    bar = min((slot - GAP) // 2, MAX_BAR)
    label_width = CHAR_WIDTH * max((len(label) for label in labels), default=0)
    is_rotated = label_width > slot - GAP
    bottom, left = BOTTOM, LEFT
    if is_rotated:
        # A turned label reaches down and to the left by its length over the square root of 2.
        reach = ceil(label_width * 0.71)
        bottom = min(max(BOTTOM, reach + 20), ROTATED_BOTTOM_MAX)
        left = max(LEFT, reach - slot // 2 + 4)
    plot = HEIGHT - BOTTOM - TOP
    baseline = TOP + plot
    # The scale ignores suppressed values (their bars have a fixed height whatever they are)
    # but reaches at least the threshold, so the axis never claims a "<5" is below 1.
    shown = [v for a in aggregates for v in (a.required, a.counted) if not is_suppressed(v)]
    top = max([SMALL_NUMBER, *shown])
    scale = plot / top
    groups = []
    for index, item in enumerate(aggregates):
        x = left + index * slot + (slot - 2 * bar) // 2
        groups.append(
            Group(
                label=labels[index],
                title=titles[index],
                label_x=x + bar,
                bars=(
                    _bar("required", item.required, x, bar, baseline, scale),
                    _bar("counted", item.counted, x + bar, bar, baseline, scale),
                ),
            )
        )
    step = max(1, top // 4)
    ticks = tuple(Tick(baseline - round(value * scale), value) for value in range(0, top + 1, step))
    return GroupChart(
        width=max(WIDTH, left + count * slot),
        height=baseline + bottom,
        baseline=baseline,
        left=left,
        groups=tuple(groups),
        ticks=ticks,
        is_rotated=is_rotated,
        mark=next((b.text for g in groups for b in g.bars if b.is_suppressed), ""),
    )
