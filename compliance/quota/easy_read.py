"""The Easy-Read explanation of how the quota is computed, generated from the packs in force.

A web page renders `easy_read(on=...)` as headings and short sentences in Bahasa Indonesia and
English. Because every sentence is built from pack data, and the worked examples are computed by
the engine's own rounding, the page cannot disagree with the numbers the engine prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from compliance.quota.easy_read_items import (
    EasyReadItem,
    disabled_items,
    history_items,
    number_items,
    period_items,
    regional_items,
    who_items,
    worker_items,
)
from compliance.quota.pack_catalog import PackRegistry, default_registry


@dataclass(frozen=True, slots=True)
class EasyReadSection:
    code: str
    heading_id: str
    heading_en: str
    items: tuple[EasyReadItem, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "heading_id": self.heading_id,
            "heading_en": self.heading_en,
            "items": [item.to_dict() for item in self.items],
        }


@dataclass(frozen=True, slots=True)
class EasyRead:
    on: date
    pack_id: str
    sections: tuple[EasyReadSection, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "pack_id": self.pack_id,
            "sections": [section.to_dict() for section in self.sections],
        }


def easy_read(
    on: date,
    *,
    registry: PackRegistry | None = None,
    jurisdiction: str = "ID",
    region: str | None = None,
) -> EasyRead:
    """The Easy-Read content for the packs in force on `on` (national, overlays, history).

    With `region`, only the overlays applying there are shown; without it, every overlay in force.
    """
    registry = registry or default_registry()
    pack = registry.national_for(jurisdiction, on)
    sections = [
        EasyReadSection("who", "Siapa yang wajib?", "Who must do this?", tuple(who_items(pack))),
        EasyReadSection(
            "workers",
            "Siapa yang dihitung sebagai pekerja?",
            "Who counts as a worker?",
            tuple(worker_items(pack)),
        ),
        EasyReadSection(
            "disabled",
            "Siapa yang dihitung sebagai pekerja penyandang disabilitas?",
            "Who counts as a worker with a disability?",
            tuple(disabled_items(pack)),
        ),
        EasyReadSection(
            "number",
            "Berapa orang yang wajib?",
            "How many people are required?",
            tuple(number_items(pack)),
        ),
        EasyReadSection(
            "period",
            "Setiap bulan dan setiap tahun",
            "Every month and every year",
            tuple(period_items(pack)),
        ),
    ]
    if region is None:
        overlays = [
            p
            for p in registry.packs
            if p.region and p.jurisdiction == jurisdiction and p.is_in_force(on)
        ]
    else:
        overlays = list(registry.overlays_for(jurisdiction, region, on))
    if overlays:
        items = tuple(entry for overlay in overlays for entry in regional_items(overlay))
        sections.append(EasyReadSection("regional", "Aturan daerah", "Regional rules", items))
    history = tuple(
        entry for ref in pack.comparisons for entry in history_items(registry.get(ref), pack)
    )
    if history:
        sections.append(EasyReadSection("history", "Aturan lama", "Old rules", history))
    # Notes about the pack itself are neither law nor a product default: no source mark.
    notes = [EasyReadItem(note.id, note.en, None, False) for note in pack.notes]
    notes.append(
        EasyReadItem(
            "Tanda 'default produk' berarti pilihan kami, bukan isi undang-undang.",
            "The mark 'product default' means our choice, not the text of the law.",
            None,
            False,
        )
    )
    sections.append(EasyReadSection("sources", "Tentang sumber", "About the sources", tuple(notes)))
    return EasyRead(on=on, pack_id=pack.id, sections=tuple(sections))
