"""Regional rules (overlay packs, e.g. Perda Kab. Bantul 2/2024) applied to an employer.

The engine adds an overlay's result beside the national one for a snapshot that names a region
(`Snapshot.region`). The legal entity's snapshot names none (its establishments may lie in many
regions), so before issue 15, item 6, a Bantul employer's pages listed the national packs only
and the regional duty lived on `/kuota?region=34.02` alone.

Here each overlay in force where an establishment lies gets its own snapshot per month: the
establishments of the organisation inside the overlay's region, summed. A regional regulation
governs the work done in its region, so its size threshold and rate read the workforce there,
not the whole company's elsewhere (our reading: a product default, said so on the pages). The
months are combined like the national ones (the national pack's period rule), and the result
is stored on the declaration as JSON, so receipts and evidence packs show what was filed.
An overlay never changes the national figures (the engine guarantees it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from compliance.quota import (
    QuotaResult,
    RulePack,
    Snapshot,
    Status,
    default_registry,
    evaluate,
)
from compliance.quota.citation import source_label
from compliance.services.dates import month_start
from compliance.services.declarations.people import PeriodInPeople, people_of

JURISDICTION = "ID"


def overlays_for(regency_code: str, as_of: date) -> tuple[RulePack, ...]:
    """The overlay packs in force on `as_of` in `regency_code` (and regions containing it)."""
    return default_registry().overlays_for(JURISDICTION, regency_code, as_of)


@dataclass(frozen=True, slots=True)
class RegionalResult:
    """One overlay over a span of months, for the organisation's establishments in its region."""

    pack: RulePack
    #: The names of the establishments in the region (in any of the months).
    establishments: tuple[str, ...]
    #: Each month of the span with the overlay's result (None: not in force or no one there).
    months: tuple[tuple[date, QuotaResult | None], ...]
    #: The national pack whose period rule combines the months.
    period_pack_id: str

    @property
    def status(self) -> Status:
        """Combined like `evaluate_period`'s average: unknown anywhere, owed nowhere, sums."""
        results = [r for _m, r in self.months if r is not None]
        if any(r.status is Status.INSUFFICIENT_DATA for r in results):
            return Status.INSUFFICIENT_DATA
        owed = [r for r in results if r.required is not None]
        if not owed:
            return Status.NO_OBLIGATION
        required = sum(r.required or 0 for r in owed)
        counted = sum((r.counted for r in results), Decimal(0))
        return Status.COMPLIANT if counted >= required else Status.SHORTFALL

    @property
    def latest(self) -> QuotaResult | None:
        """The last month's result: its lines explain the duty with their citations."""
        return next((r for _m, r in reversed(self.months) if r is not None), None)

    @property
    def people(self) -> PeriodInPeople | None:
        rows = [(r.required, r.counted) if r else (None, Decimal(0)) for _m, r in self.months]
        return people_of(
            rows,
            status=self.status.value,
            pack_id=self.period_pack_id,
            rounding_pack_id=self.pack.id,
        )

    def to_data(self) -> dict[str, Any]:
        """What a declaration stores: the pack, the places, the months, the cited lines."""
        pack, latest = self.pack, self.latest
        name = pack.region_name
        return {
            "pack_id": pack.id,
            "short_name": pack.short_name,
            "title_id": pack.title.id,
            "title_en": pack.title.en,
            "region": pack.region,
            "region_name_id": name.id if name else pack.region,
            "region_name_en": name.en if name else pack.region,
            "establishments": list(self.establishments),
            "period_pack_id": self.period_pack_id,
            "status": self.status.value,
            "months": [
                {
                    "month": f"{month:%Y-%m}",
                    "status": r.status.value if r else Status.NO_OBLIGATION.value,
                    "denominator": None
                    if r is None or r.denominator is None
                    else str(r.denominator),
                    "required": r.required if r else None,
                    "counted": str(r.counted) if r else "0",
                    "gap": None if r is None or r.gap is None else str(r.gap),
                }
                for month, r in self.months
            ],
            # Reading the region's workforce only is ours, not the regulation's words.
            "scope_source_id": _scope_source(pack, "id"),
            "scope_source_en": _scope_source(pack, "en"),
            "lines": [line.to_dict() for line in latest.lines] if latest else [],
            "duties": [line.to_dict() for line in latest.duties] if latest else [],
            "sanctions": [line.to_dict() for line in latest.sanctions] if latest else [],
        }


def _scope_source(pack: RulePack, lang: str) -> str:
    """ "Product default, not in the law (reading of <the provision setting the duty>)"."""
    rule = next(iter(pack.rates.values()), None)
    citation = rule.source.citation if rule else None
    return source_label(citation, True, lang)


def regional_results(
    snapshots: Mapping[str, Sequence[Snapshot]],
    names: Mapping[str, Sequence[str]],
    months: Sequence[date],
    *,
    period_pack_id: str,
    today: date,
) -> tuple[RegionalResult, ...]:
    """Evaluate each overlay's monthly snapshots (`snapshots[pack id]`, region = the pack's)."""
    registry = default_registry()
    found = []
    for pack_id, series in sorted(snapshots.items()):
        by_month: dict[date, QuotaResult] = {}
        for snapshot in series:
            result = evaluate(snapshot, today=today, registry=registry)
            overlay = next((o for o in result.overlays if o.pack_id == pack_id), None)
            if overlay is not None:
                by_month[month_start(snapshot.as_of)] = overlay
        found.append(
            RegionalResult(
                pack=registry.get(pack_id),
                establishments=tuple(dict.fromkeys(names.get(pack_id, ()))),
                months=tuple((month, by_month.get(month)) for month in months),
                period_pack_id=period_pack_id,
            )
        )
    return tuple(found)
