"""A fictional country's pack exercises the format's general features without code changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from compliance.quota import (
    PackRegistry,
    Period,
    PeriodMethod,
    Snapshot,
    Status,
    evaluate,
    evaluate_period,
    load_pack_text,
)
from tests.quota.builders import TODAY, person, snapshot


def xx(as_of: date = date(2025, 6, 30), **fields: Any) -> Snapshot:
    return snapshot("private", as_of=as_of, jurisdiction="XX", **fields)


def test_weighted_denominator_and_remainder_over_half(xx_registry: PackRegistry) -> None:
    at_half = evaluate(xx(permanent=40, part_time=20), today=TODAY, registry=xx_registry)
    assert at_half.denominator == 50  # part-time counts half
    assert at_half.exact_required == Decimal("2.5")
    assert at_half.required == 2  # a remainder of exactly .5 is not "over" .5
    over_half = evaluate(xx(permanent=41, part_time=20), today=TODAY, registry=xx_registry)
    assert over_half.exact_required == Decimal("2.55")
    assert over_half.required == 3
    assert over_half.comparisons == ()
    assert over_half.overlays == ()


def test_per_person_weights_by_category_and_hours_band(xx_registry: PackRegistry) -> None:
    disabled = (
        person("multiple", weekly_hours=Decimal(40)),  # 2
        person("physical", weekly_hours=Decimal(10)),  # 0.5: under 20 hours
        person("multiple", weekly_hours=Decimal(25)),  # 1: not full time, not under 20
        person("sensory"),  # 1: hours unknown, no band matches
        person("mental", evidence="self_declaration"),  # not accepted in XX
    )
    result = evaluate(xx(permanent=100, disabled=disabled), today=TODAY, registry=xx_registry)
    assert result.counted == Decimal("4.5")
    assert result.required == 5
    assert result.gap == Decimal("0.5")
    weighted = [line for line in result.lines if line.code == "numerator_weighted"]
    assert [line.params["total"] for line in weighted] == ["2", "0.5"]
    assert "numerator_excluded_evidence" in [line.code for line in result.lines]


def test_threshold_means_no_obligation_only_where_the_pack_sets_one(
    xx_registry: PackRegistry,
) -> None:
    small = evaluate(xx(permanent=19), today=TODAY, registry=xx_registry)
    assert small.status is Status.NO_OBLIGATION
    assert small.required is None
    assert evaluate(xx(permanent=20), today=TODAY, registry=xx_registry).required == 1


def test_sector_the_pack_does_not_cover(xx_registry: PackRegistry) -> None:
    result = evaluate(
        snapshot("central_government", jurisdiction="XX", pns=100),
        today=TODAY,
        registry=xx_registry,
    )
    assert result.status is Status.NO_OBLIGATION


def test_rule_on_average_head_count_with_threshold_on_the_average(
    xx_registry: PackRegistry,
) -> None:
    months = (xx(as_of=date(2025, 1, 31), permanent=18), xx(as_of=date(2025, 2, 28), permanent=22))
    result = evaluate_period(Period(months), today=TODAY, registry=xx_registry)
    assert result.method is PeriodMethod.RULE_ON_AVERAGE_DENOMINATOR
    # A month of 18 is under the threshold alone, but the threshold is on the average (20).
    assert result.months[0].required == 1
    assert result.denominator == 20
    assert result.required == 1
    assert result.status is Status.SHORTFALL
    below = (xx(as_of=date(2025, 1, 31), permanent=18), xx(as_of=date(2025, 2, 28), permanent=21))
    small = evaluate_period(Period(below), today=TODAY, registry=xx_registry)
    assert small.status is Status.NO_OBLIGATION


def test_sum_of_monthly_results_and_other_rounding_modes(xx_pack_text: str) -> None:
    text = (
        xx_pack_text.replace(
            'method = "rule_on_average_denominator"', 'method = "sum_of_monthly_results"'
        )
        .replace('threshold_basis = "period_average"', 'threshold_basis = "each_month"')
        .replace('mode = "remainder_over"\ncutoff = 0.5', 'mode = "half_up"')
    )
    registry = PackRegistry([load_pack_text(text)])
    months = (
        xx(as_of=date(2025, 1, 31), permanent=50, disabled=(person(),)),  # 2.5 → 3, gap 2
        xx(as_of=date(2025, 2, 28), permanent=10),  # under 20: no obligation this month
        xx(as_of=date(2025, 3, 31), permanent=30, disabled=(person(), person())),  # 1.5 → 2, ok
    )
    result = evaluate_period(Period(months), today=TODAY, registry=registry)
    assert [m.status for m in result.months] == [
        Status.SHORTFALL,
        Status.NO_OBLIGATION,
        Status.COMPLIANT,
    ]
    assert result.required == 5
    assert result.counted == 3
    assert result.gap == 2
    assert result.status is Status.SHORTFALL


@pytest.mark.parametrize(
    ("mode", "required"),
    [("floor", 2), ("ceil", 3), ("half_up", 3), ("half_down", 2), ("half_even", 2)],
)
def test_each_rounding_mode_from_pack_data(xx_pack_text: str, mode: str, required: int) -> None:
    text = xx_pack_text.replace('mode = "remainder_over"\ncutoff = 0.5', f'mode = "{mode}"')
    registry = PackRegistry([load_pack_text(text)])
    result = evaluate(xx(permanent=50), today=TODAY, registry=registry)
    assert result.exact_required == Decimal("2.5")
    assert result.required == required
