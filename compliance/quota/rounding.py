"""Rounding of `rate × N` into a whole number of persons, for every mode a pack may name.

The value is an exact rational (`fractions.Fraction`, built from `Decimal` or integers) so that
averages such as "rate × (sum of 12 monthly head counts) / 12" round exactly: a binary float, or a
`Decimal` division cut at 28 digits, could tip a value sitting on a boundary.
"""

from __future__ import annotations

import enum
import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


class RoundingMode(enum.StrEnum):
    FLOOR = "floor"  # PP 43/1998: one per full hundred
    CEIL = "ceil"  # our default for "paling sedikit x %"
    HALF_UP = "half_up"  # .5 and above adds one
    HALF_DOWN = "half_down"  # above .5 adds one
    HALF_EVEN = "half_even"  # banker's rounding
    REMAINDER_OVER = "remainder_over"  # a remainder above `cutoff` adds one ("over 50 adds one")


def to_fraction(value: int | Decimal | Fraction) -> Fraction:
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"cannot round {value}")
    return Fraction(value)


def round_required(
    value: int | Decimal | Fraction, mode: RoundingMode, cutoff: Decimal = Decimal("0.5")
) -> int:
    """Round a non-negative exact value to persons. `cutoff` is used by `remainder_over` only."""
    exact = to_fraction(value)
    if exact < 0:
        raise ValueError("a required number cannot be negative")
    whole = math.floor(exact)
    remainder = exact - whole
    half = Fraction(1, 2)
    if mode is RoundingMode.FLOOR:
        return whole
    if mode is RoundingMode.CEIL:
        return math.ceil(exact)
    if mode is RoundingMode.HALF_UP:
        return whole + (1 if remainder >= half else 0)
    if mode is RoundingMode.HALF_DOWN:
        return whole + (1 if remainder > half else 0)
    if mode is RoundingMode.HALF_EVEN:
        if remainder == half:
            return whole + (whole % 2)
        return whole + (1 if remainder > half else 0)
    if mode is RoundingMode.REMAINDER_OVER:
        return whole + (1 if remainder > Fraction(cutoff) else 0)
    raise ValueError(f"unknown rounding mode {mode!r}")  # pragma: no cover - enum is closed


def as_decimal(value: Fraction, places: int = 4) -> Decimal:
    """A display value: exact when the fraction is a finite decimal, else rounded half-up."""
    numerator, denominator = value.numerator, value.denominator
    exact = Decimal(numerator) / Decimal(denominator)
    if Fraction(exact) == value:
        return exact.normalize() if exact != exact.to_integral_value() else exact.quantize(1)
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(numerator) / Decimal(denominator)).quantize(quantum, rounding=ROUND_HALF_UP)
