"""A period's result restated in whole people, and why the parts do not add up to the whole.

The engine combines a period's months by the pack's period rule: for Indonesia the average of
the monthly results (LAW.md row 7, a product default). An average is a fraction of a person
("counted 3.83, gap 1.17"), which nobody can employ, so every page, receipt and pack restates
it here (issue 15, item 4):

- **required**: what each month required, a whole number (`rate × N` rounded by the pack),
  or the range when the workforce changed ("4 to 5 people");
- **counted**: the average over the months, with the person-months behind it ("on average
  3.83 people over 12 months: 46 person-months of the 60 required");
- **gap**: the whole number of people who, counted in every month, would have closed it: the
  average gap rounded by the pack's own rounding rule (rounding up, LAW.md row 3), never zero
  while there is a shortfall.

It reads a live `PeriodResult` or the JSON a declaration stored, so the gap page, the
declaration, its receipt and the evidence pack all say the same. `PartsSum` explains item 5:
the quota is the legal entity's, and rounding each establishment up on its own asks for more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from compliance.quota import (
    Citation,
    InputError,
    PeriodMethod,
    PeriodResult,
    RoundingMode,
    RulePack,
    default_registry,
    round_required,
)
from compliance.quota.citation import source_label
from compliance.quota.rounding import as_decimal

#: (required that month or None where nothing was owed, counted that month)
MonthFigures = tuple[int | None, Decimal]

#: UU 8/2016 Pasal 53 puts the quota on the employer; that it is counted per legal entity
#: (NIB/NPWP) rather than per workplace is our reading (LAW.md row 6, a product default).
ENTITY_BASIS = Citation(
    law="UU 8/2016", article="53", url="https://peraturan.bpk.go.id/Details/37251"
)


def _pack(pack_id: str | None) -> RulePack | None:
    """The shipped pack, or None for a pack a stored declaration names but we no longer ship."""
    if not pack_id:
        return None
    try:
        return default_registry().get(pack_id)
    except InputError:
        return None


def entity_basis(lang: str) -> str:
    """The source shown beside "the quota is the legal entity's"."""
    return source_label(ENTITY_BASIS, True, lang)


def rounding_source(pack_id: str | None, lang: str) -> str:
    pack = _pack(pack_id)
    if pack is None:
        return ""
    source = pack.rounding.source
    return source.label_id if lang == "id" else source.label_en


def period_source(pack_id: str | None, lang: str) -> str:
    pack = _pack(pack_id)
    if pack is None or pack.period is None:
        return ""
    source = pack.period.source
    return source.label_id if lang == "id" else source.label_en


@dataclass(frozen=True, slots=True)
class PeriodInPeople:
    """A compliant or shortfall period of `months` months, in whole people."""

    status: str
    months: int
    required_low: int
    required_high: int
    #: Person-months: the sum over the months of what was required and of who was counted.
    required_total: int
    counted_total: Decimal
    required_average: Decimal
    counted_average: Decimal
    gap_average: Decimal
    #: People short: the average gap rounded by `rounding_pack_id`'s rule (0: no gap).
    gap: int
    #: The pack whose period rule averaged the months, and the one whose rounding applies.
    pack_id: str
    rounding_pack_id: str

    @property
    def is_uniform(self) -> bool:
        """The same number of people was required every month."""
        return self.required_low == self.required_high

    @property
    def rounds_up(self) -> bool:
        pack = _pack(self.rounding_pack_id)
        return pack is None or pack.rounding.mode is RoundingMode.CEIL

    @property
    def is_gap_rounded(self) -> bool:
        """The average shortfall was a fraction of a person, rounded to `gap`."""
        return self.gap_average != self.gap

    def period_source(self, lang: str) -> str:
        return period_source(self.pack_id, lang)

    def rounding_source(self, lang: str) -> str:
        return rounding_source(self.rounding_pack_id, lang)

    def to_dict(self) -> dict[str, Any]:
        """The figures as JSON (decimals as strings, like the engine's own output)."""
        return {
            "months": self.months,
            "required_low": self.required_low,
            "required_high": self.required_high,
            "required_total": self.required_total,
            "counted_total": format(self.counted_total, "f"),
            "required_average": format(self.required_average, "f"),
            "counted_average": format(self.counted_average, "f"),
            "gap_average": format(self.gap_average, "f"),
            "gap": self.gap,
        }


def people_of(
    rows: Sequence[MonthFigures],
    *,
    status: str,
    pack_id: str,
    rounding_pack_id: str | None = None,
) -> PeriodInPeople | None:
    """The period in whole people; None where it has no result in people (no obligation,
    insufficient data, or a period rule other than the average of monthly results)."""
    pack = _pack(pack_id)
    rule = pack.period if pack else None
    if status not in ("compliant", "shortfall") or not rows:
        return None
    if rule is not None and rule.method is not PeriodMethod.AVERAGE_OF_MONTHLY_RESULTS:
        return None
    places = rule.average_places if rule else 2
    rounder = _pack(rounding_pack_id) or pack
    mode = rounder.rounding.mode if rounder else RoundingMode.CEIL
    cutoff = rounder.rounding.cutoff if rounder else Decimal("0.5")
    owed = [required for required, _counted in rows if required is not None]
    required_total = sum(owed)
    counted_total = sum((counted for _required, counted in rows), Decimal(0))
    size = len(rows)
    short = max(Fraction(0), Fraction(required_total) - Fraction(counted_total)) / size
    gap = round_required(short, mode, cutoff)
    if short and not gap:
        gap = 1  # a shortfall is never "0 people", whatever a pack's rounding says
    return PeriodInPeople(
        status=status,
        months=size,
        required_low=min(owed, default=0),
        required_high=max(owed, default=0),
        required_total=required_total,
        counted_total=counted_total,
        required_average=as_decimal(Fraction(required_total, size), places),
        counted_average=as_decimal(Fraction(counted_total) / size, places),
        gap_average=as_decimal(short, places),
        gap=gap,
        pack_id=pack_id,
        rounding_pack_id=rounding_pack_id or pack_id,
    )


def of_result(result: PeriodResult) -> PeriodInPeople | None:
    """A live period result (the gap page)."""
    rows = [(month.required, month.counted) for month in result.months]
    last = result.months[-1].pack_id if result.months else result.pack_id
    return people_of(
        rows, status=result.status.value, pack_id=result.pack_id, rounding_pack_id=last
    )


def _decimal(value: object) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def month_rows(months: Iterable[Mapping[str, Any]]) -> list[MonthFigures]:
    return [
        (None if m.get("required") is None else int(m["required"]), _decimal(m.get("counted")))
        for m in months
    ]


def of_data(data: Mapping[str, Any] | None) -> PeriodInPeople | None:
    """A stored period result: `PeriodResult.to_dict()`, a breakdown's summary of it, or a
    regional result (`RegionalResult.to_data()`, averaged by the national period rule and
    rounded by the overlay's own rule)."""
    if not data or not data.get("pack_id"):
        return None
    months = data.get("months") or []
    if data.get("period_pack_id"):
        pack_id, rounding = str(data["period_pack_id"]), str(data["pack_id"])
    else:
        pack_id = str(data["pack_id"])
        rounding = (months[-1].get("pack_id") if months else None) or pack_id
    return people_of(
        month_rows(months),
        status=str(data.get("status", "")),
        pack_id=pack_id,
        rounding_pack_id=rounding,
    )


def in_people(result: PeriodResult | Mapping[str, Any] | None) -> PeriodInPeople | None:
    """Either form, for pages that show live and stored results alike."""
    if result is None:
        return None
    if isinstance(result, PeriodResult):
        return of_result(result)
    return of_data(result)


@dataclass(frozen=True, slots=True)
class PartsSum:
    """The legal entity's required figure beside the sum of its establishments' (item 5).

    Each establishment's `rate × N` is rounded up on its own, so the parts ask for more than
    the whole: 1 % of 150, 50 and 220 workers is 1.5, 0.5 and 2.2, rounded up 2 + 1 + 3 = 6,
    while the legal entity owes 1 % of 420 = 4.2, rounded up 5."""

    entity_required: Decimal
    entity_exact: Decimal | None
    #: (name, rate × N before rounding or None, required)
    parts: tuple[tuple[str, Decimal | None, Decimal], ...]
    rounding_pack_id: str

    @property
    def parts_total(self) -> Decimal:
        return sum((required for _name, _exact, required in self.parts), Decimal(0))

    @property
    def differs(self) -> bool:
        return self.parts_total != self.entity_required

    def rounding_source(self, lang: str) -> str:
        return rounding_source(self.rounding_pack_id, lang)

    def entity_source(self, lang: str) -> str:
        return entity_basis(lang)


def parts_sum(
    entity_required: Decimal | int | None,
    entity_exact: Decimal | None,
    parts: Iterable[tuple[str, Decimal | None, Decimal | int | None]],
    pack_id: str,
) -> PartsSum | None:
    """None where the entity has no required figure (nothing to reconcile)."""
    if entity_required is None:
        return None
    known = tuple(
        (name, exact, Decimal(required)) for name, exact, required in parts if required is not None
    )
    if not known:
        return None
    return PartsSum(Decimal(entity_required), entity_exact, known, pack_id)
