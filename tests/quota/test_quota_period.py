"""Periods of monthly snapshots: monthly results and the period's combined result."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

import pytest

from compliance.quota import InputError, Period, PeriodMethod, Status, evaluate_period
from tests.quota.builders import TODAY, person, snapshot


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def year_of(headcounts: list[int], counted: list[int], **fields: object) -> Period:
    return Period(
        tuple(
            snapshot(
                "private",
                as_of=month_end(2025, index + 1),
                permanent=heads,
                disabled=tuple(person() for _ in range(dis)),
                **fields,
            )
            for index, (heads, dis) in enumerate(zip(headcounts, counted, strict=True))
        ),
        label="2025",
    )


def test_average_of_monthly_results() -> None:
    # Required: 10 months at ceil(2.5) = 3 and 2 months at ceil(1.5) = 2 → average 34/12.
    period = year_of([250] * 10 + [150] * 2, [3] * 6 + [2] * 6)
    result = evaluate_period(period, today=TODAY)
    assert result.method is PeriodMethod.AVERAGE_OF_MONTHLY_RESULTS
    assert len(result.months) == 12
    assert [m.required for m in result.months] == [3] * 10 + [2] * 2
    assert result.required == Decimal("2.83")
    assert result.counted == Decimal("2.5")
    assert result.gap == Decimal("0.33")
    assert result.status is Status.SHORTFALL
    assert result.start == date(2025, 1, 31)
    assert result.end == date(2025, 12, 31)
    assert "period_average" in [line.code for line in result.lines]


def test_surplus_months_offset_shortfall_months_on_average() -> None:
    result = evaluate_period(year_of([250, 250], [4, 2]), today=TODAY)
    assert [m.status for m in result.months] == [Status.COMPLIANT, Status.SHORTFALL]
    assert result.status is Status.COMPLIANT
    assert result.gap == 0


def test_months_are_ordered_by_date_whatever_the_input_order() -> None:
    period = year_of([100, 200, 300], [0, 1, 2])
    shuffled = Period(tuple(reversed(period.snapshots)))
    assert (
        evaluate_period(shuffled, today=TODAY).to_dict()["months"]
        == (evaluate_period(period, today=TODAY).to_dict()["months"])
    )


def test_an_incomplete_month_makes_the_period_insufficient() -> None:
    period = Period(
        (
            snapshot(as_of=date(2025, 1, 31), permanent=100),
            snapshot(as_of=date(2025, 2, 28), permanent=None),
        )
    )
    result = evaluate_period(period, today=TODAY)
    assert result.status is Status.INSUFFICIENT_DATA
    assert result.required is None
    assert "period_incomplete" in [line.code for line in result.lines]


def test_a_period_spanning_two_packs_says_so() -> None:
    period = Period(
        (
            snapshot(as_of=date(2016, 3, 31), permanent=250),
            snapshot(as_of=date(2016, 4, 30), permanent=250),
        )
    )
    result = evaluate_period(period, today=TODAY)
    assert [m.pack_id for m in result.months] == ["id-pp43-1998", "id-uu8-2016"]
    assert result.pack_id == "id-uu8-2016"
    assert result.warnings[0].code == "period_spans_packs"
    assert result.required == Decimal("2.5")  # (2 + 3) / 2


def test_two_snapshots_in_one_month_are_refused() -> None:
    with pytest.raises(InputError) as raised:
        Period(
            (
                snapshot(as_of=date(2025, 1, 1), permanent=1),
                snapshot(as_of=date(2025, 1, 31), permanent=1),
            )
        )
    assert raised.value.field == "snapshots[1].as_of"


def test_sector_must_not_change_within_a_period() -> None:
    with pytest.raises(InputError) as raised:
        Period(
            (
                snapshot("private", as_of=date(2025, 1, 31), permanent=1),
                snapshot("soe", as_of=date(2025, 2, 28), permanent=1),
            )
        )
    assert raised.value.field == "snapshots[1].sector"


def test_a_month_before_any_pack_is_named() -> None:
    period = Period(
        (
            snapshot(as_of=date(2025, 1, 31), permanent=1),
            snapshot(as_of=date(1990, 2, 28), permanent=1),
        )
    )
    with pytest.raises(InputError) as raised:
        evaluate_period(period, today=TODAY)
    assert raised.value.field == "snapshots[1].as_of"


def test_empty_period_is_refused() -> None:
    with pytest.raises(InputError, match="at least one"):
        Period(())
