"""Outputs of the quota engine: `QuotaResult` (one snapshot) and `PeriodResult` (monthly series).

Numbers are `int` (persons required) or `Decimal` (head counts may be weighted, averages are
fractional); `to_dict()` gives the JSON shape documented in the README, with every Decimal as a
string so no consumer ever turns it into a binary float by accident.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from compliance.quota.lines import ExplanationLine
from compliance.quota.pack import PeriodMethod
from compliance.quota.vocab import Sector, Status
from compliance.quota.wording import Lang


class ResultRole(enum.StrEnum):
    PRIMARY = "primary"  # the national obligation
    COMPARISON = "comparison"  # a repealed pack, shown as history
    OVERLAY = "overlay"  # a regional duty, shown beside (never instead of) the national one


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _lines(lines: tuple[ExplanationLine, ...]) -> list[dict[str, Any]]:
    return [line.to_dict() for line in lines]


@dataclass(frozen=True, slots=True)
class QuotaResult:
    pack_id: str
    role: ResultRole
    as_of: date
    sector: Sector
    region: str | None
    status: Status
    denominator: Decimal | None  # N; None when unknown
    rate: Decimal | None  # None when the pack does not cover the sector
    exact_required: Decimal | None  # rate × N before rounding
    required: int | None  # None where the obligation does not apply or cannot be computed
    counted: Decimal
    unverified: int  # persons counted on unverified evidence
    gap: Decimal | None
    lines: tuple[ExplanationLine, ...]
    warnings: tuple[ExplanationLine, ...]
    duties: tuple[ExplanationLine, ...] = ()
    sanctions: tuple[ExplanationLine, ...] = ()
    comparisons: tuple[QuotaResult, ...] = ()
    overlays: tuple[QuotaResult, ...] = ()
    pack_verified: date | None = None  # oldest last_verified among the pack's sources
    is_stale: bool = False

    @property
    def applies(self) -> bool:
        return self.status is not Status.NO_OBLIGATION

    def explanation(self, lang: Lang) -> list[str]:
        """The lines as plain sentences, each followed by its source."""
        return [f"{line.text(lang)} [{line.source(lang)}]" for line in self.lines]

    def to_dict(self) -> dict[str, Any]:
        return {
            "pack_id": self.pack_id,
            "role": self.role.value,
            "as_of": self.as_of.isoformat(),
            "sector": self.sector.value,
            "region": self.region,
            "status": self.status.value,
            "denominator": _decimal(self.denominator),
            "rate": _decimal(self.rate),
            "exact_required": _decimal(self.exact_required),
            "required": self.required,
            "counted": _decimal(self.counted),
            "unverified": self.unverified,
            "gap": _decimal(self.gap),
            "pack_verified": self.pack_verified.isoformat() if self.pack_verified else None,
            "is_stale": self.is_stale,
            "warnings": _lines(self.warnings),
            "lines": _lines(self.lines),
            "duties": _lines(self.duties),
            "sanctions": _lines(self.sanctions),
            "comparisons": [result.to_dict() for result in self.comparisons],
            "overlays": [result.to_dict() for result in self.overlays],
        }


@dataclass(frozen=True, slots=True)
class PeriodResult:
    label: str | None
    start: date
    end: date
    pack_id: str  # the pack whose period rule combined the months (the one in force at the end)
    method: PeriodMethod
    status: Status
    denominator: Decimal | None  # average N over the months
    required: Decimal | None  # average, or total for `sum_of_monthly_results`
    counted: Decimal | None  # average, or total for `sum_of_monthly_results`
    gap: Decimal | None
    months: tuple[QuotaResult, ...]
    lines: tuple[ExplanationLine, ...]
    warnings: tuple[ExplanationLine, ...]

    def explanation(self, lang: Lang) -> list[str]:
        return [f"{line.text(lang)} [{line.source(lang)}]" for line in self.lines]

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "pack_id": self.pack_id,
            "method": self.method.value,
            "status": self.status.value,
            "denominator": _decimal(self.denominator),
            "required": _decimal(self.required),
            "counted": _decimal(self.counted),
            "gap": _decimal(self.gap),
            "warnings": _lines(self.warnings),
            "lines": _lines(self.lines),
            "months": [month.to_dict() for month in self.months],
        }
