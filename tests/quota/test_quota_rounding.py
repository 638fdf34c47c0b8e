"""Rounding modes on exact values, including the boundaries where modes disagree."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.quota import RoundingMode, round_required


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2.5",
            {
                "floor": 2,
                "ceil": 3,
                "half_up": 3,
                "half_down": 2,
                "half_even": 2,
                "remainder_over": 2,
            },
        ),
        (
            "3.5",
            {
                "floor": 3,
                "ceil": 4,
                "half_up": 4,
                "half_down": 3,
                "half_even": 4,
                "remainder_over": 3,
            },
        ),
        (
            "2.51",
            {
                "floor": 2,
                "ceil": 3,
                "half_up": 3,
                "half_down": 3,
                "half_even": 3,
                "remainder_over": 3,
            },
        ),
        (
            "2",
            {
                "floor": 2,
                "ceil": 2,
                "half_up": 2,
                "half_down": 2,
                "half_even": 2,
                "remainder_over": 2,
            },
        ),
        (
            "0.01",
            {
                "floor": 0,
                "ceil": 1,
                "half_up": 0,
                "half_down": 0,
                "half_even": 0,
                "remainder_over": 0,
            },
        ),
    ],
)
def test_modes(value: str, expected: dict[str, int]) -> None:
    for mode, result in expected.items():
        assert round_required(Decimal(value), RoundingMode(mode)) == result, mode


def test_remainder_over_a_cutoff_adds_one() -> None:
    # "a remainder over 50 adds one" with 1 per 100 workers: 150 → 1, 151 → 2.
    per_hundred = Decimal("0.01")
    assert round_required(per_hundred * 150, RoundingMode.REMAINDER_OVER) == 1
    assert round_required(per_hundred * 151, RoundingMode.REMAINDER_OVER) == 2
    assert round_required(Decimal("1.3"), RoundingMode.REMAINDER_OVER, Decimal("0.25")) == 2


def test_exact_fractions_do_not_drift() -> None:
    # rate × (sum of 12 months) / 12 sits exactly on .5: a float or a cut Decimal could tip it.
    value = Fraction(Decimal("0.01")) * Fraction(3000, 12)
    assert value == Fraction(5, 2)
    assert round_required(value, RoundingMode.HALF_DOWN) == 2


def test_negative_and_non_finite_values_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        round_required(Decimal(-1), RoundingMode.CEIL)
    with pytest.raises(ValueError, match="cannot round"):
        round_required(Decimal("NaN"), RoundingMode.CEIL)


@settings(max_examples=200)
@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False))
def test_every_mode_lies_between_floor_and_ceil(value: Decimal) -> None:
    low = round_required(value, RoundingMode.FLOOR)
    high = round_required(value, RoundingMode.CEIL)
    assert low <= value <= high
    assert high - low <= 1
    for mode in RoundingMode:
        assert low <= round_required(value, mode) <= high
